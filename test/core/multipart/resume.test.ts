// Resuming after a reload: the upload id, key and finished parts are kept per file (and per backend) in
// storage; when the same file is picked again, the kit asks ListParts what S3 holds and sends only the
// rest. A first task is "reloaded away" by dropping it while its last part is on the way.
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createS3Emulator } from '../../../mocks/index';
import { startMultipartUpload, type MultipartOptions, type MultipartState, type ResumeStorage } from '../../../src/index';
import { sameBytes } from '../../mocks/multipart-fixtures';
import { CREDENTIALS } from '../../support/aws-signer';
import { BUCKET, ENDPOINT, REGION } from '../../support/backends';
import {
  beforeParts,
  isolateXhrResponseHeaders,
  memoryStorage,
  PART_SIZE,
  s3ErrorResponse,
  threePartFile,
} from '../../support/multipart-fixtures';
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

function options(storage: ResumeStorage, extra: Partial<MultipartOptions> = {}): MultipartOptions {
  return { backend: { presigned: { url: MULTIPART_API } }, partSize: PART_SIZE, resume: { storage }, concurrency: 1, retry: { baseDelayMs: 1 }, ...extra };
}

/** The same file picked again after a reload: a new File, same name, size and lastModified. */
function pickedAgain(file: File, bytes: Uint8Array): File {
  return new File([new Uint8Array(bytes)], file.name, { type: file.type, lastModified: file.lastModified });
}

/**
 * The first page: uploads until `done` parts are finished while the next one never gets an answer,
 * then is closed (the task is dropped, nothing is aborted). Returns what it left.
 */
async function closedAfter(done: number, file: File, multipart: MultipartOptions): Promise<MultipartState> {
  let reached = (): void => undefined;
  const hanging = new Promise<void>((resolve) => {
    reached = resolve;
  });
  server.use(
    beforeParts(s3, (partNumber) => {
      if (partNumber <= done) return undefined;
      reached();
      return new Promise<never>(() => undefined);
    }).handler,
  );
  const task = startMultipartUpload(file, { multipart });
  // The next part has reached the network (and will never be answered) before the page goes.
  await hanging;
  expect(task.state.parts).toMatchObject({ done, inFlight: 1 });
  server.resetHandlers();
  backend.calls.length = 0;
  return task.state;
}

/** The second page's part PUTs, counted by part number. */
function countParts() {
  const counted = beforeParts(s3, () => undefined);
  server.use(counted.handler);
  return counted.sent;
}

describe('after a reload, the same file', () => {
  it('sends only the part S3 does not hold, found by ListParts, and completes the same upload', async () => {
    const storage = memoryStorage();
    const { file, bytes } = threePartFile();
    const left = await closedAfter(2, file, options(storage));
    expect(s3.store.listMultipartUploads(BUCKET)[0]?.parts.map((part) => part.partNumber)).toEqual([1, 2]);

    const sent = countParts();
    const task = startMultipartUpload(pickedAgain(file, bytes), { multipart: options(storage) });
    const result = await task.promise;

    expect(Object.fromEntries(sent)).toEqual({ 3: 1 });
    expect(backend.calls).toEqual(['list-parts', 'sign-parts 3', 'complete']);
    expect(task.state).toMatchObject({ resumed: true, uploadId: left.uploadId, loaded: file.size });
    expect(sameBytes(s3.store.getObject(BUCKET, result.key)?.body, bytes)).toBe(true);
    // Done: nothing is kept any more.
    expect(storage.entries.size).toBe(0);
  });

  it('also after a failure: the upload stays in S3 and in storage, to be taken up again', async () => {
    const storage = memoryStorage();
    server.use(beforeParts(s3, (partNumber) => (partNumber === 3 ? s3ErrorResponse(500, 'InternalError', 'We encountered an internal error.') : undefined)).handler);
    const { file, bytes } = threePartFile();
    const first = startMultipartUpload(file, { multipart: options(storage, { retry: { attempts: 1 } }) });
    await expect(first.promise).rejects.toMatchObject({ code: 'InternalError' });
    expect(storage.entries.size).toBe(1);
    expect(s3.store.listMultipartUploads(BUCKET)).toHaveLength(1);
    server.resetHandlers();
    backend.calls.length = 0;

    const sent = countParts();
    await startMultipartUpload(pickedAgain(file, bytes), { multipart: options(storage) }).promise;
    expect(Object.fromEntries(sent)).toEqual({ 3: 1 });
    expect(s3.store.listMultipartUploads(BUCKET)).toEqual([]);
  });

  it('with per-part checksums: those of the parts S3 holds come back with ListParts for Complete', async () => {
    const storage = memoryStorage();
    const { file, bytes } = threePartFile();
    await closedAfter(2, file, options(storage, { checksum: 'crc32' }));
    const sent = countParts();
    const result = await startMultipartUpload(pickedAgain(file, bytes), { multipart: options(storage, { checksum: 'crc32' }) }).promise;
    expect(Object.fromEntries(sent)).toEqual({ 3: 1 });
    expect(sameBytes(s3.store.getObject(BUCKET, result.key)?.body, bytes)).toBe(true);
  });

  it('keeps the part size it started with, whatever the options say now', async () => {
    const storage = memoryStorage();
    const { file, bytes } = threePartFile();
    await closedAfter(2, file, options(storage));
    const sent = countParts();
    const task = startMultipartUpload(pickedAgain(file, bytes), { multipart: options(storage, { partSize: 6 * 1024 * 1024 }) });
    await task.promise;
    expect(Object.fromEntries(sent)).toEqual({ 3: 1 });
    expect(task.state.parts).toMatchObject({ total: 3, size: PART_SIZE });
  });
});

describe('starts afresh', () => {
  it('when S3 no longer knows the stored upload (NoSuchUpload): the entry is forgotten', async () => {
    const storage = memoryStorage();
    const { file, bytes } = threePartFile();
    const left = await closedAfter(1, file, options(storage));
    // A lifecycle rule (or another tab) aborted it meanwhile.
    await backend.contract.abortMultipartUpload({ uploadId: left.uploadId ?? '', key: left.key ?? '' }, { signal: new AbortController().signal });
    backend.calls.length = 0;

    const sent = countParts();
    const task = startMultipartUpload(pickedAgain(file, bytes), { multipart: options(storage) });
    await task.promise;
    expect(backend.calls).toEqual(['list-parts', 'create', 'sign-parts 1,2,3', 'complete']);
    expect(Object.fromEntries(sent)).toEqual({ 1: 1, 2: 1, 3: 1 });
    expect(task.state.resumed).toBe(false);
    expect(task.state.uploadId).not.toBe(left.uploadId);
  });

  it('when the stored entry is older than ttlMs, which is pruned', async () => {
    const storage = memoryStorage();
    const { file, bytes } = threePartFile();
    await closedAfter(2, file, options(storage, { resume: { storage, ttlMs: 1 } }));
    await new Promise((resolve) => setTimeout(resolve, 5));
    const task = startMultipartUpload(pickedAgain(file, bytes), { multipart: options(storage, { resume: { storage, ttlMs: 1 } }) });
    expect(storage.entries.size).toBe(0);
    await task.promise;
    expect(backend.calls[0]).toBe('create');
  });

  it("for another app's backend: the same file uploaded elsewhere is not taken for this one", async () => {
    const storage = memoryStorage();
    const { file, bytes } = threePartFile();
    await closedAfter(2, file, options(storage));
    const other = presignedBackend();
    const task = startMultipartUpload(pickedAgain(file, bytes), { multipart: options(storage, { backend: { presigned: other.contract } }) });
    await task.promise;
    expect(other.calls[0]).toBe('create');
    expect(task.state.resumed).toBe(false);
  });

  it('for another key asked for', async () => {
    const storage = memoryStorage();
    const { file, bytes } = threePartFile();
    await closedAfter(2, file, options(storage));
    await startMultipartUpload(pickedAgain(file, bytes), { multipart: options(storage), key: 'uploads/copy.mp4' }).promise;
    expect(backend.calls[0]).toBe('create');
  });
});

it('uploads all the same when storage throws at every call (blocked, full)', async () => {
  const broken: ResumeStorage = {
    get length(): number {
      throw new DOMException('The operation is insecure.', 'SecurityError');
    },
    key: () => {
      throw new DOMException('The operation is insecure.', 'SecurityError');
    },
    getItem: () => {
      throw new DOMException('The operation is insecure.', 'SecurityError');
    },
    setItem: () => {
      throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
    },
    removeItem: () => undefined,
  };
  const { file, bytes } = threePartFile();
  const result = await startMultipartUpload(file, { multipart: options(broken) }).promise;
  expect(sameBytes(s3.store.getObject(BUCKET, result.key)?.body, bytes)).toBe(true);
});

it('resume: false keeps nothing in localStorage', async () => {
  localStorage.clear();
  const { file } = threePartFile();
  await startMultipartUpload(file, { multipart: { backend: { presigned: { url: MULTIPART_API } }, partSize: PART_SIZE, resume: false } }).promise;
  expect(localStorage.length).toBe(0);
});
