// Runs the Python "sign my policy" backend from the seed thread (seed_sign_policy.py) on a request body.
import { execFileSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TestCredentials } from './aws-signer';

// A string, not new URL(): under happy-dom the global URL is the DOM's, which node:url refuses.
const SCRIPT = join(dirname(fileURLToPath(import.meta.url)), 'seed_sign_policy.py');

export function runSeedSigner(body: string, credentials: TestCredentials, region: string): { policy: string; signature: string } {
  const output = execFileSync('python3', [SCRIPT], {
    input: body,
    env: { ...process.env, AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey, S3_REGION: region },
    encoding: 'utf8',
  });
  return JSON.parse(output) as { policy: string; signature: string };
}
