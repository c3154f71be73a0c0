// Pause stops the parts on the way and sends nothing until resume; finished parts are never sent again.
// Cancel stops everything and sends AbortMultipartUpload, so that S3 keeps (and bills) nothing.
// Parts 2 and 3 are held on their way (an MSW handler waiting on a gate) to pause or cancel while they
// are in flight. (Under MSW in Node, aborting an XHR does not stop the mocked request: a held request
// still reaches the handler when the gate opens, which is what a slow network does too.)
import { HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createS3Emulator } from '../../../mocks/index';
import {
  UploadAbortedError,
  startMultipartUpload,
  uploadFile,
  type MultipartOptions,
  type MultipartState,
  type MultipartTask,
  type PresignedMultipartContract,
  type UploadProgress,
} from '../../../src/index';
import { sameBytes } from '../../mocks/multipart-fixtures';
import { CREDENTIALS } from '../../support/aws-signer';
import { APP, BUCKET, ENDPOINT, REGION } from '../../support/backends';
import { beforeParts, isolateXhrResponseHeaders, memoryStorage, PART_SIZE, putsPerPart, requestLog, s3ErrorResponse, threePartFile } from '../../support/multipart-fixtures';
import { MULTIPART_API, presignedBackend } from '../../support/multipart-presigned-backend';
import { SIGN_HEADERS_URL, signingHandler } from '../../support/multipart-signing-backend';
import { eventually } from '../../support/eventually';

const s3 = createS3Emulator({ endpoint: ENDPOINT, region: REGION, buckets: [BUCKET], credentials: [CREDENTIALS] });
const backend = presignedBackend();
const server = setupServer(...s3.handlers, ...backend.handlers, signingHandler());
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

const options = (extra: Partial<MultipartOptions> = {}): MultipartOptions => ({
  backend: { presigned: { url: MULTIPART_API } },
  partSize: PART_SIZE,
  resume: false,
  retry: { baseDelayMs: 1 },
  ...extra,
});

/** Parts 2 and 3 wait at the gate on their first PUT; `open` lets them through to `then`. */
function holdParts(then: 'fail' | 'reach S3') {
  let open = (): void => undefined;
  const gate = new Promise<void>((resolve) => {
    open = resolve;
  });
  const held = beforeParts(s3, async (partNumber, attempt) => {
    if (partNumber === 1 || attempt > 1) return undefined;
    await gate;
    return then === 'fail' ? HttpResponse.error() : undefined;
  });
  server.use(held.handler);
  return { sent: held.sent, open };
}

/** Resolves with the first state of `task` that passes `test`. */
function until(task: MultipartTask, test: (state: MultipartState) => boolean): Promise<MultipartState> {
  return new Promise((resolve) => {
    if (test(task.state)) return resolve(task.state);
    const unsubscribe = task.subscribe((state) => {
      if (!test(state)) return;
      unsubscribe();
      resolve(state);
    });
  });
}

const oneDoneTwoOnTheWay = (state: MultipartState) => state.parts.done === 1 && state.parts.inFlight === 2;

/** Part 1 is done and parts 2 and 3 have reached the network, where they wait at the gate. */
async function heldInFlight(task: MultipartTask, sent: ReadonlyMap<number, number>): Promise<void> {
  await until(task, oneDoneTwoOnTheWay);
  await eventually(() => expect([sent.get(2), sent.get(3)]).toEqual([1, 1]));
}

describe('pause and resume', () => {
  it('pauses after the first part; on resume sends parts 2 and 3 again from their start, never part 1', async () => {
    const held = holdParts('fail');
    const { file, bytes } = threePartFile();
    const from = s3.requests.length;
    const progress: UploadProgress[] = [];
    const task = startMultipartUpload(file, { multipart: options(), onProgress: (event) => progress.push(event) });
    const statuses: string[] = [task.state.status];
    task.subscribe((state) => {
      if (statuses.at(-1) !== state.status) statuses.push(state.status);
    });

    await heldInFlight(task, held.sent);
    task.pause();
    expect(task.state).toMatchObject({ status: 'paused', parts: { total: 3, done: 1, inFlight: 0 } });
    held.open();
    // Paused means quiet: nothing more is sent, whatever the stopped requests do.
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(Object.fromEntries(held.sent)).toEqual({ 1: 1, 2: 1, 3: 1 });
    expect(task.state.status).toBe('paused');

    task.resume();
    const result = await task.promise;
    expect(sameBytes(s3.store.getObject(BUCKET, result.key)?.body, bytes)).toBe(true);
    expect(Object.fromEntries(held.sent)).toEqual({ 1: 1, 2: 2, 3: 2 });
    expect(putsPerPart(s3, from)).toEqual({ 1: 1, 2: 1, 3: 1 });
    expect(statuses).toEqual(['creating', 'uploading', 'paused', 'uploading', 'completing', 'success']);
    for (const [index, event] of progress.entries()) {
      expect(event.loaded).toBeGreaterThanOrEqual(progress[index - 1]?.loaded ?? 0);
      expect(event.loaded).toBeLessThanOrEqual(file.size);
    }
  });

  it('a pause from a listener, as the last part on the way finishes, never completes with parts missing', async () => {
    // Found against radosgw: the workers saw the paused signal between parts and ended quietly, and the
    // upload was completed with part 1 alone.
    const { file, bytes } = threePartFile();
    const from = s3.requests.length;
    const task = startMultipartUpload(file, { multipart: options({ concurrency: 1 }) });
    let paused = false;
    task.subscribe((state) => {
      if (!paused && state.parts.done === 1) {
        paused = true;
        task.pause();
      }
    });
    await until(task, (state) => state.status === 'paused');
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(task.state.status).toBe('paused');
    expect(requestLog(s3.requests, from).filter((line) => line.startsWith('POST ?uploadId '))).toEqual([]); // no Complete

    task.resume();
    const result = await task.promise;
    expect(sameBytes(s3.store.getObject(BUCKET, result.key)?.body, bytes)).toBe(true);
    expect(putsPerPart(s3, from)).toEqual({ 1: 1, 2: 1, 3: 1 });
  });

  it('a pause asked for while creating takes effect once the upload exists', async () => {
    const { file } = threePartFile();
    const from = s3.requests.length;
    const task = startMultipartUpload(file, { multipart: options() });
    task.pause();
    await until(task, (state) => state.status === 'paused');
    expect(task.state.uploadId).toEqual(expect.any(String));
    expect(putsPerPart(s3, from)).toEqual({});
    task.resume();
    await task.promise;
    expect(putsPerPart(s3, from)).toEqual({ 1: 1, 2: 1, 3: 1 });
  });
});

describe('cancel', () => {
  it('stops the parts on the way and aborts the upload: S3 holds nothing, even for parts that arrive late', async () => {
    const held = holdParts('reach S3');
    const { file } = threePartFile();
    const from = s3.requests.length;
    const task = startMultipartUpload(file, { multipart: options() });
    await heldInFlight(task, held.sent);

    await task.cancel();
    expect(task.state.status).toBe('canceled');
    expect(s3.store.listMultipartUploads(BUCKET)).toEqual([]);
    expect(requestLog(s3.requests, from)).toContain('DELETE ?uploadId 204');
    expect(backend.calls.at(-1)).toBe('abort');
    await expect(task.promise).rejects.toBeInstanceOf(UploadAbortedError);

    // The two stopped PUTs still reach S3 (as they may over a real network): the upload is gone.
    held.open();
    await eventually(() => expect(requestLog(s3.requests, from).filter((line) => line.endsWith('404 NoSuchUpload'))).toHaveLength(2));
    expect(s3.store.listMultipartUploads(BUCKET)).toEqual([]);
    expect(s3.store.listObjects(BUCKET)).toEqual([]);
  });

  it('while CreateMultipartUpload is on its way: waits for it, then aborts what it made', async () => {
    let answer = (): void => undefined;
    const slowCreate = new Promise<void>((resolve) => {
      answer = resolve;
    });
    const slow: PresignedMultipartContract = {
      ...backend.contract,
      createMultipartUpload: async (request, context) => {
        await slowCreate;
        return backend.contract.createMultipartUpload(request, context);
      },
    };
    const { file } = threePartFile();
    const task = startMultipartUpload(file, { multipart: options({ backend: { presigned: slow } }) });
    const canceled = task.cancel();
    answer();
    await canceled;
    expect(backend.calls).toEqual(['create', 'abort']);
    expect(s3.store.listMultipartUploads(BUCKET)).toEqual([]);
  });

  it('header signing: the kit sends AbortMultipartUpload itself, signed by the backend', async () => {
    const held = holdParts('fail');
    const { file } = threePartFile();
    const from = s3.requests.length;
    const task = startMultipartUpload(file, {
      key: 'uploads/${filename}',
      multipart: options({
        backend: { signHeaders: { signatureEndpoint: SIGN_HEADERS_URL, bucket: BUCKET, region: REGION, accessKeyId: CREDENTIALS.accessKeyId } },
      }),
    });
    await heldInFlight(task, held.sent);
    await task.cancel();
    held.open();
    expect(requestLog(s3.requests, from)).toContain('DELETE ?uploadId 204');
    expect(s3.store.listMultipartUploads(BUCKET)).toEqual([]);
  });

  it("uploadFile's signal cancels the same way, and the promise settles once S3 holds nothing", async () => {
    const controller = new AbortController();
    server.use(
      beforeParts(s3, (partNumber) => {
        if (partNumber === 2) controller.abort();
        return undefined;
      }).handler,
    );
    const { file } = threePartFile();
    const upload = uploadFile(file, { policy: `${APP}/unused`, multipart: options({ threshold: 0, concurrency: 1 }), signal: controller.signal });
    await expect(upload).rejects.toBeInstanceOf(UploadAbortedError);
    expect(backend.calls.at(-1)).toBe('abort');
    expect(s3.store.listMultipartUploads(BUCKET)).toEqual([]);
  });

  it('with a signal aborted before the start: nothing is asked of the backend', async () => {
    const controller = new AbortController();
    controller.abort();
    const { file } = threePartFile();
    const task = startMultipartUpload(file, { multipart: options(), signal: controller.signal });
    await expect(task.promise).rejects.toBeInstanceOf(UploadAbortedError);
    expect(task.state.status).toBe('canceled');
    expect(backend.calls).toEqual([]);
  });

  it('after a failure, discards the upload that was kept to be resumed', async () => {
    server.use(beforeParts(s3, (partNumber) => (partNumber === 2 ? s3ErrorResponse(403, 'AccessDenied', 'Access Denied') : undefined)).handler);
    const storage = memoryStorage();
    const { file } = threePartFile();
    const task = startMultipartUpload(file, { multipart: options({ resume: { storage } }) });
    await expect(task.promise).rejects.toMatchObject({ code: 'AccessDenied' });
    expect(s3.store.listMultipartUploads(BUCKET)).toHaveLength(1);
    expect(storage.entries.size).toBe(1);

    await task.cancel();
    expect(task.state.status).toBe('canceled');
    expect(s3.store.listMultipartUploads(BUCKET)).toEqual([]);
    expect(storage.entries.size).toBe(0);
  });
});
