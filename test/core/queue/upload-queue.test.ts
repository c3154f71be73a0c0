// The upload queue without React: several files through createUploadQueue against the S3 emulator, with
// the concurrency limit, cancel, retry, policy reuse from the queue's own store, and the snapshot a
// vanilla UI reads. React and TanStack Query are mocked to throw, so any use of them would fail here.
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { createS3Emulator } from '../../../mocks/index';
import { createUploadQueue, type Upload, type UploadQueue } from '../../../src/index';
import { CREDENTIALS } from '../../support/aws-signer';
import { APP, BUCKET, BUCKET_URL, ENDPOINT, REGION, backendHandlers } from '../../support/backends';

vi.mock('react', () => {
  throw new Error('the core imported react');
});
vi.mock('@tanstack/react-query', () => {
  throw new Error('the core imported @tanstack/react-query');
});

const s3 = createS3Emulator({ endpoint: ENDPOINT, region: REGION, buckets: [BUCKET], credentials: [CREDENTIALS] });
const server = setupServer(...s3.handlers, ...backendHandlers());
const POLICY = `${APP}/api/policy/boto3`;
const policyCalls: string[] = [];
beforeAll(() => {
  server.listen({ onUnhandledRequest: 'error' });
  server.events.on('request:start', ({ request }) => {
    if (request.url === POLICY) policyCalls.push(request.url);
  });
});
beforeEach(() => {
  s3.store.clear();
  policyCalls.length = 0;
});
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

function file(name: string): File {
  return new File([`bytes of ${name}`], name, { type: 'image/png' });
}

function stored(key: string): string | undefined {
  const object = s3.store.getObject(BUCKET, key);
  return object ? new TextDecoder().decode(object.body) : undefined;
}

/** S3 POSTs held until released, counted as they arrive; the most at once is what concurrency allows. */
function holdPosts() {
  let release = (): void => {};
  const released = new Promise<void>((resolve) => {
    release = resolve;
  });
  let open = 0;
  let most = 0;
  let arrived = 0;
  const arrivals: Array<() => void> = [];
  server.use(
    http.post(BUCKET_URL, async () => {
      open += 1;
      arrived += 1;
      most = Math.max(most, open);
      arrivals.splice(0).forEach((wake) => wake());
      await released;
      open -= 1;
      return undefined;
    }),
  );
  const until = (count: number): Promise<void> =>
    arrived >= count ? Promise.resolve() : new Promise((resolve) => arrivals.push(() => void until(count).then(resolve)));
  return { release, until, most: () => most };
}

/** Every snapshot the queue publishes, by file name: the statuses it went through. */
function watch(queue: UploadQueue): Map<string, string[]> {
  const seen = new Map<string, string[]>();
  queue.subscribe(() => {
    for (const upload of queue.getSnapshot().uploads) {
      const statuses = seen.get(upload.file.name) ?? [];
      if (statuses.at(-1) !== upload.status) statuses.push(upload.status);
      seen.set(upload.file.name, statuses);
    }
  });
  return seen;
}

const byName = (uploads: readonly Upload[], name: string): Upload | undefined => uploads.find((upload) => upload.file.name === name);

describe('createUploadQueue, no React', () => {
  it('uploads several files at most `concurrency` at a time, on one policy request, and the snapshot says so', async () => {
    const held = holdPosts();
    const queue = createUploadQueue({ policy: POLICY, concurrency: 2 });
    const statuses = watch(queue);
    const pending = queue.upload([file('a.png'), file('b.png'), file('c.png')]);
    await held.until(2);
    expect(queue.getSnapshot().uploads.map((upload) => upload.status)).toEqual(['uploading', 'uploading', 'queued']);
    expect(queue.getSnapshot().isUploading).toBe(true);
    held.release();
    const outcomes = await pending;
    expect(outcomes.map((outcome) => outcome.status)).toEqual(['success', 'success', 'success']);
    expect(held.most()).toBe(2);
    expect(['a.png', 'b.png', 'c.png'].map((name) => stored(`uploads/${name}`))).toEqual(['bytes of a.png', 'bytes of b.png', 'bytes of c.png']);
    expect(policyCalls).toHaveLength(1);
    expect(statuses.get('c.png')).toEqual(['queued', 'signing', 'uploading', 'success']);
    expect(queue.getSnapshot()).toMatchObject({ isUploading: false, progress: { percent: 100 } });
  });

  it('cancel: the file is canceled at once, nothing of it is stored, and retry uploads it', async () => {
    const held = holdPosts();
    const queue = createUploadQueue({ policy: POLICY });
    const pending = queue.upload([file('cat.png')]);
    await held.until(1);
    const [upload] = queue.getSnapshot().uploads;
    if (!upload) throw new Error('no upload listed');
    queue.cancel(upload.id);
    expect(byName(queue.getSnapshot().uploads, 'cat.png')?.status).toBe('canceled');
    expect(await pending).toMatchObject([{ status: 'canceled' }]);
    server.resetHandlers();
    const again = await queue.retry(upload.id);
    expect(again).toMatchObject({ status: 'success', result: { key: 'uploads/cat.png' } });
    expect(stored('uploads/cat.png')).toBe('bytes of cat.png');
  });

  it('a failed file ends in error with its S3UploadError; retry succeeds once the backend recovers', async () => {
    server.use(http.post(POLICY, () => HttpResponse.text('boom', { status: 500 })));
    const errors: Error[] = [];
    const queue = createUploadQueue({ policy: POLICY, retry: { attempts: 1 }, onError: (error) => void errors.push(error) });
    const [outcome] = await queue.upload([file('dog.png')]);
    expect(outcome).toMatchObject({ status: 'error', error: { name: 'PolicyAnswerError', code: 'backend-http-error' } });
    const failed = byName(queue.getSnapshot().uploads, 'dog.png');
    expect(failed?.status).toBe('error');
    expect(errors).toHaveLength(1);
    server.resetHandlers();
    expect(await queue.retry(failed?.id ?? '')).toMatchObject({ status: 'success' });
    expect(stored('uploads/dog.png')).toBe('bytes of dog.png');
  });

  it('rules refuse files before anything is sent; remove and reset empty the list', async () => {
    const queue = createUploadQueue({ policy: POLICY, accept: ['image/png'], maxFiles: 2 });
    const outcomes = await queue.upload([file('a.png'), new File(['x'], 'notes.txt', { type: 'text/plain' })]);
    expect(outcomes).toHaveLength(1);
    expect(queue.getSnapshot().rejections).toMatchObject([{ file: { name: 'notes.txt' }, errors: [{ code: 'file-invalid-type' }] }]);
    const [first] = queue.getSnapshot().uploads;
    queue.remove(first?.id ?? '');
    expect(queue.getSnapshot().uploads).toEqual([]);
    await queue.upload([file('b.png')]);
    queue.reset();
    expect(queue.getSnapshot().uploads).toEqual([]);
  });
});
