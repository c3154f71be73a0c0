// Large files through useS3Upload and <Uploader>: a file above `multipart.threshold` goes by S3
// multipart upload (the presigned contract of test/support, against the S3 emulator), can be paused and
// resumed without sending a finished part twice, canceled with AbortMultipartUpload, retried sending
// only the missing parts, and taken up again after a reload. Parts are 5 MiB; the file is 12 MiB, so 3.
import { act, render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { HttpResponse, http } from 'msw';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { MultipartOptions, ResumeStorage } from '../../src/index';
import { Uploader, type FileProgress, type Upload, type UploadOutcome } from '../../src/react/index';
import { sameBytes } from '../mocks/multipart-fixtures';
import {
  MIB,
  PART_SIZE,
  beforeParts,
  isolateXhrResponseHeaders,
  memoryStorage,
  putsPerPart,
  randomFile,
  s3ErrorResponse,
} from '../support/multipart-fixtures';
import { MULTIPART_API, presignedBackend } from '../support/multipart-presigned-backend';
import { BUCKET, REUSABLE_POLICY, file, holdS3Posts, s3, server, useTestServer, renderUpload, gate, renderStrict } from '../support/react-harness';

useTestServer();
const backend = presignedBackend();
beforeAll(() => isolateXhrResponseHeaders());
beforeEach(() => {
  server.use(...backend.handlers);
  backend.calls.length = 0;
});

function multipart(storage: ResumeStorage, extra: Partial<MultipartOptions> = {}): MultipartOptions {
  return { backend: { presigned: { url: MULTIPART_API } }, threshold: 6 * MIB, partSize: PART_SIZE, resume: { storage }, retry: { baseDelayMs: 1 }, ...extra };
}

/** 12 MiB: parts of 5, 5 and 2 MiB. */
const bigFile = () => randomFile(12 * MIB);

/** The same file picked again after a reload: a new File, same name, size and lastModified. */
function pickedAgain(original: File, bytes: Uint8Array): File {
  return new File([new Uint8Array(bytes)], original.name, { type: original.type, lastModified: original.lastModified });
}

/**
 * Parts 2 and 3 wait at a gate on their first PUT; open() lets them through to fail (a dropped
 * connection). With `holdRetries`, their second PUT waits for openRetries() before reaching S3.
 */
function holdParts(options: { holdRetries?: boolean } = {}) {
  const first = gate();
  const retries = gate();
  if (!options.holdRetries) retries.open();
  const held = beforeParts(s3, async (partNumber, attempt) => {
    if (partNumber === 1) return undefined;
    if (attempt > 1) return void (await retries.opened);
    await first.opened;
    return HttpResponse.error();
  });
  server.use(held.handler);
  return { sent: held.sent, open: first.open, openRetries: retries.open };
}

function only(uploads: readonly Upload[]): Upload {
  const [upload] = uploads;
  if (!upload) throw new Error('no upload in the list');
  return upload;
}

const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('useS3Upload with options.multipart', () => {
  it('sends a file above the threshold in parts and a small one by POST; S3 stores the bytes; progress only grows', async () => {
    const { file: movie, bytes } = bigFile();
    const progress: FileProgress[] = [];
    const { result } = renderUpload({
      policy: REUSABLE_POLICY,
      multipart: multipart(memoryStorage()),
      onProgress: (event, upload) => void (upload.file === movie && progress.push(event)),
    });
    const outcomes = await act(() => result.current.upload([movie, file('cat.png')]));
    expect(outcomes.map((outcome) => [outcome.file.name, outcome.status])).toEqual([
      ['movie.mp4', 'success'],
      ['cat.png', 'success'],
    ]);
    const [stored] = outcomes;
    if (stored?.status !== 'success') throw new Error('the movie failed');
    expect(sameBytes(s3.store.getObject(BUCKET, stored.result.key)?.body, bytes)).toBe(true);
    expect(backend.calls).toEqual(['create', 'sign-parts 1,2,3', 'complete']);
    expect(putsPerPart(s3)).toMatchObject({ 1: 1, 2: 1, 3: 1 });

    const [big, small] = result.current.uploads;
    expect(big).toMatchObject({ status: 'success', parts: { total: 3, done: 3, inFlight: 0 }, resumed: false, progress: { percent: 100, bytes: movie.size } });
    expect(small).toMatchObject({ status: 'success', parts: undefined, resumed: false });
    expect(progress.length).toBeGreaterThan(0);
    for (const [index, event] of progress.entries()) {
      expect(event.bytes).toBeGreaterThanOrEqual(progress[index - 1]?.bytes ?? 0);
      // 100% only once S3 has completed the upload, never while the parts are merely all sent.
      expect(event.percent).toBeLessThanOrEqual(99);
    }
  });

  it('pause stops the parts on the way and sends nothing; resume sends them again, never the finished one', async () => {
    const held = holdParts();
    const { file: movie, bytes } = bigFile();
    const from = s3.requests.length;
    const { result } = renderUpload({ policy: REUSABLE_POLICY, multipart: multipart(memoryStorage()) });
    let pending: Promise<unknown> = Promise.resolve();
    act(() => {
      pending = result.current.upload([movie]);
    });
    await waitFor(() => expect(only(result.current.uploads).parts).toEqual({ total: 3, done: 1, inFlight: 2 }));
    await waitFor(() => expect([held.sent.get(2), held.sent.get(3)]).toEqual([1, 1]));
    const { id } = only(result.current.uploads);

    act(() => result.current.pause(id));
    expect(only(result.current.uploads)).toMatchObject({ status: 'paused', parts: { done: 1, inFlight: 0 } });
    expect(result.current.isUploading).toBe(true);
    held.open();
    await act(() => wait(50));
    expect(Object.fromEntries(held.sent)).toEqual({ 1: 1, 2: 1, 3: 1 });
    expect(only(result.current.uploads).status).toBe('paused');

    act(() => result.current.resume(id));
    await act(() => pending);
    expect(only(result.current.uploads).status).toBe('success');
    expect(Object.fromEntries(held.sent)).toEqual({ 1: 1, 2: 2, 3: 2 });
    expect(putsPerPart(s3, from)).toEqual({ 1: 1, 2: 1, 3: 1 });
    expect(sameBytes(s3.store.getObject(BUCKET, 'uploads/movie.mp4')?.body, bytes)).toBe(true);
  });

  it('a file paused while still queued starts paused: its upload is created, no part is sent until resume', async () => {
    const { release } = holdS3Posts();
    const { file: movie, bytes } = bigFile();
    const from = s3.requests.length;
    const { result } = renderUpload({ policy: REUSABLE_POLICY, concurrency: 1, multipart: multipart(memoryStorage()) });
    let pending: Promise<unknown> = Promise.resolve();
    act(() => {
      pending = result.current.upload([file('first.png'), movie]);
    });
    const id = result.current.uploads[1]?.id ?? '';
    expect(result.current.uploads[1]).toMatchObject({ status: 'queued', parts: { total: 0 } });
    act(() => result.current.pause(id));
    expect(result.current.uploads[1]?.status).toBe('paused');

    release();
    await waitFor(() => expect(result.current.uploads[0]?.status).toBe('success'));
    await waitFor(() => expect(backend.calls).toContain('create'));
    await act(() => wait(50));
    expect(result.current.uploads[1]).toMatchObject({ status: 'paused', parts: { total: 3, done: 0 } });
    expect(putsPerPart(s3, from)).toEqual({});

    act(() => result.current.resume(id));
    await act(() => pending);
    expect(result.current.uploads[1]?.status).toBe('success');
    expect(putsPerPart(s3, from)).toEqual({ 1: 1, 2: 1, 3: 1 });
    expect(sameBytes(s3.store.getObject(BUCKET, 'uploads/movie.mp4')?.body, bytes)).toBe(true);
  });

  it('a file paused while its upload is being created shows paused at once, and sends no part until resume', async () => {
    const creating = gate();
    let asked = false;
    server.use(
      http.post(`${MULTIPART_API}/create`, async () => {
        asked = true;
        await creating.opened;
        return undefined;
      }),
    );
    const { file: movie } = bigFile();
    const from = s3.requests.length;
    const { result } = renderUpload({ policy: REUSABLE_POLICY, multipart: multipart(memoryStorage()) });
    let pending: Promise<unknown> = Promise.resolve();
    act(() => {
      pending = result.current.upload([movie]);
    });
    await waitFor(() => expect(asked).toBe(true));
    expect(only(result.current.uploads).status).toBe('signing');
    act(() => result.current.pause(only(result.current.uploads).id));
    expect(only(result.current.uploads).status).toBe('paused');

    creating.open();
    await waitFor(() => expect(only(result.current.uploads).parts?.total).toBe(3));
    await act(() => wait(50));
    expect(only(result.current.uploads).status).toBe('paused');
    expect(putsPerPart(s3, from)).toEqual({});

    act(() => result.current.resume(only(result.current.uploads).id));
    await act(() => pending);
    expect(only(result.current.uploads).status).toBe('success');
    expect(putsPerPart(s3, from)).toEqual({ 1: 1, 2: 1, 3: 1 });
  });

  it('pause and resume have no effect on a file sent by one POST', async () => {
    const { result } = renderUpload({ policy: REUSABLE_POLICY, multipart: multipart(memoryStorage()) });
    let pending: Promise<unknown> = Promise.resolve();
    act(() => {
      pending = result.current.upload([file('cat.png')]);
    });
    const { id } = only(result.current.uploads);
    act(() => result.current.pause(id));
    expect(only(result.current.uploads).status).not.toBe('paused');
    await act(() => pending);
    expect(only(result.current.uploads)).toMatchObject({ status: 'success', parts: undefined });
  });

  it('cancel stops the parts and settles once AbortMultipartUpload has answered: S3 holds nothing', async () => {
    server.use(beforeParts(s3, (partNumber) => (partNumber === 1 ? undefined : new Promise<never>(() => undefined))).handler);
    const { file: movie } = bigFile();
    const { result } = renderUpload({ policy: REUSABLE_POLICY, multipart: multipart(memoryStorage()) });
    let pending: Promise<Array<{ status: string }>> = Promise.resolve([]);
    act(() => {
      pending = result.current.upload([movie]);
    });
    await waitFor(() => expect(only(result.current.uploads).parts).toMatchObject({ done: 1, inFlight: 2 }));
    expect(s3.store.listMultipartUploads(BUCKET)).toHaveLength(1);

    act(() => result.current.cancel(only(result.current.uploads).id));
    expect(only(result.current.uploads).status).toBe('canceled');
    const outcomes = await act(() => pending);
    expect(outcomes.map((outcome) => outcome.status)).toEqual(['canceled']);
    // Settled only after S3 answered the abort.
    expect(backend.calls.at(-1)).toBe('abort');
    expect(s3.store.listMultipartUploads(BUCKET)).toEqual([]);
    expect(s3.store.getObject(BUCKET, 'uploads/movie.mp4')).toBeUndefined();

    // Retry after cancel: a new upload from the start (the aborted one is not taken up), stored whole.
    server.resetHandlers();
    server.use(...backend.handlers);
    const calls = backend.calls.length;
    const retried = await act(() => result.current.retry(only(result.current.uploads).id));
    expect(retried?.status).toBe('success');
    expect(backend.calls.slice(calls)).toEqual(['create', 'sign-parts 1,2,3', 'complete']);
    expect(only(result.current.uploads)).toMatchObject({ status: 'success', resumed: false });
    expect(s3.store.getObject(BUCKET, 'uploads/movie.mp4')?.body.length).toBe(movie.size);
  });

  it('cancel of a paused file aborts the upload in S3 too', async () => {
    const held = holdParts();
    const { file: movie } = bigFile();
    const { result } = renderUpload({ policy: REUSABLE_POLICY, multipart: multipart(memoryStorage()) });
    let pending: Promise<Array<{ status: string }>> = Promise.resolve([]);
    act(() => {
      pending = result.current.upload([movie]);
    });
    await waitFor(() => expect(only(result.current.uploads).parts).toMatchObject({ done: 1, inFlight: 2 }));
    act(() => result.current.pause(only(result.current.uploads).id));
    held.open();
    act(() => result.current.cancel());
    expect((await act(() => pending)).map((outcome) => outcome.status)).toEqual(['canceled']);
    expect(s3.store.listMultipartUploads(BUCKET)).toEqual([]);
    expect(result.current.isUploading).toBe(false);
  });

  it('retry after a failed part sends only the missing part, and says the upload was resumed', async () => {
    const failed = beforeParts(s3, (partNumber, attempt) => (partNumber === 3 && attempt === 1 ? s3ErrorResponse(403, 'AccessDenied', 'Access Denied') : undefined));
    server.use(failed.handler);
    const { file: movie, bytes } = bigFile();
    const from = s3.requests.length;
    const { result } = renderUpload({ policy: REUSABLE_POLICY, multipart: multipart(memoryStorage(), { concurrency: 1, retry: { attempts: 1 } }) });
    const [first] = await act(() => result.current.upload([movie]));
    expect(first?.status).toBe('error');
    expect(only(result.current.uploads)).toMatchObject({ status: 'error', parts: { total: 3, done: 2 }, error: { code: 'AccessDenied' } });
    expect(Object.fromEntries(failed.sent)).toEqual({ 1: 1, 2: 1, 3: 1 });

    const again = await act(() => result.current.retry(only(result.current.uploads).id));
    expect(again?.status).toBe('success');
    expect(Object.fromEntries(failed.sent)).toEqual({ 1: 1, 2: 1, 3: 2 });
    expect(putsPerPart(s3, from)).toEqual({ 1: 1, 2: 1, 3: 1 });
    expect(backend.calls.filter((call) => call === 'create')).toHaveLength(1);
    expect(backend.calls).toContain('list-parts');
    expect(only(result.current.uploads)).toMatchObject({ status: 'success', resumed: true, parts: { total: 3, done: 3 } });
    expect(sameBytes(s3.store.getObject(BUCKET, 'uploads/movie.mp4')?.body, bytes)).toBe(true);
  });
});

describe('<Uploader> with options.multipart', () => {
  it('shows the parts, pauses and resumes from the keyboard-reachable button, and announces both', async () => {
    const held = holdParts({ holdRetries: true });
    const user = userEvent.setup();
    const { file: movie, bytes } = bigFile();
    render(<Uploader policy={REUSABLE_POLICY} multipart={multipart(memoryStorage())} />);
    await user.upload(screen.getByLabelText('Choose files to upload'), movie);
    const row = within(await screen.findByRole('listitem'));

    expect(await row.findByText('1 of 3 parts · 2 in flight', { exact: false })).toBeTruthy();
    await waitFor(() => expect([held.sent.get(2), held.sent.get(3)]).toEqual([1, 1]));
    const button = row.getByRole('button', { name: 'Pause movie.mp4' });
    await user.click(button);
    expect(row.getByText(/^Paused at \d+%/)).toBeTruthy();
    expect(await screen.findByText('movie.mp4 paused.')).toBeTruthy();
    // The same button, now Resume: keyboard focus did not move.
    expect(row.getByRole('button', { name: 'Resume movie.mp4' })).toBe(document.activeElement);
    held.open();

    await user.keyboard('{Enter}');
    expect(await screen.findByText('movie.mp4 resumed.')).toBeTruthy();
    expect(await row.findByText(/^Uploading \d+%/)).toBeTruthy();
    held.openRetries();
    expect(await row.findByText('Uploaded')).toBeTruthy();
    expect(row.queryByRole('button', { name: /^(Pause|Resume) / })).toBeNull();
    expect(sameBytes(s3.store.getObject(BUCKET, 'uploads/movie.mp4')?.body, bytes)).toBe(true);
    expect(Object.fromEntries(held.sent)).toEqual({ 1: 1, 2: 2, 3: 2 });
  });

  it('in StrictMode (effects run twice): one upload created, pause and resume work, the file is stored once', async () => {
    const held = holdParts({ holdRetries: true });
    const user = userEvent.setup();
    const { file: movie, bytes } = bigFile();
    renderStrict(<Uploader policy={REUSABLE_POLICY} multipart={multipart(memoryStorage())} />);
    await user.upload(screen.getByLabelText('Choose files to upload'), movie);
    const row = within(await screen.findByRole('listitem'));
    await waitFor(() => expect([held.sent.get(2), held.sent.get(3)]).toEqual([1, 1]));
    await user.click(row.getByRole('button', { name: 'Pause movie.mp4' }));
    expect(row.getByText(/^Paused at \d+%/)).toBeTruthy();
    held.open();
    await user.click(row.getByRole('button', { name: 'Resume movie.mp4' }));
    held.openRetries();
    expect(await row.findByText('Uploaded')).toBeTruthy();
    expect(screen.getAllByRole('listitem')).toHaveLength(1);
    expect(backend.calls.filter((call) => call === 'create')).toHaveLength(1);
    expect(backend.calls.filter((call) => call === 'complete')).toHaveLength(1);
    expect(sameBytes(s3.store.getObject(BUCKET, 'uploads/movie.mp4')?.body, bytes)).toBe(true);
    expect(Object.fromEntries(held.sent)).toEqual({ 1: 1, 2: 2, 3: 2 });
  });

  it('the same file added again while its first copy is on its way: both are stored, neither takes over the other\'s upload', async () => {
    // Found by probing: the second copy used to resume the first one's upload from the resume store,
    // completed it, and the first then failed with NoSuchUpload.
    const storage = memoryStorage();
    const { file: movie, bytes } = bigFile();
    const third = gate();
    server.use(beforeParts(s3, async (partNumber, attempt) => void (partNumber === 3 && attempt === 1 && (await third.opened))).handler);
    const { result } = renderUpload({ policy: REUSABLE_POLICY, multipart: multipart(storage, { concurrency: 1 }), concurrency: 2 });
    let first: Promise<UploadOutcome[]> = Promise.resolve([]);
    act(() => {
      first = result.current.upload([movie]);
    });
    await waitFor(() => expect(result.current.uploads[0]?.parts?.done).toBe(2));
    expect(storage.length).toBe(1);
    let second: Promise<UploadOutcome[]> = Promise.resolve([]);
    act(() => {
      second = result.current.upload([pickedAgain(movie, bytes)]);
    });
    await waitFor(() => expect(backend.calls.filter((call) => call === 'create')).toHaveLength(2));
    third.open();
    const outcomes = await act(async () => [...(await first), ...(await second)]);
    expect(outcomes.map((outcome) => outcome.status)).toEqual(['success', 'success']);
    expect(result.current.uploads.map((upload) => upload.resumed)).toEqual([false, false]);
    expect(backend.calls.filter((call) => call === 'complete')).toHaveLength(2);
    expect(sameBytes(s3.store.getObject(BUCKET, 'uploads/movie.mp4')?.body, bytes)).toBe(true);
    expect(storage.length).toBe(0);
  });

  it('after a reload, the same file picked again is taken up where it stopped: only the missing part is sent, and the row says "Resumed"', async () => {
    const storage = memoryStorage();
    const { file: movie, bytes } = bigFile();
    // The first page: parts 1 and 2 reach S3, part 3 never gets an answer, then the page goes away.
    server.use(beforeParts(s3, (partNumber) => (partNumber === 3 ? new Promise<never>(() => undefined) : undefined)).handler);
    const first = renderUpload({ policy: REUSABLE_POLICY, multipart: multipart(storage, { concurrency: 1 }) });
    act(() => void first.result.current.upload([movie]));
    await waitFor(() => expect(only(first.result.current.uploads).parts).toEqual({ total: 3, done: 2, inFlight: 1 }));
    expect(only(first.result.current.uploads).resumed).toBe(false);
    first.unmount();

    server.resetHandlers();
    server.use(...backend.handlers);
    const counted = beforeParts(s3, () => undefined);
    server.use(counted.handler);
    backend.calls.length = 0;
    const user = userEvent.setup();
    render(<Uploader policy={REUSABLE_POLICY} multipart={multipart(storage, { concurrency: 1 })} />);
    await user.upload(screen.getByLabelText('Choose files to upload'), pickedAgain(movie, bytes));
    const row = within(await screen.findByRole('listitem'));
    expect(await row.findByText('Uploaded')).toBeTruthy();
    expect(row.getByText('Resumed')).toBeTruthy();
    expect(Object.fromEntries(counted.sent)).toEqual({ 3: 1 });
    expect(backend.calls).not.toContain('create');
    expect(sameBytes(s3.store.getObject(BUCKET, 'uploads/movie.mp4')?.body, bytes)).toBe(true);
  });
});
