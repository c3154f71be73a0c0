// Fuzzed backend answers: valid policy answers in each shape (AWS SDK, boto3, flat), broken by one to
// three random mutations (a field dropped, renamed to its V2 or another-case name, given another type,
// emptied, truncated, uppercased, made a javascript: URL; the policy's conditions edited without
// re-signing), and the answer's JSON text cut short. Whatever comes back, the kit must end in one of
// two ways: the file stored, or an error of the kit's own (code, message, hint) — never a TypeError
// from deep inside — and a refusal the kit makes itself must send nothing to S3.
// The multipart contract's answers (create, sign-parts, list-parts, complete) are fuzzed the same way at
// their parsers. The generator (test/support/fuzz.ts) is seeded: a failing case prints its seed and
// mutations, and replays exactly.
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createS3Emulator } from '../../../mocks/index';
import { isS3UploadError, uploadFile } from '../../../src/index';
import { parseCompleted, parseCreated, parseListed, parseSigned } from '../../../src/core/multipart/backends/presigned-answers';
import { CREDENTIALS, flatAnswer } from '../../support/aws-signer';
import { APP, BUCKET, BUCKET_URL, ENDPOINT, REGION, boto3Answer, sdkAnswer } from '../../support/backends';
import { mutate, random, type Json } from '../../support/fuzz';

const s3 = createS3Emulator({ endpoint: ENDPOINT, region: REGION, buckets: [BUCKET], credentials: [CREDENTIALS] });
const POLICY_URL = `${APP}/api/policy/fuzz`;
// A mutated url may name a host nobody answers for: the request fails as an unreachable host does.
const server = setupServer(...s3.handlers, http.all('*', () => HttpResponse.error()));
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

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

// FUZZ_CASES=20000 npx vitest run test/core/policy/fuzz-backend-answers.test.ts searches further (FUZZ_SEED moves the seeds).
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
  }, 600_000);

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

  it('the multipart answers: each mutated create / sign-parts / list-parts / complete answer parses or is a PolicyAnswerError', () => {
    const requested = [1, 2, 3].map((partNumber) => ({ partNumber, size: 5 * 1024 * 1024 }));
    const valid: Record<string, Json> = {
      create: { uploadId: 'VXBsb2FkIElE', key: 'uploads/movie.mp4', bucket: BUCKET },
      'sign-parts': { parts: requested.map(({ partNumber }) => ({ partNumber, url: `${BUCKET_URL}uploads/movie.mp4?partNumber=${partNumber}&uploadId=x`, headers: {} })) },
      'list-parts': { parts: [{ partNumber: 1, etag: '"a54357aff0632cce46d942af68356b38"', size: 5242880 }] },
      complete: { location: `${BUCKET_URL}uploads/movie.mp4`, bucket: BUCKET, key: 'uploads/movie.mp4', etag: '"d41d8cd98f00b204e9800998ecf8427e-3"' },
    };
    const parsers: Record<string, (raw: unknown) => unknown> = {
      create: parseCreated,
      'sign-parts': (raw) => parseSigned(raw, requested, undefined),
      'list-parts': parseListed,
      complete: parseCompleted,
    };
    const tally = new Map<string, number>();
    for (let index = 0; index < CASES; index += 1) {
      const seed = (SEED + 31 + index * 15_485_863) >>> 0;
      const next = random(seed);
      const operation = Object.keys(valid)[index % 4] as string;
      const answer = structuredClone(valid[operation]) as Json;
      const done = Array.from({ length: 1 + Math.floor(next() * 3) }, () => mutate(answer, next));
      const replay = `seed ${seed} (${operation}; ${done.join('; ')})`;
      try {
        (parsers[operation] as (raw: unknown) => unknown)(answer);
        tally.set(`${operation} parsed`, (tally.get(`${operation} parsed`) ?? 0) + 1);
      } catch (error) {
        expect(isS3UploadError(error), `${replay}: ${String(error)}`).toBe(true);
        if (!isS3UploadError(error)) continue;
        expect(error.name, replay).toBe('PolicyAnswerError');
        expect(error.hint.length, replay).toBeGreaterThan(10);
        tally.set(`${operation} ${error.code}`, (tally.get(`${operation} ${error.code}`) ?? 0) + 1);
      }
    }
    console.info(`multipart answers: ${[...tally].map(([name, count]) => `${name} ${count}`).join(', ')}`);
    expect(tally.size).toBeGreaterThan(8);
  });
});
