// After S3 has an object: the app's upload-finished call and its delete call, through an endpoint (JSON
// POSTed as the README says) or a function; failures say where the object stands.
import { http, HttpResponse, delay } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  AfterUploadError,
  S3UploadError,
  UploadAbortedError,
  deleteUploadedObject,
  isS3UploadError,
  notifyUploadFinished,
  type UploadFinishedInfo,
} from '../../src/index';

const APP = 'https://app.example';
const server = setupServer();
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

const info: UploadFinishedInfo = { key: 'uploads/cat.png', bucket: 'photos', etag: '9a0364b9e99bb480dd25e1f0284c8555', location: 'https://photos.s3.eu-west-1.amazonaws.com/uploads/cat.png' };

/** Answers `respond` at `path`, keeping what each request sent. */
function endpoint(path: string, respond: () => Response) {
  const seen: Array<{ body: unknown; headers: Headers }> = [];
  server.use(
    http.post(`${APP}${path}`, async ({ request }) => {
      seen.push({ body: await request.json(), headers: request.headers });
      return respond();
    }),
  );
  return seen;
}

describe('notifyUploadFinished', () => {
  it('POSTs { key, bucket, etag } as JSON with the endpoint headers, and resolves with the answer', async () => {
    const seen = endpoint('/api/uploaded', () => HttpResponse.json({ id: 42, thumbnail: '/t/42.png' }));
    const answer = await notifyUploadFinished(info, { url: `${APP}/api/uploaded`, headers: () => ({ 'X-CSRF-Token': 't0k' }) });
    expect(answer).toEqual({ id: 42, thumbnail: '/t/42.png' });
    expect(seen).toHaveLength(1);
    expect(seen[0]?.body).toEqual({ key: 'uploads/cat.png', bucket: 'photos', etag: '9a0364b9e99bb480dd25e1f0284c8555' });
    expect(seen[0]?.headers.get('content-type')).toBe('application/json');
    expect(seen[0]?.headers.get('x-csrf-token')).toBe('t0k');
  });

  it('sends etag null when the bucket hid it, and takes an empty 204 as an answer of undefined', async () => {
    const seen = endpoint('/api/uploaded', () => new HttpResponse(null, { status: 204 }));
    await expect(notifyUploadFinished({ ...info, etag: undefined }, `${APP}/api/uploaded`)).resolves.toBeUndefined();
    expect(seen[0]?.body).toEqual({ key: 'uploads/cat.png', bucket: 'photos', etag: null });
  });

  it('an HTTP error: AfterUploadError saying the file IS in S3, with the status and the body', async () => {
    endpoint('/api/uploaded', () => new HttpResponse('database is read-only', { status: 503, statusText: 'Service Unavailable' }));
    const error = await notifyUploadFinished(info, `${APP}/api/uploaded`).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(AfterUploadError);
    expect(error).toBeInstanceOf(S3UploadError);
    expect(isS3UploadError(error)).toBe(true);
    expect(error).toMatchObject({ name: 'AfterUploadError', code: 'upload-finished-failed', status: 503, bucket: 'photos', key: 'uploads/cat.png' });
    const { message, hint } = error instanceof AfterUploadError ? error : { message: '', hint: '' };
    expect(message).toContain('The file is in S3 (s3://photos/uploads/cat.png)');
    expect(message).toContain(`POST ${APP}/api/uploaded`);
    expect(message).toContain('503');
    expect(message).toContain('database is read-only');
    expect(hint).toContain('Nothing needs to be uploaded again');
  });

  it('an HTML page with status 200 (a login redirect) is a failure, not an answer', async () => {
    endpoint('/api/uploaded', () => new HttpResponse('<html><body>Sign in</body></html>', { headers: { 'Content-Type': 'text/html' } }));
    await expect(notifyUploadFinished(info, `${APP}/api/uploaded`)).rejects.toMatchObject({ code: 'upload-finished-failed', message: expect.stringContaining('an HTML page') });
  });

  it('a function gets { key, bucket, etag, location } and the signal; its failure is the cause', async () => {
    const fn = vi.fn(async () => ({ ok: true }));
    await expect(notifyUploadFinished(info, fn)).resolves.toEqual({ ok: true });
    expect(fn).toHaveBeenCalledWith(info, { signal: expect.any(AbortSignal) });

    const broken = new Error('GraphQL: mutation fileUploaded failed');
    const error = await notifyUploadFinished(info, async () => Promise.reject(broken)).catch((caught: unknown) => caught);
    expect(error).toMatchObject({ code: 'upload-finished-failed', status: undefined, cause: broken });
    expect(error instanceof Error && error.message).toContain("the app's function");
    expect(error instanceof Error && error.message).toContain('GraphQL: mutation fileUploaded failed');
  });

  it('abort settles at once with UploadAbortedError, even when the function ignores the signal', async () => {
    const controller = new AbortController();
    const pending = notifyUploadFinished(info, () => new Promise(() => undefined), { signal: controller.signal });
    controller.abort();
    await expect(pending).rejects.toBeInstanceOf(UploadAbortedError);

    server.use(http.post(`${APP}/api/slow`, async () => {
      await delay('infinite');
      return HttpResponse.json({});
    }));
    const slow = new AbortController();
    const fetching = notifyUploadFinished(info, `${APP}/api/slow`, { signal: slow.signal });
    slow.abort();
    await expect(fetching).rejects.toBeInstanceOf(UploadAbortedError);
  });
});

describe('deleteUploadedObject', () => {
  it('POSTs { key, bucket } and resolves with the answer', async () => {
    const seen = endpoint('/api/delete', () => HttpResponse.json({ deleted: true }));
    await expect(deleteUploadedObject({ key: 'uploads/cat.png', bucket: 'photos' }, `${APP}/api/delete`)).resolves.toEqual({ deleted: true });
    expect(seen.map((request) => request.body)).toEqual([{ key: 'uploads/cat.png', bucket: 'photos' }]);
  });

  it('a failure says the object is still in S3, with the status and body', async () => {
    endpoint('/api/delete', () => HttpResponse.json({ error: 'not your file' }, { status: 403, statusText: 'Forbidden' }));
    const error = await deleteUploadedObject({ key: 'uploads/cat.png', bucket: 'photos' }, { url: `${APP}/api/delete` }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(AfterUploadError);
    expect(error).toMatchObject({ code: 'delete-failed', status: 403 });
    expect(error instanceof Error && error.message).toMatch(/^The file is still in S3 \(s3:\/\/photos\/uploads\/cat\.png\)/);
    expect(error instanceof Error && error.message).toContain('not your file');
  });

  it('a function gets the ref and the signal', async () => {
    const fn = vi.fn(async () => undefined);
    await deleteUploadedObject({ key: 'k', bucket: 'b' }, fn);
    expect(fn).toHaveBeenCalledWith({ key: 'k', bucket: 'b' }, { signal: expect.any(AbortSignal) });
  });
});
