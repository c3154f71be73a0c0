// The emulator under fuzzed POST forms: a valid signed form whose fields are dropped, renamed, retyped,
// emptied, truncated or reordered (test/support/fuzz.ts), the file moved, renamed or left out, and the
// raw multipart body cut short or with bytes changed. Whatever arrives, the emulator must answer as
// S3 does: a success, or a 4xx with S3's XML error — never a crash (handle() throwing, or a 5xx that
// would send the user's test hunting a bug in the kit). Seeded; FUZZ_CASES searches further.
import { describe, expect, it } from 'vitest';
import { createS3Emulator } from '../../mocks';
import { mutate, random, type Json } from '../support/fuzz';
import { BUCKET_URL, emulatorOptions, formData, signedForm } from './fixtures';

const s3 = createS3Emulator(emulatorOptions());
const CASES = Number(process.env['FUZZ_CASES'] ?? 600);
const SEED = Number(process.env['FUZZ_SEED'] ?? 0);

/** What a test needs to hear back: S3's success, or its XML error with a Code. */
async function expectS3Answer(request: Request, replay: string): Promise<string> {
  let response: Response | undefined;
  try {
    response = await s3.handle(request);
  } catch (error) {
    throw new Error(`${replay}: handle() threw ${String(error)}`, { cause: error });
  }
  if (!response) throw new Error(`${replay}: handle() did not answer the bucket URL`);
  const text = await response.text();
  expect(response.status, `${replay}: ${text.slice(0, 300)}`).toBeLessThan(500);
  if (response.status < 400) return String(response.status);
  const code = /<Code>([^<]+)<\/Code>/.exec(text)?.[1];
  expect(text.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n<Error>'), `${replay}: ${text.slice(0, 300)}`).toBe(true);
  expect(code, `${replay}: no Code in ${text.slice(0, 300)}`).toBeDefined();
  return `${response.status} ${code}`;
}

function tallied(tally: Map<string, number>, outcome: string): void {
  tally.set(outcome, (tally.get(outcome) ?? 0) + 1);
}

describe('the emulator under fuzzed POST forms answers as S3 does, never with a crash', () => {
  it('mutated fields and file', async () => {
    const tally = new Map<string, number>();
    for (let index = 0; index < CASES; index += 1) {
      const seed = (SEED + index * 2_654_435_761) >>> 0;
      const next = random(seed);
      const fields = signedForm({ fields: [['key', 'photos/${filename}'], ['Content-Type', 'image/png'], ['success_action_status', '201']] });
      const tree = fields.map(([name, value]) => [name, value]) as Json[];
      const done = Array.from({ length: 1 + Math.floor(next() * 3) }, () => mutate(tree, next));
      const pairs = tree.flatMap((entry): Array<[string, string]> =>
        Array.isArray(entry) && entry.length > 0 ? [[String(entry[0]), String(entry[1] ?? '')]] : [[String(entry), '']],
      );
      const fileAt = next();
      const file = fileAt < 0.1 ? null : { name: fileAt < 0.2 ? '' : fileAt < 0.3 ? '../../etc/passwd' : 'cat.png', type: fileAt < 0.4 ? '' : 'image/png' };
      const [before, after] = fileAt > 0.9 ? [pairs.slice(0, 2), pairs.slice(2)] : [pairs, []];
      const replay = `seed ${seed} (${done.join('; ')}; file ${JSON.stringify(file)}${after.length ? ', fields after the file' : ''})`;
      tallied(tally, await expectS3Answer(new Request(BUCKET_URL, { method: 'POST', body: formData(before, file, after) }), replay));
    }
    console.info(`fuzzed forms: ${[...tally].map(([outcome, count]) => `${outcome} ×${count}`).join(', ')}`);
    // Refusals of several kinds: the fuzzing gets past the form's first check.
    expect(tally.size).toBeGreaterThan(2);
  }, 600_000);

  it('a multipart body cut short or with bytes changed', async () => {
    const valid = new Request(BUCKET_URL, { method: 'POST', body: formData(signedForm({ fields: [['key', 'photos/cat.png']] })) });
    const type = valid.headers.get('Content-Type') ?? '';
    const body = new Uint8Array(await valid.arrayBuffer());
    const tally = new Map<string, number>();
    for (let index = 0; index < CASES / 2; index += 1) {
      const seed = (SEED + 7 + index * 40_503) >>> 0;
      const next = random(seed);
      const broken = body.slice();
      let what: string;
      if (next() < 0.5) {
        const cut = Math.floor(next() * broken.length);
        what = `cut at ${cut} of ${broken.length}`;
        tallied(tally, await expectS3Answer(new Request(BUCKET_URL, { method: 'POST', body: broken.slice(0, cut), headers: { 'Content-Type': type } }), `seed ${seed} (${what})`));
      } else {
        const changes = 1 + Math.floor(next() * 8);
        for (let change = 0; change < changes; change += 1) broken[Math.floor(next() * broken.length)] = Math.floor(next() * 256);
        what = `${changes} bytes changed`;
        tallied(tally, await expectS3Answer(new Request(BUCKET_URL, { method: 'POST', body: broken, headers: { 'Content-Type': type } }), `seed ${seed} (${what})`));
      }
    }
    console.info(`fuzzed bodies: ${[...tally].map(([outcome, count]) => `${outcome} ×${count}`).join(', ')}`);
    expect(tally.size).toBeGreaterThan(2);
  }, 600_000);
});
