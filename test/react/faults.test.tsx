// Faults through useS3Upload and <Uploader>, against the S3 emulator: what the core does about them
// (retries with backoff, waiting while offline, signing again once on an expired policy or a clock S3
// disagrees with) is what the file's row shows ('waiting', with why) and announces, and every file ends
// uploaded or in an error with a Retry that works. A paused multipart file leaves its concurrency slot
// to the next file. Retry delays are 1 ms; what the tests watch is held by gates, not by timers.
import { act, render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { http, HttpResponse } from 'msw';
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { ClockSkewError, type MultipartOptions, type PolicyFunction, type PolicyRequest } from '../../src/index';
import { forgetClockOffset } from '../../src/core/retry/clock-offset';
import { Uploader, type FileProgress, type Upload } from '../../src/react/index';
import { sameBytes } from '../mocks/multipart-fixtures';
import { flatAnswer } from '../support/aws-signer';
import { REGION } from '../support/backends';
import { MIB, PART_SIZE, beforeParts, isolateXhrResponseHeaders, memoryStorage, putsPerPart, randomFile, s3ErrorResponse } from '../support/multipart-fixtures';
import { MULTIPART_API, presignedBackend } from '../support/multipart-presigned-backend';
import {
  BUCKET,
  BUCKET_URL,
  REUSABLE_POLICY,
  backendCalls,
  file,
  holdS3Posts,
  s3,
  s3Requests,
  server,
  storedKeys,
  storedText,
  useTestServer,
  renderUpload,
  gate,
  renderStrict,
} from '../support/react-harness';

useTestServer();
const multipartBackend = presignedBackend();
let offline = false;
beforeAll(() => isolateXhrResponseHeaders());
beforeEach(() => {
  offline = false;
  vi.spyOn(navigator, 'onLine', 'get').mockImplementation(() => !offline);
  server.use(...multipartBackend.handlers);
  multipartBackend.calls.length = 0;
  forgetClockOffset();
});
// What S3 taught about its clock is kept for the page's lifetime: not from one test to the next.
afterEach(() => forgetClockOffset());

const FAST = { baseDelayMs: 1 } as const;

function goOnline(): void {
  offline = false;
  act(() => void window.dispatchEvent(new Event('online')));
}

/** In front of the emulator: S3 POSTs answered by `decide` (undefined lets the emulator answer); counts them. */
function beforePosts(decide: (attempt: number) => Response | undefined | Promise<Response | undefined>): { readonly count: () => number } {
  let posts = 0;
  server.use(
    http.post(BUCKET_URL, async () => {
      posts += 1;
      return decide(posts);
    }),
  );
  return { count: () => posts };
}

/** A policy function as a backend writes it, signing with its own clock (or S3's, when asked and `honourServerTime`). */
function policyBackend(options: { stale?: (call: number) => boolean; clockOffsetMs?: number; honourServerTime?: boolean } = {}) {
  const requests: PolicyRequest[] = [];
  const policy: PolicyFunction = async (_file, { signal: _signal, ...request }) => {
    requests.push(request);
    const call = requests.length;
    // Expired a minute ago: S3 says so, while this device, allowing for clock skew, does not.
    if (options.stale?.(call)) return answer({ now: new Date(Date.now() - 120_000), expiresInSeconds: 60 });
    const ownClock = new Date(Date.now() + (options.clockOffsetMs ?? 0));
    const now = options.honourServerTime && request.serverTime ? new Date(request.serverTime) : ownClock;
    return answer({ now, expiresInSeconds: 3600 });
  };
  return { policy, requests };
}

function answer(dates: { now: Date; expiresInSeconds: number }) {
  return flatAnswer({ url: BUCKET_URL, key: 'uploads/${filename}', region: REGION, bucket: BUCKET, ...dates });
}

/** S3 checking X-Amz-Date against its clock (this device's here): more than 15 minutes off is refused, with both times. */
function checkClock(): { readonly refused: () => number } {
  let refused = 0;
  server.use(
    http.post(BUCKET_URL, async ({ request }) => {
      const form = await request.clone().formData();
      const date = String(form.get('X-Amz-Date') ?? form.get('x-amz-date') ?? '');
      const sent = Date.parse(date.replace(/^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/, '$1-$2-$3T$4:$5:$6Z'));
      if (Math.abs(Date.now() - sent) <= 15 * 60_000) return undefined;
      refused += 1;
      const serverTime = new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
      const body = `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>RequestTimeTooSkewed</Code><Message>The difference between the request time and the current time is too large.</Message><RequestTime>${date}</RequestTime><ServerTime>${serverTime}</ServerTime><MaxAllowedSkewMilliseconds>900000</MaxAllowedSkewMilliseconds><RequestId>4442587FB7D0A2F9</RequestId></Error>`;
      return new HttpResponse(body, { status: 403, headers: { 'Content-Type': 'application/xml' } });
    }),
  );
  return { refused: () => refused };
}

function only(uploads: readonly Upload[]): Upload {
  const [upload] = uploads;
  if (!upload) throw new Error('no upload in the list');
  return upload;
}

function expectSteady(progress: readonly FileProgress[]): void {
  expect(progress.length).toBeGreaterThan(0);
  progress.forEach((event, index) => expect(event.bytes).toBeGreaterThanOrEqual(progress[index - 1]?.bytes ?? 0));
}

describe('retries', () => {
  it('503 SlowDown once: the row says it retries (try 2 of 3) and announces it, then Uploaded; progress never goes back', async () => {
    const retried = gate();
    const posts = beforePosts(async (attempt) => {
      // Retry-After holds the wait for a second, so the row is seen waiting (a backoff of FAST may be 0 ms).
      if (attempt === 1) return s3ErrorResponse(503, 'SlowDown', 'Please reduce your request rate.', { 'Retry-After': '1' });
      await retried.opened;
      return undefined;
    });
    const progress: FileProgress[] = [];
    const user = userEvent.setup();
    render(<Uploader policy={REUSABLE_POLICY} retry={FAST} onProgress={(event) => void progress.push(event)} />);
    await user.upload(screen.getByLabelText('Choose files to upload'), file('cat.png'));
    const row = within(await screen.findByRole('listitem'));

    expect(await row.findByText(/^Retrying( in \d+ s)? \(try 2 of 3\)$/)).toBeTruthy();
    expect(row.getByRole('button', { name: 'Cancel cat.png' })).toBeTruthy();
    expect(screen.getByRole('status').textContent).toContain('cat.png did not get through; retrying (try 2 of 3).');
    retried.open();

    expect(await row.findByText('Uploaded')).toBeTruthy();
    expect(posts.count()).toBe(2);
    expect(storedText('uploads/cat.png')).toBe('bytes of cat.png');
    expectSteady(progress);
  });

  it('the hook: the snapshot has the wait (status waiting, attempt, attempts, until, the error), and onWaiting hears it', async () => {
    const retried = gate();
    beforePosts(async (attempt) => {
      if (attempt === 1) return HttpResponse.error();
      await retried.opened;
      return undefined;
    });
    const onWaiting = vi.fn();
    const { result } = renderUpload({ policy: REUSABLE_POLICY, retry: { attempts: 4, baseDelayMs: 1 }, onWaiting });
    let pending: Promise<unknown> = Promise.resolve();
    act(() => {
      pending = result.current.upload([file('cat.png')]);
    });
    await waitFor(() => expect(only(result.current.uploads).status).toBe('waiting'));
    const waiting = only(result.current.uploads);
    expect(waiting).toMatchObject({ status: 'waiting', wait: { reason: 'retry', attempt: 2, attempts: 4, until: expect.any(Number), error: { code: 'network-or-cors' } } });
    expect(result.current.isUploading).toBe(true);
    expect(onWaiting).toHaveBeenCalledWith(expect.objectContaining({ reason: 'retry', attempt: 2 }), expect.objectContaining({ id: waiting.id }));

    retried.open();
    await act(() => pending);
    expect(only(result.current.uploads).status).toBe('success');
  });

  it('retry: false: one try, and the failure is the file\'s error', async () => {
    const posts = beforePosts(() => s3ErrorResponse(503, 'SlowDown', 'Please reduce your request rate.'));
    const { result } = renderUpload({ policy: REUSABLE_POLICY, retry: false });
    const [outcome] = await act(() => result.current.upload([file('cat.png')]));
    expect(outcome).toMatchObject({ status: 'error', error: { code: 'SlowDown' } });
    expect(posts.count()).toBe(1);
  });
});

describe('offline', () => {
  it('<Uploader>: the row says it is offline, nothing is sent (not even the policy request), and it continues on `online`', async () => {
    offline = true;
    const user = userEvent.setup();
    render(<Uploader policy={REUSABLE_POLICY} retry={FAST} />);
    await user.upload(screen.getByLabelText('Choose files to upload'), file('cat.png'));
    const row = within(await screen.findByRole('listitem'));

    expect(await row.findByText('Offline — continues when the connection is back')).toBeTruthy();
    expect(await screen.findByText('cat.png: offline; the upload continues when the connection is back.')).toBeTruthy();
    expect(row.getByRole('progressbar').getAttribute('aria-valuetext')).toBe('0%, waiting');
    expect(backendCalls).toEqual([]);
    expect(s3Requests()).toEqual([]);

    goOnline();
    expect(await row.findByText('Uploaded')).toBeTruthy();
    expect(storedText('uploads/cat.png')).toBe('bytes of cat.png');
    expect(backendCalls).toHaveLength(1);
  });

  it('in StrictMode: one wait, one policy request and one POST once online', async () => {
    offline = true;
    const user = userEvent.setup();
    renderStrict(<Uploader policy={REUSABLE_POLICY} retry={FAST} />);
    await user.upload(screen.getByLabelText('Choose files to upload'), file('cat.png'));
    const row = within(await screen.findByRole('listitem'));
    expect(await row.findByText('Offline — continues when the connection is back')).toBeTruthy();
    expect(backendCalls).toEqual([]);
    goOnline();
    expect(await row.findByText('Uploaded')).toBeTruthy();
    expect(screen.getAllByRole('listitem')).toHaveLength(1);
    expect(backendCalls).toHaveLength(1);
    expect(s3Requests().filter((request) => request.method === 'POST')).toHaveLength(1);
  });

  it('a connection lost as the network goes is not a spent try (attempts: 1): the file waits, then is stored', async () => {
    const posts = beforePosts((attempt) => {
      if (attempt > 1) return undefined;
      offline = true;
      return HttpResponse.error();
    });
    const { result } = renderUpload({ policy: REUSABLE_POLICY, retry: { attempts: 1 } });
    let pending: Promise<unknown> = Promise.resolve();
    act(() => {
      pending = result.current.upload([file('cat.png')]);
    });
    await waitFor(() => expect(only(result.current.uploads)).toMatchObject({ status: 'waiting', wait: { reason: 'offline' } }));
    expect(posts.count()).toBe(1);

    goOnline();
    await act(() => pending);
    expect(only(result.current.uploads).status).toBe('success');
    expect(posts.count()).toBe(2);
    expect(storedText('uploads/cat.png')).toBe('bytes of cat.png');
  });

  it('cancel while offline settles at once as canceled, with nothing sent', async () => {
    offline = true;
    const { result } = renderUpload({ policy: REUSABLE_POLICY });
    let pending: Promise<Array<{ status: string }>> = Promise.resolve([]);
    act(() => {
      pending = result.current.upload([file('cat.png')]);
    });
    await waitFor(() => expect(only(result.current.uploads).status).toBe('waiting'));
    act(() => result.current.cancel());
    expect((await act(() => pending)).map((outcome) => outcome.status)).toEqual(['canceled']);
    expect(backendCalls).toEqual([]);
    expect(s3Requests()).toEqual([]);
  });
});

describe('signing again', () => {
  it('a policy S3 finds expired once: one more policy request, then Uploaded', async () => {
    const backend = policyBackend({ stale: (call) => call === 1 });
    const onWaiting = vi.fn();
    const { result } = renderUpload({ policy: backend.policy, retry: FAST, onWaiting });
    const [outcome] = await act(() => result.current.upload([file('cat.png')]));
    expect(outcome?.status).toBe('success');
    expect(backend.requests).toHaveLength(2);
    expect(s3Requests().map((request) => request.status)).toEqual([403, 204]);
    expect(onWaiting.mock.calls.map(([wait]) => wait)).toEqual([{ reason: 'resign', cause: 'policy-expired' }]);
    expect(storedText('uploads/cat.png')).toBe('bytes of cat.png');
  });

  it('<Uploader>: expired twice is an error with S3\'s evidence, and Retry (a fresh policy) makes it Uploaded', async () => {
    const backend = policyBackend({ stale: (call) => call <= 2 });
    const user = userEvent.setup();
    render(<Uploader policy={backend.policy} retry={FAST} />);
    await user.upload(screen.getByLabelText('Choose files to upload'), file('cat.png'));
    const row = within(await screen.findByRole('listitem'));

    expect(await row.findByText('Failed')).toBeTruthy();
    expect(row.getByText(/Policy expired/, { selector: '.s3u-error-message' })).toBeTruthy();
    expect(backend.requests).toHaveLength(2);

    await user.click(row.getByRole('button', { name: 'Retry cat.png' }));
    expect(await row.findByText('Uploaded')).toBeTruthy();
    expect(backend.requests).toHaveLength(3);
    expect(storedText('uploads/cat.png')).toBe('bytes of cat.png');
  });

  it("RequestTimeTooSkewed: the second policy request carries S3's time as serverTime, and a backend that signs by it gets through", async () => {
    const clock = checkClock();
    const backend = policyBackend({ clockOffsetMs: -20 * 60_000, honourServerTime: true });
    const onWaiting = vi.fn();
    const { result } = renderUpload({ policy: backend.policy, retry: FAST, onWaiting });
    const [outcome] = await act(() => result.current.upload([file('cat.png')]));

    expect(outcome?.status).toBe('success');
    expect(clock.refused()).toBe(1);
    expect(backend.requests).toHaveLength(2);
    expect(backend.requests[0]).not.toHaveProperty('serverTime');
    const serverTime = Date.parse(backend.requests[1]?.serverTime ?? '');
    expect(Math.abs(serverTime - Date.now())).toBeLessThan(5_000);
    expect(onWaiting.mock.calls.map(([wait]) => wait)).toEqual([{ reason: 'resign', cause: 'clock-skew' }]);
    expect(storedText('uploads/cat.png')).toBe('bytes of cat.png');
  });

  it('skewed twice: a ClockSkewError naming the backend\'s clock; the next file asks for a policy of its own', async () => {
    const clock = checkClock();
    const backend = policyBackend({ clockOffsetMs: -20 * 60_000 });
    const { result } = renderUpload({ policy: backend.policy, retry: FAST, concurrency: 1 });
    const outcomes = await act(() => result.current.upload([file('a.png'), file('b.png')]));
    expect(outcomes.map((outcome) => outcome.status)).toEqual(['error', 'error']);
    const [first] = outcomes;
    expect(first?.status === 'error' && first.error).toBeInstanceOf(ClockSkewError);
    expect(first?.status === 'error' && first.error).toMatchObject({ code: 'clock-skew', signer: 'backend' });
    expect(clock.refused()).toBe(4);
    // Nothing rode on a policy S3 refused: two requests per file, the second with serverTime.
    expect(backend.requests.map((request) => request.serverTime !== undefined)).toEqual([false, true, false, true]);
    expect(storedKeys()).toEqual([]);
  });
});

describe('multipart files', () => {
  function multipart(extra: Partial<MultipartOptions> = {}): MultipartOptions {
    return { backend: { presigned: { url: MULTIPART_API } }, threshold: 6 * MIB, partSize: PART_SIZE, resume: { storage: memoryStorage() }, retry: FAST, ...extra };
  }

  it('<Uploader>: a part whose connection went with the network waits offline (the row says so), then the file is stored', async () => {
    const parts = beforeParts(s3, (partNumber, attempt) => {
      if (partNumber !== 2 || attempt > 1) return undefined;
      offline = true;
      return HttpResponse.error();
    });
    server.use(parts.handler);
    const { file: movie, bytes } = randomFile(12 * MIB);
    const user = userEvent.setup();
    render(<Uploader policy={REUSABLE_POLICY} multipart={multipart({ concurrency: 1, retry: { attempts: 1 } })} />);
    await user.upload(screen.getByLabelText('Choose files to upload'), movie);
    const row = within(await screen.findByRole('listitem'));

    expect(await row.findByText('Offline — continues when the connection is back')).toBeTruthy();
    expect(row.getByText('1 of 3 parts', { exact: false })).toBeTruthy();
    expect(row.getByRole('button', { name: 'Pause movie.mp4' })).toBeTruthy();
    expect(await screen.findByText('movie.mp4: offline; the upload continues when the connection is back.')).toBeTruthy();
    expect(Object.fromEntries(parts.sent)).toEqual({ 1: 1, 2: 1 });

    goOnline();
    expect(await row.findByText('Uploaded')).toBeTruthy();
    expect(Object.fromEntries(parts.sent)).toEqual({ 1: 1, 2: 2, 3: 1 });
    expect(sameBytes(s3.store.getObject(BUCKET, 'uploads/movie.mp4')?.body, bytes)).toBe(true);
  });

  it('offline when it starts: the upload is not even created until `online`', async () => {
    offline = true;
    const { file: movie } = randomFile(12 * MIB);
    const { result } = renderUpload({ policy: REUSABLE_POLICY, multipart: multipart() });
    let pending: Promise<unknown> = Promise.resolve();
    act(() => {
      pending = result.current.upload([movie]);
    });
    await waitFor(() => expect(only(result.current.uploads)).toMatchObject({ status: 'waiting', wait: { reason: 'offline' } }));
    expect(multipartBackend.calls).toEqual([]);
    goOnline();
    await act(() => pending);
    expect(only(result.current.uploads).status).toBe('success');
    expect(multipartBackend.calls).toEqual(['create', 'sign-parts 1,2,3', 'complete']);
  });

  it('with concurrency 1, a paused file lets the next file upload; resumed while another runs it is queued, then finishes', async () => {
    // Parts 2 and 3 never get an answer the first time: the movie is mid-way when paused.
    const parts = beforeParts(s3, (partNumber, attempt) => (partNumber > 1 && attempt === 1 ? new Promise<never>(() => undefined) : undefined));
    server.use(parts.handler);
    const { file: movie, bytes } = randomFile(12 * MIB);
    const from = s3.requests.length;
    const { result } = renderUpload({ policy: REUSABLE_POLICY, concurrency: 1, multipart: multipart() });
    let moviePending: Promise<unknown> = Promise.resolve();
    act(() => {
      moviePending = result.current.upload([movie]);
    });
    await waitFor(() => expect(only(result.current.uploads).parts).toEqual({ total: 3, done: 1, inFlight: 2 }));
    const movieId = only(result.current.uploads).id;
    act(() => result.current.pause(movieId));

    // The only slot is free: a second file goes while the movie is paused.
    const [cat] = await act(() => result.current.upload([file('cat.png')]));
    expect(cat?.status).toBe('success');
    expect(storedText('uploads/cat.png')).toBe('bytes of cat.png');
    expect(result.current.uploads[0]?.status).toBe('paused');

    // Resumed while another file holds the slot: queued until that one is done.
    const held = holdS3Posts();
    let dogPending: Promise<unknown> = Promise.resolve();
    act(() => {
      dogPending = result.current.upload([file('dog.png')]);
    });
    await waitFor(() => expect(result.current.uploads[2]?.status).toBe('uploading'));
    act(() => result.current.resume(movieId));
    expect(result.current.uploads[0]?.status).toBe('queued');
    expect(Object.fromEntries(parts.sent)).toEqual({ 1: 1, 2: 1, 3: 1 });

    held.release();
    await act(() => dogPending);
    await act(() => moviePending);
    expect(result.current.uploads.map((upload) => upload.status)).toEqual(['success', 'success', 'success']);
    expect(Object.fromEntries(parts.sent)).toEqual({ 1: 1, 2: 2, 3: 2 });
    expect(putsPerPart(s3, from)).toEqual({ 1: 1, 2: 1, 3: 1 });
    expect(sameBytes(s3.store.getObject(BUCKET, 'uploads/movie.mp4')?.body, bytes)).toBe(true);
  });

  it('<Uploader>: resuming a paused file announces it; queued meanwhile, the row shows Waiting and a Pause button', async () => {
    const parts = beforeParts(s3, (partNumber, attempt) => (partNumber > 1 && attempt === 1 ? new Promise<never>(() => undefined) : undefined));
    server.use(parts.handler);
    const { file: movie } = randomFile(12 * MIB);
    const user = userEvent.setup();
    render(<Uploader policy={REUSABLE_POLICY} concurrency={1} multipart={multipart()} />);
    await user.upload(screen.getByLabelText('Choose files to upload'), movie);
    const movieRow = within(await screen.findByRole('listitem'));
    expect(await movieRow.findByText('1 of 3 parts · 2 in flight', { exact: false })).toBeTruthy();
    await user.click(movieRow.getByRole('button', { name: 'Pause movie.mp4' }));

    const held = holdS3Posts();
    await user.upload(screen.getByLabelText('Choose files to upload'), file('dog.png'));
    const dogRow = within((await screen.findAllByRole('listitem'))[1] ?? document.body);
    expect(await dogRow.findByText(/^Uploading/)).toBeTruthy();

    await user.click(movieRow.getByRole('button', { name: 'Resume movie.mp4' }));
    expect(movieRow.getByText('Waiting')).toBeTruthy();
    expect(await screen.findByText('movie.mp4 resumed.')).toBeTruthy();
    // Paused again while queued: it leaves the queue, and nothing is sent.
    await user.click(movieRow.getByRole('button', { name: 'Pause movie.mp4' }));
    expect(movieRow.getByText(/^Paused at/)).toBeTruthy();
    await user.click(movieRow.getByRole('button', { name: 'Resume movie.mp4' }));

    held.release();
    expect(await dogRow.findByText('Uploaded')).toBeTruthy();
    expect(await movieRow.findByText('Uploaded')).toBeTruthy();
    expect(Object.fromEntries(parts.sent)).toEqual({ 1: 1, 2: 2, 3: 2 });
  });
});
