// The kit's words load on the first failure (diagnostics/explanations.ts, the one lazy chunk of them).
// When that chunk cannot be loaded (offline, or a new deploy removed it), every failure still reaches
// the caller as the same error class and code, with S3's evidence where there is some, and a hint that
// says the words are missing. Here the chunk fails to load.
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { createS3Emulator } from '../../../mocks/index';
// The modules an upload uses, not the index, which also holds the synchronous checks that import the
// words directly.
import { ClockSkewError } from '../../../src/core/errors/ClockSkewError';
import { MultipartError } from '../../../src/core/errors/MultipartError';
import { NetworkError } from '../../../src/core/errors/NetworkError';
import { PolicyAnswerError } from '../../../src/core/errors/PolicyAnswerError';
import { PolicyViolationError } from '../../../src/core/errors/PolicyViolationError';
import { S3ResponseError } from '../../../src/core/errors/S3ResponseError';
import { isS3UploadError } from '../../../src/core/errors/S3UploadError';
import { uploadFile } from '../../../src/core/upload';
import { forgetClockOffset } from '../../../src/core/retry/clock-offset';
import { CREDENTIALS } from '../../support/aws-signer';
import { APP, BUCKET, BUCKET_URL, ENDPOINT, REGION, backendHandlers } from '../../support/backends';

vi.mock('../../../src/core/diagnostics/explanations', () => {
  throw new Error('Failed to fetch dynamically imported module');
});

const s3 = createS3Emulator({ endpoint: ENDPOINT, region: REGION, buckets: [BUCKET], credentials: [CREDENTIALS] });
const server = setupServer(...s3.handlers, ...backendHandlers({ maxSize: 10 }));
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
beforeEach(() => s3.store.clear());
afterEach(() => {
  server.resetHandlers();
  forgetClockOffset();
});
afterAll(() => server.close());

const POLICY = `${APP}/api/policy/boto3`;
const FAST = { baseDelayMs: 1 };
const UNEXPLAINED = 'The kit could not load its explanation';

function photo(bytes = 'PNG', name = 'cat.png'): File {
  return new File([bytes], name, { type: 'image/png' });
}

async function rejection(promise: Promise<unknown>): Promise<Error> {
  return promise.then(
    () => {
      throw new Error('expected the upload to fail');
    },
    (error: unknown) => (error instanceof Error ? error : new Error(String(error))),
  );
}

describe('without its words, a failure keeps its class, code and evidence', () => {
  it("S3's refusal: S3ResponseError with S3's Code and Message, the hint saying the words did not load", async () => {
    const body = '<Error><Code>AccessDenied</Code><Message>Access Denied</Message><RequestId>R1</RequestId></Error>';
    server.use(http.post(BUCKET_URL, () => HttpResponse.xml(body, { status: 403 })));
    const error = await rejection(uploadFile(photo(), { policy: POLICY }));
    expect(error).toBeInstanceOf(S3ResponseError);
    expect(error).toMatchObject({ status: 403, code: 'AccessDenied', s3: { message: 'Access Denied', requestId: 'R1' } });
    expect(isS3UploadError(error)).toBe(true);
    expect((error as S3ResponseError).hint).toContain(UNEXPLAINED);
    expect(error.cause).toBeInstanceOf(Error);
  });

  it('a network error: retried as usual, then the NetworkError with its tries (its words are its own)', async () => {
    let posts = 0;
    server.use(
      http.post(BUCKET_URL, () => {
        posts += 1;
        return HttpResponse.error();
      }),
    );
    const error = await rejection(uploadFile(photo(), { policy: POLICY, retry: FAST }));
    expect(error).toBeInstanceOf(NetworkError);
    expect(error).toMatchObject({ code: 'network-or-cors', attempts: 3 });
    expect(posts).toBe(3);
  });

  it("the backend's error status: PolicyAnswerError backend-http-error with the status and the URL", async () => {
    server.use(http.post(POLICY, () => HttpResponse.text('boom', { status: 500 })));
    const error = await rejection(uploadFile(photo(), { policy: POLICY, retry: FAST }));
    expect(error).toBeInstanceOf(PolicyAnswerError);
    expect(error).toMatchObject({ code: 'backend-http-error', status: 500 });
    expect(error.message).toContain(`POST ${POLICY}`);
  });

  it('an unusable answer: PolicyAnswerError with the code of the problem, nothing sent', async () => {
    server.use(http.post(POLICY, () => HttpResponse.json({ url: BUCKET_URL })));
    const error = await rejection(uploadFile(photo(), { policy: POLICY }));
    expect(error).toBeInstanceOf(PolicyAnswerError);
    expect(error).toMatchObject({ code: 'missing-field', message: "The backend's policy answer is unusable (missing); nothing was sent." });
    expect(error.cause).toBeInstanceOf(Error);
    expect(s3.requests).toHaveLength(0);
  });

  it('a file the policy refuses: PolicyViolationError file-too-large with every failure, nothing sent', async () => {
    const error = await rejection(uploadFile(photo('more than ten bytes'), { policy: POLICY }));
    expect(error).toBeInstanceOf(PolicyViolationError);
    expect(error).toMatchObject({ code: 'file-too-large', message: 'S3 would refuse this form under its policy (too-large); nothing was sent.' });
    expect((error as PolicyViolationError).failures).toMatchObject([{ kind: 'too-large', max: 10 }]);
    expect(s3.store.getObject(BUCKET, 'uploads/cat.png')).toBeUndefined();
  });

  it('a file over 5 GiB without multipart: MultipartError multipart-required, nothing sent', async () => {
    const huge = photo();
    Object.defineProperty(huge, 'size', { value: 6 * 1024 ** 3 });
    const error = await rejection(uploadFile(huge, { policy: POLICY }));
    expect(error).toBeInstanceOf(MultipartError);
    expect(error).toMatchObject({ code: 'multipart-required', message: `cat.png is ${6 * 1024 ** 3} bytes, more than one POST can carry (5 GiB); nothing was sent.` });
  });

  it('RequestTimeTooSkewed twice: signed again once, then ClockSkewError with the clocks measured', async () => {
    const serverTime = '2026-01-01T12:00:00Z';
    const skewed = `<Error><Code>RequestTimeTooSkewed</Code><Message>The difference between the request time and the current time is too large.</Message><RequestTime>20260101T110000Z</RequestTime><ServerTime>${serverTime}</ServerTime></Error>`;
    server.use(http.post(BUCKET_URL, () => HttpResponse.xml(skewed, { status: 403 })));
    const error = await rejection(uploadFile(photo(), { policy: POLICY }));
    expect(error).toBeInstanceOf(ClockSkewError);
    expect(error).toMatchObject({ code: 'clock-skew', signer: 'backend', serverTime: new Date(serverTime), signerOffsetMs: -3_600_000 });
    expect(error.cause).toBeInstanceOf(S3ResponseError);
    expect((error as ClockSkewError).hint).toContain(UNEXPLAINED);
  });
});
