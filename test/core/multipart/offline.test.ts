// Offline, the parts wait: a part whose connection went with the network is not counted as a failed
// try (retry: { attempts: 1 } would otherwise end the upload), no part is sent until the `online`
// event, the task says it waits (`state.waiting`, onWaiting), and then it goes on by itself.
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { createS3Emulator } from '../../../mocks/index';
import { startMultipartUpload, type MultipartOptions, type MultipartState } from '../../../src/index';
import { sameBytes } from '../../mocks/multipart-fixtures';
import { CREDENTIALS } from '../../support/aws-signer';
import { BUCKET, ENDPOINT, REGION } from '../../support/backends';
import { beforeParts, isolateXhrResponseHeaders, PART_SIZE, threePartFile } from '../../support/multipart-fixtures';
import { MULTIPART_API, presignedBackend } from '../../support/multipart-presigned-backend';
import { eventually } from '../../support/eventually';

const s3 = createS3Emulator({ endpoint: ENDPOINT, region: REGION, buckets: [BUCKET], credentials: [CREDENTIALS] });
const backend = presignedBackend();
const server = setupServer(...s3.handlers, ...backend.handlers);
let offline = false;
beforeAll(() => {
  isolateXhrResponseHeaders();
  server.listen({ onUnhandledRequest: 'error' });
});
beforeEach(() => {
  s3.store.clear();
  offline = false;
  vi.spyOn(navigator, 'onLine', 'get').mockImplementation(() => !offline);
});
afterEach(() => {
  server.resetHandlers();
  vi.restoreAllMocks();
});
afterAll(() => server.close());

function options(extra: Partial<MultipartOptions> = {}): MultipartOptions {
  return { backend: { presigned: { url: MULTIPART_API } }, partSize: PART_SIZE, resume: false, concurrency: 1, retry: { attempts: 1, baseDelayMs: 1 }, ...extra };
}

function goOnline(): void {
  offline = false;
  window.dispatchEvent(new Event('online'));
}

describe('a multipart upload while offline', () => {
  it('a part whose connection went with the network waits for `online`, sends nothing meanwhile, then the upload completes', async () => {
    const parts = beforeParts(s3, (partNumber, attempt) => {
      if (partNumber !== 2 || attempt > 1) return undefined;
      offline = true;
      return HttpResponse.error();
    });
    server.use(parts.handler);
    const { file, bytes } = threePartFile();
    const waits: unknown[] = [];
    const states: MultipartState[] = [];
    const task = startMultipartUpload(file, { multipart: options(), onWaiting: (wait) => waits.push(wait) });
    task.subscribe((state) => states.push(state));

    await eventually(() => expect(task.state.waiting).toEqual({ reason: 'offline' }));
    expect(waits).toEqual([{ reason: 'offline' }]);
    expect(task.state).toMatchObject({ status: 'uploading', parts: { done: 1, inFlight: 0 } });
    expect(Object.fromEntries(parts.sent)).toEqual({ 1: 1, 2: 1 });

    goOnline();
    await task.promise;
    expect(task.state).toMatchObject({ status: 'success', waiting: undefined });
    expect(Object.fromEntries(parts.sent)).toEqual({ 1: 1, 2: 2, 3: 1 });
    expect(sameBytes(s3.store.getObject(BUCKET, 'uploads/movie.mp4')?.body, bytes)).toBe(true);
    // The wait ended before part 2 went again.
    const resent = states.findIndex((state) => state.parts.active.some((part) => part.partNumber === 2 && part.attempt === 2));
    expect(states[resent]?.waiting).toBeUndefined();
  });

  it('offline before the parts start: none is sent until `online`', async () => {
    const parts = beforeParts(s3, () => undefined);
    server.use(parts.handler);
    offline = true;
    const { file } = threePartFile();
    const task = startMultipartUpload(file, { multipart: options() });
    await eventually(() => expect(task.state.waiting).toEqual({ reason: 'offline' }));
    expect(parts.sent.size).toBe(0);
    goOnline();
    await task.promise;
    expect(Object.fromEntries(parts.sent)).toEqual({ 1: 1, 2: 1, 3: 1 });
  });

  it('offline when it starts: the upload is not created until `online` (creating is never repeated); pause and resume meanwhile', async () => {
    offline = true;
    const calls = backend.calls.length;
    const { file, bytes } = threePartFile();
    const waits: unknown[] = [];
    const task = startMultipartUpload(file, { multipart: options(), onWaiting: (wait) => void waits.push(wait) });
    await eventually(() => expect(task.state).toMatchObject({ status: 'creating', waiting: { reason: 'offline' } }));
    expect(waits).toEqual([{ reason: 'offline' }]);
    task.pause();
    expect(task.state).toMatchObject({ status: 'paused', waiting: undefined });
    task.resume();
    expect(task.state).toMatchObject({ status: 'creating', waiting: { reason: 'offline' } });
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(backend.calls.slice(calls), 'backend calls while offline').toEqual([]);
    goOnline();
    await task.promise;
    expect(backend.calls.slice(calls)).toEqual(['create', 'sign-parts 1,2,3', 'complete']);
    expect(sameBytes(s3.store.getObject(BUCKET, 'uploads/movie.mp4')?.body, bytes)).toBe(true);
  });

  it('the parts ended as the network went: Complete waits for `online` instead of failing, then the object is stored', async () => {
    const { file, bytes } = threePartFile();
    const calls = backend.calls.length;
    let refused = 0;
    // The first Complete finds the network gone (attempts: 1, so a counted try would end the upload).
    server.use(
      http.post(`${MULTIPART_API}/complete`, () => {
        if (refused > 0) return undefined;
        refused += 1;
        offline = true;
        return HttpResponse.error();
      }),
    );
    const task = startMultipartUpload(file, { multipart: options() });
    await eventually(() => expect(task.state).toMatchObject({ status: 'completing', waiting: { reason: 'offline' } }));
    goOnline();
    await task.promise;
    expect(refused).toBe(1);
    expect(backend.calls.slice(calls)).toEqual(['create', 'sign-parts 1,2,3', 'complete']);
    expect(sameBytes(s3.store.getObject(BUCKET, 'uploads/movie.mp4')?.body, bytes)).toBe(true);
  });

  it('pause while waiting ends the wait; resume waits again while still offline', async () => {
    const parts = beforeParts(s3, () => undefined);
    server.use(parts.handler);
    const { file } = threePartFile();
    // Offline once the upload is created, before its first part.
    const task = startMultipartUpload(file, {
      multipart: options({
        backend: {
          presigned: {
            ...backend.contract,
            createMultipartUpload: async (request, context) => {
              const created = await backend.contract.createMultipartUpload(request, context);
              offline = true;
              return created;
            },
          },
        },
      }),
    });
    await eventually(() => expect(task.state.waiting).toEqual({ reason: 'offline' }));
    task.pause();
    await eventually(() => expect(task.state).toMatchObject({ status: 'paused', waiting: undefined }));
    task.resume();
    await eventually(() => expect(task.state).toMatchObject({ status: 'uploading', waiting: { reason: 'offline' } }));
    expect(parts.sent.size).toBe(0);
    goOnline();
    await task.promise;
    expect(task.state.status).toBe('success');
  });
});
