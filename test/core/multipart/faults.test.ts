// The multipart engine under faults, over a real socket: a part whose connection drops is the only one
// sent again; a cancel mid-part aborts the upload in S3 (no orphaned parts); a reload mid-upload sends,
// the second time, only the parts S3 does not hold.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startMultipartUpload, UploadAbortedError, type MultipartOptions, type UploadProgress } from '../../../src/index';
import { memoryStorage } from '../../support/multipart-fixtures';
import { FAULT_BUCKET, installUploadProgress, startFaultServer, type FaultServer, type ReceivedRequest } from '../../support/fault-server';
import { expectSteadyProgress, randomFile, sameBytes } from '../retry/fault-fixtures';
import { multipartBackend } from './fault-backend';
import { eventually } from '../../support/eventually';

const MIB = 1024 * 1024;
const PART_SIZE = 5 * MIB;
const KEY = 'uploads/movie.mp4';

let server: FaultServer;
let restoreXhr: () => void;
beforeEach(async () => {
  server = await startFaultServer();
  restoreXhr = installUploadProgress(server);
});
afterEach(async () => {
  restoreXhr();
  await server.stop();
});

function threePartFile() {
  return randomFile(2 * PART_SIZE + 12_345, 'movie.mp4', 'video/mp4');
}

function partOf(request: { readonly method: string; readonly url: URL }): number | undefined {
  const value = request.url.searchParams.get('partNumber');
  return request.method === 'PUT' && value !== null ? Number(value) : undefined;
}

/** The part PUTs that reached the server, in arrival order, from index `from`. */
function partPuts(from = 0): ReceivedRequest[] {
  return server.received.slice(from).filter((request) => request.method === 'PUT' && new URL(request.path, server.url).searchParams.has('partNumber'));
}

function partNumbers(requests: readonly ReceivedRequest[]): number[] {
  return requests.map((request) => Number(new URL(request.path, server.url).searchParams.get('partNumber')));
}

describe('multipart upload under faults', () => {
  it('a connection dropped mid-part: only that part is sent again, 1 MiB lost', async () => {
    server.inject({ name: 'drop', when: (request) => partOf(request) === 2, action: { kind: 'drop', afterBytes: MIB } });
    const backend = multipartBackend(server);
    const { file, bytes } = threePartFile();
    const progress: UploadProgress[] = [];
    const multipart: MultipartOptions = { backend: { presigned: backend.contract }, partSize: PART_SIZE, concurrency: 1, resume: false, retry: { baseDelayMs: 1 } };
    await startMultipartUpload(file, { multipart, onProgress: (event) => progress.push(event) }).promise;

    expect(sameBytes(server.s3.store.getObject(FAULT_BUCKET, KEY)?.body, bytes)).toBe(true);
    const puts = partPuts();
    expect(partNumbers(puts)).toEqual([1, 2, 2, 3]);
    expect(puts.map((put) => put.fault ?? put.bytes)).toEqual([PART_SIZE, 'drop', PART_SIZE, 12_345]);
    expect(puts[1]?.bytes).toBe(MIB);
    expectSteadyProgress(progress);
    expect(progress.at(-1)).toEqual({ loaded: file.size, total: file.size });
  });

  it('canceled mid-part: UploadAbortedError, AbortMultipartUpload sent, no multipart upload left in S3', async () => {
    server.inject({ name: 'hang', when: (request) => partOf(request) === 2, action: { kind: 'hang' } });
    const backend = multipartBackend(server);
    const controller = new AbortController();
    const { file } = threePartFile();
    const multipart: MultipartOptions = { backend: { presigned: backend.contract }, partSize: PART_SIZE, concurrency: 1, resume: false };
    const task = startMultipartUpload(file, { multipart, signal: controller.signal });
    // Part 2 is on the way: its bytes reach S3, which will not answer.
    await eventually(() => expect(partPuts().find((put) => put.fault === 'hang')?.bytes).toBeGreaterThan(0));
    expect(server.s3.store.listMultipartUploads(FAULT_BUCKET)).toHaveLength(1);
    controller.abort();

    await expect(task.promise).rejects.toBeInstanceOf(UploadAbortedError);
    await eventually(() => expect(task.state.status).toBe('canceled'));
    await eventually(() => expect(server.s3.store.listMultipartUploads(FAULT_BUCKET)).toEqual([]));
    const aborts = server.received.filter((request) => request.method === 'DELETE' && request.path.includes('uploadId='));
    expect(aborts.map((request) => request.status)).toEqual([204]);
    expect(backend.calls.at(-1)).toBe('abort');
    expect(server.s3.store.getObject(FAULT_BUCKET, KEY)).toBeUndefined();
    expect(partNumbers(partPuts())).toEqual([1, 2]);
  });

  it('a reload mid-upload: the same file picked again sends only the part S3 does not hold', async () => {
    server.inject({ name: 'hang', when: (request) => partOf(request) === 3, action: { kind: 'hang' } });
    const storage = memoryStorage();
    const backend = multipartBackend(server);
    const { file, bytes } = threePartFile();
    const multipart: MultipartOptions = { backend: { presigned: backend.contract }, partSize: PART_SIZE, concurrency: 1, resume: { storage }, retry: { baseDelayMs: 1 } };

    // The first page: parts 1 and 2 stored, part 3 on the way, and the page is gone (nothing aborted).
    const first = startMultipartUpload(file, { multipart });
    first.promise.catch(() => undefined);
    await eventually(() => expect(partPuts().find((put) => put.fault === 'hang')?.bytes).toBeGreaterThan(0));
    expect(first.state.parts).toMatchObject({ done: 2, inFlight: 1 });
    expect(storage.entries.size).toBe(1);

    // The second page: the same file, picked again.
    const from = server.received.length;
    const calls = backend.calls.length;
    const again = new File([new Uint8Array(bytes)], file.name, { type: file.type, lastModified: file.lastModified });
    const result = await startMultipartUpload(again, { multipart }).promise;

    expect(result.key).toBe(KEY);
    expect(sameBytes(server.s3.store.getObject(FAULT_BUCKET, KEY)?.body, bytes)).toBe(true);
    expect(partNumbers(partPuts(from))).toEqual([3]);
    expect(partPuts(from)[0]?.bytes).toBe(12_345);
    expect(backend.calls.slice(calls)).toEqual(['list-parts', 'sign-parts 3', 'complete']);
    expect(server.s3.store.listMultipartUploads(FAULT_BUCKET)).toEqual([]);
    // The first page's part 3 would otherwise be retried against the stopped server after this test.
    first.pause();
  });
});
