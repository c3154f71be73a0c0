// Fuzzed backend answers: valid policy answers in each shape (AWS SDK, boto3, flat), broken by one to
// three random mutations (a field dropped, renamed to its V2 or another-case name, given another type,
// emptied, truncated, uppercased, made a javascript: URL; the policy's conditions edited without
// re-signing), and the answer's JSON text cut short. Whatever comes back, the kit must end in one of
// two ways: the file stored, or an error of the kit's own (code, message, hint) — never a TypeError
// from deep inside — and a refusal the kit makes itself must send nothing to S3.
// The generator is seeded: a failing case prints its seed and mutations, and replays exactly.
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createS3Emulator } from '../../mocks/index';
import { isS3UploadError, uploadFile } from '../../src/index';
import { CREDENTIALS, flatAnswer } from '../support/aws-signer';
import { APP, BUCKET, BUCKET_URL, ENDPOINT, REGION, boto3Answer, sdkAnswer } from '../support/backends';

const s3 = createS3Emulator({ endpoint: ENDPOINT, region: REGION, buckets: [BUCKET], credentials: [CREDENTIALS] });
const POLICY_URL = `${APP}/api/policy/fuzz`;
// A mutated url may name a host nobody answers for: the request fails as an unreachable host does.
const server = setupServer(...s3.handlers, http.all('*', () => HttpResponse.error()));
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

/** mulberry32: a small seeded PRNG, so that every case replays. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type Path = ReadonlyArray<string | number>;

const pick = <T>(next: () => number, items: readonly T[]): T => items[Math.floor(next() * items.length)] as T;

/** Every place in the tree that holds a value, the root excluded. */
function paths(value: Json, at: Path = []): Path[] {
  if (value === null || typeof value !== 'object') return [];
  const entries: Array<[string | number, Json]> = Array.isArray(value) ? value.map((item, index) => [index, item]) : Object.entries(value);
  return entries.flatMap(([key, child]) => [[...at, key], ...paths(child, [...at, key])]);
}

function parentOf(root: Json, path: Path): { parent: Json[] | { [key: string]: Json }; key: string | number } {
  let parent = root as Json[] | { [key: string]: Json };
  for (const key of path.slice(0, -1)) parent = (parent as Record<string | number, Json>)[key] as Json[] | { [key: string]: Json };
  return { parent, key: path.at(-1) as string | number };
}

const STRANGE: readonly Json[] = [
  null,
  0,
  -1,
  1e21,
  true,
  '',
  ' ',
  [],
  {},
  'javascript:alert(1)',
  'ftp://photos.example/',
  '<html><body>502 Bad Gateway</body></html>',
  'A'.repeat(5000),
  '\u0000\u202e\u0007',
  'AKIAIOSFODNN7EXAMPLE/20130806/us-east-1/s3/aws4_request',
  'eyJub3QiOiJhIHBvbGljeSJ9',
];

/** One mutation, applied in place; returns what it did, for the failure message. */
function mutate(root: Json, next: () => number): string {
  const places = paths(root);
  if (places.length === 0) return 'nothing to mutate';
  const path = pick(next, places);
  const { parent, key } = parentOf(root, path);
  const here = (parent as Record<string | number, Json>)[key] as Json;
  const where = path.join('.');
  switch (Math.floor(next() * 8)) {
    case 0:
      if (Array.isArray(parent)) parent.splice(key as number, 1);
      else delete parent[key as string];
      return `drop ${where}`;
    case 1: {
      const value = structuredClone(pick(next, STRANGE));
      (parent as Record<string | number, Json>)[key] = value;
      return `${where} = ${JSON.stringify(value).slice(0, 40)}`;
    }
    case 2:
      if (typeof here === 'string') {
        (parent as Record<string | number, Json>)[key] = here.toUpperCase();
        return `uppercase ${where}`;
      }
      return `uppercase ${where} (not a string)`;
    case 3:
      if (typeof here === 'string') {
        (parent as Record<string | number, Json>)[key] = here.slice(0, Math.floor(next() * here.length));
        return `truncate ${where}`;
      }
      return `truncate ${where} (not a string)`;
    case 4:
      if (!Array.isArray(parent) && typeof key === 'string') {
        const renamed = pick(next, ['AWSAccessKeyId', 'Signature', 'signature', 'X-AMZ-SIGNATURE', 'Policy', key.toUpperCase(), `${key}_`]);
        delete parent[key];
        parent[renamed] = here;
        return `rename ${where} to ${renamed}`;
      }
      return `rename ${where} (an array item)`;
    case 5:
      if (typeof here === 'string') {
        (parent as Record<string | number, Json>)[key] = Buffer.from(here).toString('base64');
        return `base64 ${where}`;
      }
      return `base64 ${where} (not a string)`;
    case 6: {
      // The policy edited without signing again: S3 (the emulator) refuses the signature.
      if (typeof here !== 'string' || !/^eyJ/.test(here)) return `edit policy at ${where} (not a policy)`;
      let document: { expiration: string; conditions: Json[] };
      try {
        document = JSON.parse(Buffer.from(here, 'base64').toString('utf8')) as typeof document;
      } catch {
        return `edit policy at ${where} (an earlier mutation broke it)`;
      }
      if (!Array.isArray(document.conditions)) return `edit policy at ${where} (no conditions)`;
      const edit = pick(next, ['expire', 'drop-condition', 'add-condition'] as const);
      if (edit === 'expire') document.expiration = '2001-01-01T00:00:00.000Z';
      else if (edit === 'drop-condition') document.conditions.splice(Math.floor(next() * document.conditions.length), 1);
      else document.conditions.push({ 'x-amz-meta-unsent': 'value' });
      (parent as Record<string | number, Json>)[key] = Buffer.from(JSON.stringify(document)).toString('base64');
      return `policy ${edit} at ${where}`;
    }
    default: {
      const value = structuredClone(pick(next, STRANGE));
      if (Array.isArray(here)) here.push(value);
      else if (here !== null && typeof here === 'object') here[pick(next, ['extra', 'url', 'fields', 'Signature'])] = value;
      else (parent as Record<string | number, Json>)[key] = [here];
      return `add to ${where}`;
    }
  }
}

async function validAnswer(shape: 'sdk' | 'boto3' | 'flat'): Promise<Json> {
  const body = { filename: 'cat.png', contentType: 'image/png', size: 9 };
  if (shape === 'sdk') return JSON.parse(JSON.stringify(await sdkAnswer(body))) as Json;
  if (shape === 'boto3') return JSON.parse(JSON.stringify(boto3Answer(body))) as Json;
  return JSON.parse(JSON.stringify(flatAnswer({ url: BUCKET_URL, key: 'uploads/${filename}', region: REGION, bucket: BUCKET }))) as Json;
}

interface Outcome {
  readonly stored: boolean;
  readonly error: unknown;
  readonly s3Requests: number;
}

async function upload(policy: Parameters<typeof uploadFile>[1]['policy']): Promise<Outcome> {
  const before = s3.requests.length;
  const file = new File(['PNG bytes'], 'cat.png', { type: 'image/png' });
  try {
    await uploadFile(file, { policy, retry: false });
    return { stored: true, error: undefined, s3Requests: s3.requests.length - before };
  } catch (error) {
    return { stored: false, error, s3Requests: s3.requests.length - before };
  }
}

/** The kit's own refusals, made before anything goes to S3. */
const BEFORE_S3 = new Set(['PolicyAnswerError', 'PolicyViolationError']);

function expectKitOutcome(outcome: Outcome, replay: string): void {
  if (outcome.stored) return;
  const { error } = outcome;
  expect(isS3UploadError(error), `${replay}: not the kit's error: ${String(error)}`).toBe(true);
  if (!isS3UploadError(error)) return;
  expect(error.code, replay).toMatch(/^[\w-]+$/);
  expect(error.message.length, `${replay}: message`).toBeGreaterThan(10);
  expect(error.hint.length, `${replay}: hint`).toBeGreaterThan(10);
  if (BEFORE_S3.has(error.name)) expect(outcome.s3Requests, `${replay}: ${error.name} ${error.code} yet S3 was asked`).toBe(0);
}

// FUZZ_CASES=20000 npx vitest run test/core/fuzz-backend-answers.test.ts searches further (FUZZ_SEED moves the seeds).
const CASES = Number(process.env['FUZZ_CASES'] ?? 900);
const SEED = Number(process.env['FUZZ_SEED'] ?? 0);

describe('fuzzed backend answers end stored or in a kit error, never a crash', () => {
  it.each(['sdk', 'boto3', 'flat'] as const)('%s shape, %# : mutated answers from a function', async (shape) => {
    const tally = new Map<string, number>();
    for (let index = 0; index < CASES / 3; index += 1) {
      const seed = (SEED + shape.length * 7919 + index * 104_729) >>> 0;
      const next = random(seed);
      const answer = await validAnswer(shape);
      const done = Array.from({ length: 1 + Math.floor(next() * 3) }, () => mutate(answer, next));
      const outcome = await upload(async () => answer);
      expectKitOutcome(outcome, `seed ${seed} (${shape}; ${done.join('; ')})`);
      const name = outcome.stored ? 'stored' : isS3UploadError(outcome.error) ? `${outcome.error.name}:${outcome.error.code}` : 'other';
      tally.set(name, (tally.get(name) ?? 0) + 1);
    }
    // The fuzzing reaches past the first check: refusals of several kinds, and S3's own.
    console.info(`${shape}: ${[...tally].map(([name, count]) => `${name} ${count}`).join(', ')}`);
    expect(tally.size).toBeGreaterThan(4);
  });

  it('an answer cut short anywhere in its JSON text is a backend-not-json error, with nothing sent to S3', async () => {
    const text = JSON.stringify(await validAnswer('sdk'));
    const next = random(2024);
    for (let index = 0; index < 60; index += 1) {
      const cut = 1 + Math.floor(next() * (text.length - 2));
      server.use(http.post(POLICY_URL, () => new HttpResponse(text.slice(0, cut), { headers: { 'Content-Type': 'application/json' } })));
      const outcome = await upload(POLICY_URL);
      const replay = `cut at ${cut} of ${text.length}`;
      expectKitOutcome(outcome, replay);
      expect(outcome.stored, replay).toBe(false);
      expect(isS3UploadError(outcome.error) && outcome.error.code, replay).toBe('backend-not-json');
    }
  });
});
