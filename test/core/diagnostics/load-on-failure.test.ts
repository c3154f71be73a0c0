// The failure paths load their modules (an error's words, the retry loop) only when a failure happens.
// When such a module cannot be loaded (offline, or a new deploy removed its chunk), the failure must
// still reach the caller, as the same error class and code where the kit can tell them without it.
// Here every one of those modules fails to load.
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { createS3Emulator } from '../../../mocks/index';
import { NetworkError } from '../../../src/core/errors/NetworkError';
import { PolicyAnswerError } from '../../../src/core/errors/PolicyAnswerError';
import { S3ResponseError } from '../../../src/core/errors/S3ResponseError';
import { uploadFile } from '../../../src/core/upload';
import { CREDENTIALS } from '../../support/aws-signer';
import { APP, BUCKET, BUCKET_URL, ENDPOINT, REGION, backendHandlers } from '../../support/backends';

const { gone } = vi.hoisted(() => ({
  gone: (): never => {
    throw new Error('Failed to fetch dynamically imported module');
  },
}));
vi.mock('../../../src/core/diagnostics/s3-error', gone);
vi.mock('../../../src/core/retry/post-retry-loop', gone);
vi.mock('../../../src/core/diagnostics/endpoint-problems', gone);
vi.mock('../../../src/core/diagnostics/answer-problems', gone);
vi.mock('../../../src/core/errors/PolicyViolationError', gone);
vi.mock('../../../src/core/diagnostics/too-large-for-post', gone);

const s3 = createS3Emulator({ endpoint: ENDPOINT, region: REGION, buckets: [BUCKET], credentials: [CREDENTIALS] });
const server = setupServer(...s3.handlers, ...backendHandlers({ maxSize: 10 }));
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
beforeEach(() => s3.store.clear());
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

const POLICY = `${APP}/api/policy/boto3`;

function photo(bytes = 'PNG', name = 'cat.png'): File {
  return new File([bytes], name, { type: 'image/png' });
}

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => {
      throw new Error('expected the upload to fail');
    },
    (error: unknown) => error,
  );
}

describe('a failure whose module cannot be loaded still reaches the caller', () => {
  it("S3's refusal: S3ResponseError with the status and S3's body as the message", async () => {
    const body = '<Error><Code>AccessDenied</Code><Message>Access Denied</Message></Error>';
    server.use(http.post(BUCKET_URL, () => HttpResponse.xml(body, { status: 403 })));
    const error = await rejection(uploadFile(photo(), { policy: POLICY }));
    expect(error).toBeInstanceOf(S3ResponseError);
    expect(error).toMatchObject({ status: 403, code: 'http-403', s3: { message: body } });
    expect((error as S3ResponseError).hint).toContain('ErrorResponses.html#ErrorCodeList');
    expect((error as S3ResponseError).cause).toBeInstanceOf(Error);
  });

  it('a network error, without the retry loop: the NetworkError of the one try', async () => {
    let posts = 0;
    server.use(
      http.post(BUCKET_URL, () => {
        posts += 1;
        return HttpResponse.error();
      }),
    );
    const error = await rejection(uploadFile(photo(), { policy: POLICY }));
    expect(error).toBeInstanceOf(NetworkError);
    expect(error).toMatchObject({ code: 'network-or-cors', attempts: 1 });
    expect(posts).toBe(1);
  });

  it("the backend's error status: PolicyAnswerError backend-http-error with the status", async () => {
    server.use(http.post(POLICY, () => HttpResponse.text('boom', { status: 500 })));
    const error = await rejection(uploadFile(photo(), { policy: POLICY }));
    expect(error).toBeInstanceOf(PolicyAnswerError);
    expect(error).toMatchObject({ code: 'backend-http-error', status: 500 });
    expect((error as Error).message).toContain(`POST ${POLICY}`);
  });

  it('an unusable answer: an error naming the problem, nothing sent', async () => {
    server.use(http.post(POLICY, () => HttpResponse.json({ url: BUCKET_URL })));
    const error = await rejection(uploadFile(photo(), { policy: POLICY }));
    expect((error as Error).message).toBe("The backend's policy answer is unusable (missing); nothing was sent.");
    expect((error as Error).cause).toBeInstanceOf(Error);
  });

  it('a file the policy refuses: an error naming the broken rule, nothing sent', async () => {
    const error = await rejection(uploadFile(photo('more than ten bytes'), { policy: POLICY }));
    expect((error as Error).message).toBe('S3 would refuse this form under its policy (too-large); nothing was sent.');
    expect(s3.store.getObject(BUCKET, 'uploads/cat.png')).toBeUndefined();
  });

  it('a file over 5 GiB without multipart: an error saying so, nothing sent', async () => {
    const huge = photo();
    Object.defineProperty(huge, 'size', { value: 6 * 1024 ** 3 });
    const error = await rejection(uploadFile(huge, { policy: POLICY }));
    expect((error as Error).message).toBe(`cat.png is ${6 * 1024 ** 3} bytes, more than one POST can carry (5 GiB); nothing was sent.`);
  });
});
