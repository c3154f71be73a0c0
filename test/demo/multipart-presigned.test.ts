// @vitest-environment node
// The demo backend's presigned multipart contract (/api/multipart/*), run by the kit's multipart engine
// against the embedded S3 over real sockets: the backend creates, presigns, lists, completes and
// aborts with the AWS SDK, and the page (happy-dom's XHR, CORS included) PUTs the parts.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startMultipartUpload, type MultipartOptions } from '../../src/index';
import { KEY_PREFIX } from '../../demo/server/config';
import { MIB, openBrowserPage, PART_SIZE, postApi, sameBytes, startMultipartDemo, type BrowserPage, type MultipartDemo } from './multipart-support';

let demo: MultipartDemo;
let page: BrowserPage;
beforeAll(async () => {
  demo = await startMultipartDemo();
  page = openBrowserPage();
});
afterAll(async () => {
  await page.close();
  await demo.stop();
});
beforeEach(() => demo.s3.emulator.store.clear());

function presigned(extra: Partial<MultipartOptions> = {}): MultipartOptions {
  return { backend: { presigned: { url: `${demo.apiOrigin}/api/multipart` } }, partSize: PART_SIZE, resume: false, retry: { baseDelayMs: 1 }, ...extra };
}

const stored = (key: string) => demo.s3.emulator.store.getObject(demo.target.bucket, key);
const KEY_SHAPE = /^uploads\/[0-9a-f-]{36}\/movie\.mp4$/;

describe('POST /api/multipart/* with the kit\'s engine', () => {
  it('uploads a 12 MiB file in three parts to a key the backend chose, and S3 holds the same bytes', async () => {
    const { file, bytes } = page.file(12 * MIB);
    const result = await startMultipartUpload(file, { multipart: presigned(), key: 'elsewhere/${filename}', metadata: { owner: 'ada' } }).promise;

    expect(result.bucket).toBe('demo-bucket');
    // The page asked for elsewhere/: the backend decides, under its prefix.
    expect(result.key).toMatch(KEY_SHAPE);
    expect(result.etag).toMatch(/^[0-9a-f]{32}-3$/);
    // S3 answers the Location with the key's slashes encoded, as the emulator does.
    expect(decodeURIComponent(result.location)).toBe(`${demo.s3.url}/demo-bucket/${result.key}`);
    const object = stored(result.key);
    expect(sameBytes(object?.body, bytes)).toBe(true);
    expect(object).toMatchObject({ contentType: 'video/mp4', metadata: { owner: 'ada' }, etag: `"${result.etag}"` });
    expect(demo.s3.emulator.store.listMultipartUploads('demo-bucket')).toEqual([]);

    // And over HTTP, as the page reads it back.
    const { json } = await postApi(demo, '/api/read-url', { key: result.key });
    const read = await fetch(String(json['url']));
    expect(sameBytes(new Uint8Array(await read.arrayBuffer()), bytes)).toBe(true);
  });

  it('signs each part\'s checksum as a header, so S3 checks the bytes against it', async () => {
    const { file, bytes } = page.file(11 * MIB, 'movie.mp4');
    const result = await startMultipartUpload(file, { multipart: presigned({ checksum: 'sha256' }) }).promise;

    expect(result.key).toMatch(KEY_SHAPE);
    expect(sameBytes(stored(result.key)?.body, bytes)).toBe(true);
  });

  it('makes a safe key of a file name that tries to leave the folder', async () => {
    const { file } = page.file(6 * MIB, '../../etc/passwd');
    const result = await startMultipartUpload(file, { multipart: presigned() }).promise;
    expect(result.key).toMatch(/^uploads\/[0-9a-f-]{36}\/\.\._\.\._etc_passwd$/);
  });

  it('cancel aborts the upload in S3, and then list-parts answers 404 (what the kit reads as "start again")', async () => {
    const { file } = page.file(12 * MIB);
    const task = startMultipartUpload(file, { multipart: presigned({ concurrency: 1 }) });
    await new Promise<void>((resolve) => {
      const unsubscribe = task.subscribe((state) => {
        if (state.status === 'uploading' && state.uploadId !== undefined) {
          unsubscribe();
          resolve();
        }
      });
    });
    const { uploadId, key } = task.state;
    await task.cancel();
    expect(demo.s3.emulator.store.listMultipartUploads('demo-bucket')).toEqual([]);

    const listed = await postApi(demo, '/api/multipart/list-parts', { uploadId, key });
    expect(listed.status).toBe(404);
    expect(listed.json['error']).toMatch(/S3 no longer knows the upload .* \(NoSuchUpload\)/);
    const aborted = await postApi(demo, '/api/multipart/abort', { uploadId, key });
    expect(aborted.status).toBe(404);
  });
});

describe('what /api/multipart/* refuses', () => {
  it('a file over DEMO_MULTIPART_MAX_SIZE, at create, saying the limit and the variable', async () => {
    const { status, json } = await postApi(demo, '/api/multipart/create', { filename: 'huge.iso', contentType: '', size: 1024 * MIB + 1 });
    expect(status).toBe(413);
    expect(json['error']).toBe(
      `Refused to start a multipart upload of ${1024 * MIB + 1} bytes: the demo accepts at most ${1024 * MIB} bytes (DEMO_MULTIPART_MAX_SIZE).`,
    );
    expect(demo.s3.emulator.store.listMultipartUploads('demo-bucket')).toEqual([]);
  });

  it.each([
    ['sign-parts', { parts: [{ partNumber: 1, size: 5 }] }],
    ['list-parts', {}],
    ['complete', { parts: [{ partNumber: 1, etag: '"e"' }] }],
    ['abort', {}],
  ])('%s on a key outside uploads/, with 403', async (operation, rest) => {
    const { status, json } = await postApi(demo, `/api/multipart/${operation}`, { uploadId: 'u1', key: 'private/payroll.xlsx', ...rest });
    expect(status).toBe(403);
    expect(json['error']).toMatch(/^Refused to .* a multipart upload: the key "private\/payroll\.xlsx" is not under "uploads\/"/);
  });

  it('a key that climbs out of the prefix with ".."', async () => {
    const { status, json } = await postApi(demo, '/api/multipart/abort', { uploadId: 'u1', key: `${KEY_PREFIX}../private/x` });
    expect(status).toBe(403);
    expect(json['error']).toContain('has a "." or ".." segment');
  });

  it('a request without the upload\'s id, with 400 and the shape expected', async () => {
    const { status, json } = await postApi(demo, '/api/multipart/list-parts', { key: 'uploads/a/b' });
    expect(status).toBe(400);
    expect(json['error']).toBe('Cannot list the parts of the multipart upload: "uploadId" must be the non-empty string create answered.');
  });

  it('completing parts that hold more than the limit, though create was told a small size: the upload is aborted', async () => {
    const small = await startMultipartDemo({ threshold: 5 * MIB, maxSize: 6 * MIB });
    try {
      const created = await postApi(small, '/api/multipart/create', { filename: 'liar.bin', contentType: '', size: 100 });
      expect(created.status).toBe(200);
      const { uploadId, key } = created.json;
      const signed = await postApi(small, '/api/multipart/sign-parts', {
        uploadId,
        key,
        parts: [{ partNumber: 1, size: PART_SIZE }, { partNumber: 2, size: PART_SIZE }],
      });
      const urls = signed.json['parts'] as Array<{ partNumber: number; url: string }>;
      const etags = await Promise.all(
        urls.map(async ({ partNumber, url }) => {
          const response = await fetch(url, { method: 'PUT', body: new Uint8Array(PART_SIZE) });
          expect(response.status).toBe(200);
          return { partNumber, etag: response.headers.get('etag') ?? '' };
        }),
      );
      const completed = await postApi(small, '/api/multipart/complete', { uploadId, key, parts: etags });
      expect(completed.status).toBe(413);
      expect(completed.json['error']).toBe(
        `Refused to complete the upload of ${String(key)}: its parts hold ${2 * PART_SIZE} bytes, more than the ${6 * MIB} bytes the demo accepts (DEMO_MULTIPART_MAX_SIZE); the upload was aborted.`,
      );
      expect(small.s3.emulator.store.listMultipartUploads('demo-bucket')).toEqual([]);
      expect(small.s3.emulator.store.listObjects('demo-bucket')).toEqual([]);
    } finally {
      await small.stop();
    }
  });
});
