// Parts that fail in passing are sent again: on network errors, 5xx and 503 SlowDown (after Retry-After
// when S3 gives one, else exponential backoff with full jitter), and a part URL that expired is signed
// again. Through it all the progress a user sees never goes backwards nor past 100%.
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createS3Emulator } from '../../../mocks/index';
import { NetworkError, S3ResponseError, startMultipartUpload, type MultipartOptions, type UploadProgress } from '../../../src/index';
import { sameBytes } from '../../mocks/multipart-fixtures';
import { CREDENTIALS } from '../../support/aws-signer';
import { BUCKET, ENDPOINT, REGION } from '../../support/backends';
import { beforeParts, isolateXhrResponseHeaders, PART_SIZE, putsPerPart, requestLog, s3ErrorResponse, threePartFile } from '../../support/multipart-fixtures';
import { MULTIPART_API, presignedBackend } from '../../support/multipart-presigned-backend';

const s3 = createS3Emulator({ endpoint: ENDPOINT, region: REGION, buckets: [BUCKET], credentials: [CREDENTIALS] });
const backend = presignedBackend();
const server = setupServer(...s3.handlers, ...backend.handlers);
beforeAll(() => {
  isolateXhrResponseHeaders();
  server.listen({ onUnhandledRequest: 'error' });
});
beforeEach(() => {
  s3.store.clear();
  backend.calls.length = 0;
});
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

function options(extra: Partial<MultipartOptions> = {}): MultipartOptions {
  return { backend: { presigned: { url: MULTIPART_API } }, partSize: PART_SIZE, resume: false, retry: { baseDelayMs: 1 }, ...extra };
}

/** Every progress value was at least the one before, none passed the total, and the last is the total. */
function expectSteadyProgress(events: readonly UploadProgress[], total: number): void {
  expect(events.length).toBeGreaterThan(0);
  events.forEach((event, index) => {
    expect(event.total).toBe(total);
    expect(event.loaded).toBeLessThanOrEqual(total);
    expect(event.loaded).toBeGreaterThanOrEqual(events[index - 1]?.loaded ?? 0);
  });
  expect(events.at(-1)?.loaded).toBe(total);
}

describe('a part that fails in passing', () => {
  it('500, then 503 SlowDown with Retry-After: 0, then stored: sent three times, progress steady', async () => {
    const failing = beforeParts(s3, (partNumber, attempt) => {
      if (partNumber !== 2) return undefined;
      if (attempt === 1) return s3ErrorResponse(500, 'InternalError', 'We encountered an internal error. Please try again.');
      if (attempt === 2) return s3ErrorResponse(503, 'SlowDown', 'Please reduce your request rate.', { 'Retry-After': '0' });
      return undefined;
    });
    server.use(failing.handler);
    const { file, bytes } = threePartFile();
    const progress: UploadProgress[] = [];
    const attemptsSeen = new Set<string>();
    const task = startMultipartUpload(file, { multipart: options(), onProgress: (event) => progress.push(event) });
    task.subscribe((state) => state.parts.active.forEach((part) => attemptsSeen.add(`${part.partNumber}#${part.attempt}`)));
    await task.promise;

    expect(sameBytes(s3.store.getObject(BUCKET, 'uploads/movie.mp4')?.body, bytes)).toBe(true);
    expect(Object.fromEntries(failing.sent)).toEqual({ 1: 1, 2: 3, 3: 1 });
    expect(attemptsSeen).toContain('2#3');
    // A naive sum of every try's bytes would pass 100% by two parts here.
    expectSteadyProgress(progress, file.size);
    expect(task.state).toMatchObject({ status: 'success', loaded: file.size, parts: { total: 3, done: 3, inFlight: 0 } });
  });

  it('honours Retry-After, in seconds or as an HTTP date, over its own backoff', async () => {
    const slow = beforeParts(s3, (partNumber, attempt) => {
      if (partNumber !== 1 || attempt > 2) return undefined;
      const retryAfter = attempt === 1 ? '0' : new Date(Date.now() - 1000).toUTCString();
      return s3ErrorResponse(503, 'SlowDown', 'Please reduce your request rate.', { 'Retry-After': retryAfter });
    });
    server.use(slow.handler);
    const { file } = threePartFile();
    // Backoff alone would wait up to ten minutes: the test passes in time only if Retry-After wins.
    await startMultipartUpload(file, { multipart: options({ retry: { baseDelayMs: 600_000, maxDelayMs: 600_000 } }) }).promise;
    expect(slow.sent.get(1)).toBe(3);
  });

  it('a network error is retried like a 5xx', async () => {
    const dropped = beforeParts(s3, (partNumber, attempt) => (partNumber === 3 && attempt === 1 ? HttpResponse.error() : undefined));
    server.use(dropped.handler);
    const { file, bytes } = threePartFile();
    await startMultipartUpload(file, { multipart: options() }).promise;
    expect(sameBytes(s3.store.getObject(BUCKET, 'uploads/movie.mp4')?.body, bytes)).toBe(true);
    expect(dropped.sent.get(3)).toBe(2);
  });

  it('gives up after the configured attempts with S3\'s error, and with resume off aborts the upload in S3', async () => {
    const broken = beforeParts(s3, (partNumber) => (partNumber === 2 ? s3ErrorResponse(500, 'InternalError', 'We encountered an internal error.') : undefined));
    server.use(broken.handler);
    const { file } = threePartFile();
    const task = startMultipartUpload(file, { multipart: options({ retry: { attempts: 2, baseDelayMs: 1 } }) });
    const error = await task.promise.catch((caught: unknown) => caught);

    expect(error).toBeInstanceOf(S3ResponseError);
    expect(error).toMatchObject({ code: 'InternalError', status: 500, method: 'PUT' });
    expect(broken.sent.get(2)).toBe(2);
    expect(task.state.status).toBe('error');
    expect(backend.calls.at(-1)).toBe('abort');
    expect(s3.store.listMultipartUploads(BUCKET)).toEqual([]);
  });

  it('a refusal that retrying cannot fix (403 AccessDenied) is not retried', async () => {
    const denied = beforeParts(s3, (partNumber) => (partNumber === 1 ? s3ErrorResponse(403, 'AccessDenied', 'Access Denied') : undefined));
    server.use(denied.handler);
    const { file } = threePartFile();
    const error = await startMultipartUpload(file, { multipart: options() }).promise.catch((caught: unknown) => caught);
    expect(error).toMatchObject({ code: 'AccessDenied' });
    expect(denied.sent.get(1)).toBe(1);
  });
});

describe('a part URL that expired', () => {
  it('is signed again and the part sent again, without counting as a failed try', async () => {
    const expiring = presignedBackend({ expiredUrls: 1 });
    server.use(...expiring.handlers);
    const { file, bytes } = threePartFile();
    const from = s3.requests.length;
    await startMultipartUpload(file, { multipart: options({ retry: { attempts: 1 }, concurrency: 1 }) }).promise;

    expect(sameBytes(s3.store.getObject(BUCKET, 'uploads/movie.mp4')?.body, bytes)).toBe(true);
    expect(requestLog(s3.requests, from)).toContain('PUT ?partNumber&uploadId 403 AccessDenied');
    expect(putsPerPart(s3, from)).toEqual({ 1: 2, 2: 1, 3: 1 });
    // Part 1 was signed with the first batch, then alone once S3 called its URL expired.
    expect(expiring.calls.filter((call) => call.startsWith('sign-parts'))).toContain('sign-parts 1');
  });

  it('with the emulator clock moved past a short expiry', async () => {
    // Its own backend: the AWS SDK corrects its clock from S3's Date header, and this S3's clock jumps.
    const shortLived = presignedBackend({ expiresIn: 5 });
    let jumpMs = 0;
    const later = createS3Emulator({ endpoint: ENDPOINT, region: REGION, buckets: [BUCKET], credentials: [CREDENTIALS], now: () => new Date(Date.now() + jumpMs) });
    // Part 2's first PUT reaches S3 ten seconds after its URL was made (a stalled tab, a slow network):
    // S3's clock is moved on for that one request, and its 5-second URL has expired.
    let stalled = false;
    server.use(
      ...shortLived.handlers,
      http.put(`https://${BUCKET}.s3.${REGION}.amazonaws.com/*`, async ({ request }) => {
        const stall = new URL(request.url).searchParams.get('partNumber') === '2' && !stalled;
        stalled ||= stall;
        jumpMs = stall ? 10_000 : 0;
        try {
          return await later.handle(request);
        } finally {
          jumpMs = 0;
        }
      }),
      ...later.handlers,
    );
    const { file, bytes } = threePartFile();
    await startMultipartUpload(file, { multipart: options({ concurrency: 1 }) }).promise;

    expect(sameBytes(later.store.getObject(BUCKET, 'uploads/movie.mp4')?.body, bytes)).toBe(true);
    expect(requestLog(later.requests).filter((line) => line.includes('403'))).toEqual(['PUT ?partNumber&uploadId 403 AccessDenied']);
    expect(shortLived.calls.filter((call) => call.startsWith('sign-parts'))).toContain('sign-parts 2');
  });
});

it('a NetworkError for a part that never gets an answer names the CORS rule to apply', async () => {
  server.use(beforeParts(s3, () => HttpResponse.error()).handler);
  const { file } = threePartFile();
  const error = await startMultipartUpload(file, { multipart: options({ retry: { attempts: 1 } }) }).promise.catch((caught: unknown) => caught);
  expect(error).toBeInstanceOf(NetworkError);
  expect(error).toMatchObject({ code: 'network-or-cors', method: 'PUT' });
});

it('a part that fails with status 0 on every try after other parts were stored says CORS lets the page through, and names what else fails that way', async () => {
  // Parts 1 and 2 are stored; part 3 never gets an answer the page may read (as when Chromium runs out of
  // memory for the slices of a Blob made in the page: net::ERR_BLOB_OUT_OF_MEMORY, status 0 to the page).
  const failing = beforeParts(s3, (partNumber) => (partNumber === 3 ? HttpResponse.error() : undefined));
  server.use(failing.handler);
  const { file } = threePartFile();
  const error = await startMultipartUpload(file, { multipart: options({ concurrency: 1, retry: { attempts: 3, baseDelayMs: 1 } }) }).promise.catch(
    (caught: unknown) => caught,
  );

  expect(error).toBeInstanceOf(NetworkError);
  expect(error).toMatchObject({ code: 'network-or-cors', method: 'PUT', attempts: 3 });
  expect(failing.sent.get(3)).toBe(3);
  const { message, hint } = error as NetworkError;
  expect(message).toMatch(/^PUT \S+partNumber=3\S* failed with status 0 on each of 3 tries, after 2 parts of this upload were stored through the same CORS rule: so not CORS\./);
  expect(message).toContain('ERR_BLOB_OUT_OF_MEMORY');
  expect(message).not.toContain('CORS is the likelier cause');
  expect(hint).toContain('Origin Private File System');
  expect(hint).toContain('the 2 stored parts are not sent again');
});

it('a first part that fails with status 0 on every try still points at CORS', async () => {
  server.use(beforeParts(s3, () => HttpResponse.error()).handler);
  const { file } = threePartFile();
  const error = await startMultipartUpload(file, { multipart: options({ concurrency: 1, retry: { attempts: 2, baseDelayMs: 1 } }) }).promise.catch(
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(NetworkError);
  expect(error).toMatchObject({ code: 'network-or-cors', attempts: 2 });
  expect((error as NetworkError).message).toContain('CORS is the likelier cause');
  expect((error as NetworkError).hint).toContain('apply this CORS rule');
});
