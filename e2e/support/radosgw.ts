// A real S3 for the e2e suite: Ceph's radosgw on 127.0.0.1, started by e2e/radosgw/start.sh and stopped
// by e2e/radosgw/stop.sh. A cluster takes ~2.5 s to start, so a suite starts one in beforeAll.

import { spawn } from 'node:child_process';
import { accessSync, constants, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { delimiter, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { S3Target } from './post-form';

export interface Radosgw extends S3Target {
  /** The cluster's temp dir: ceph.conf, logs (log/*.log) and the env file. */
  readonly dataDir: string;
  /** Stops every daemon by the PIDs start.sh recorded and removes dataDir. */
  stop(): Promise<void>;
}

// A path join rather than new URL(..., import.meta.url): under happy-dom URL is the DOM's, not node's.
const SCRIPTS = join(dirname(fileURLToPath(import.meta.url)), '../radosgw/');
const BINARIES = ['ceph-mon', 'ceph-osd', 'radosgw', 'ceph', 'radosgw-admin'];
const INSTALL = 'apt-get install -y --no-install-recommends ceph-mon ceph-osd radosgw ceph-common';

/**
 * Why the radosgw suite cannot run on this machine, or undefined when it can. Only a developer's
 * machine may skip: under CI (`CI` set) missing binaries are a broken setup, so this throws.
 */
export function radosgwUnavailable(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const missing = BINARIES.filter((binary) => !onPath(binary, env['PATH'] ?? ''));
  if (missing.length === 0) return undefined;
  const reason = `radosgw is not installed (missing ${missing.join(', ')}); install it with \`${INSTALL}\` or e2e/radosgw/install.sh`;
  if (env['CI']) throw new Error(`${reason}. CI must run the radosgw suite, so this is a failure, not a skip.`);
  return reason;
}

/** Starts a fresh cluster with one bucket (CORS allows any origin) and a user that may write to it. */
export async function startRadosgw(options: { readonly signal?: AbortSignal } = {}): Promise<Radosgw> {
  // A free port of our own, so a leftover cluster or another checkout's suite cannot answer instead.
  const port = await freePort();
  const started = await run(join(SCRIPTS, 'start.sh'), [], { RGW_PORT: String(port) }, options.signal);
  if (started.code !== 0) {
    throw new Error(`e2e/radosgw/start.sh failed (exit ${started.code}):\n${started.stderr}${started.stdout}`);
  }
  const dataDir = /^RADOSGW_DATA=(.+)$/m.exec(started.stdout)?.[1];
  if (!dataDir) throw new Error(`e2e/radosgw/start.sh did not print RADOSGW_DATA=<dir>:\n${started.stdout}`);
  const env = parseEnvFile(readFileSync(join(dataDir, 'env'), 'utf8'));

  return {
    endpoint: env.S3_ENDPOINT,
    bucket: env.S3_BUCKET,
    region: env.S3_REGION,
    accessKeyId: env.AWS_ACCESS_KEY_ID,
    secretAccessKey: env.AWS_SECRET_ACCESS_KEY,
    dataDir,
    async stop() {
      const stopped = await run(join(SCRIPTS, 'stop.sh'), [dataDir], {});
      if (stopped.code !== 0) throw new Error(`e2e/radosgw/stop.sh ${dataDir} failed:\n${stopped.stderr}`);
    },
  };
}

const ENV_NAMES = ['S3_ENDPOINT', 'S3_BUCKET', 'S3_REGION', 'AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY'] as const;
type RadosgwEnv = Record<(typeof ENV_NAMES)[number], string>;

/** start.sh's `$DATA/env`, NAME=value lines; every name the suite needs must be there. */
function parseEnvFile(text: string): RadosgwEnv {
  const values = new Map<string, string>();
  for (const line of text.split('\n')) {
    const match = /^([A-Z0-9_]+)=(.*)$/.exec(line);
    if (match?.[1] !== undefined && match[2] !== undefined) values.set(match[1], match[2].replace(/^"(.*)"$/, '$1'));
  }
  const read = (name: (typeof ENV_NAMES)[number]): string => {
    const value = values.get(name);
    if (!value) throw new Error(`e2e/radosgw/start.sh wrote no ${name} to its env file:\n${text}`);
    return value;
  };
  return {
    S3_ENDPOINT: read('S3_ENDPOINT'),
    S3_BUCKET: read('S3_BUCKET'),
    S3_REGION: read('S3_REGION'),
    AWS_ACCESS_KEY_ID: read('AWS_ACCESS_KEY_ID'),
    AWS_SECRET_ACCESS_KEY: read('AWS_SECRET_ACCESS_KEY'),
  };
}

function onPath(binary: string, path: string): boolean {
  return path.split(delimiter).some((dir) => {
    try {
      accessSync(join(dir, binary), constants.X_OK);
      return true;
    } catch {
      return false;
    }
  });
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address !== null ? resolve(address.port) : reject(new Error('no port')),
      );
    });
  });
}

interface RunResult {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

function run(script: string, args: readonly string[], env: Record<string, string>, signal?: AbortSignal): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn('bash', [script, ...args], {
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
      ...(signal ? { signal } : {}),
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, stdout, stderr }));
  });
}
