// @vitest-environment node
// What the demo backend does once the page has put an object in S3 (Fine Uploader's "upload success" and
// "delete file"): POST /api/upload-finished checks the object with HeadObject, POST /api/delete deletes
// it with DeleteObject, both through the AWS SDK against the embedded S3 over HTTP.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { MIB, postApi, startMultipartDemo, type MultipartDemo } from './multipart-support';

let demo: MultipartDemo;
beforeAll(async () => {
  demo = await startMultipartDemo();
});
afterAll(async () => {
  await demo.stop();
});
beforeEach(() => demo.s3.emulator.store.clear());

const KEY = 'uploads/f00d/cat.png';
const seed = (key = KEY, body: Uint8Array | string = 'a cat') =>
  demo.s3.emulator.store.putObject('demo-bucket', key, body, { contentType: 'image/png' });
const unquoted = (etag: string) => etag.slice(1, -1);

describe('POST /api/upload-finished', () => {
  it('answers what S3 holds when the ETag matches, with or without its quotes', async () => {
    const { etag } = seed();
    const expected = { status: 200, json: { key: KEY, bucket: 'demo-bucket', etag: unquoted(etag), size: 5, contentType: 'image/png' } };
    expect(await postApi(demo, '/api/upload-finished', { key: KEY, bucket: 'demo-bucket', etag: unquoted(etag) })).toEqual(expected);
    expect(await postApi(demo, '/api/upload-finished', { key: KEY, bucket: 'demo-bucket', etag })).toEqual(expected);
  });

  it('answers what S3 holds without an ETag to compare (radosgw\'s CompleteMultipartUpload answers none)', async () => {
    const { etag } = seed();
    expect(await postApi(demo, '/api/upload-finished', { key: KEY, bucket: 'demo-bucket' })).toEqual({
      status: 200,
      json: { key: KEY, bucket: 'demo-bucket', etag: unquoted(etag), size: 5, contentType: 'image/png' },
    });
  });

  it('answers 409 when S3 holds another object under the key', async () => {
    seed();
    const { status, json } = await postApi(demo, '/api/upload-finished', { key: KEY, bucket: 'demo-bucket', etag: '0123456789abcdef0123456789abcdef' });
    expect(status).toBe(409);
    expect(json['error']).toMatch(
      /^The object uploads\/f00d\/cat\.png has the ETag [0-9a-f]{32}, not 0123456789abcdef0123456789abcdef: another upload replaced it, or the page reported another upload's ETag\.$/,
    );
  });

  it('answers 404 when S3 has no such object', async () => {
    const { status, json } = await postApi(demo, '/api/upload-finished', { key: KEY, bucket: 'demo-bucket', etag: 'abc' });
    expect(status).toBe(404);
    expect(json['error']).toBe('The bucket demo-bucket has no object uploads/f00d/cat.png: the upload did not finish, or the object was deleted since.');
  });

  it('refuses another bucket and a key outside uploads/ with 403, without asking S3', async () => {
    seed('private/cat.png');
    const from = demo.s3.emulator.requests.length;
    const bucket = await postApi(demo, '/api/upload-finished', { key: KEY, bucket: 'invoices', etag: 'abc' });
    expect(bucket.status).toBe(403);
    expect(bucket.json['error']).toBe('Refused to check the upload of uploads/f00d/cat.png in the bucket "invoices": the demo backend only touches its own bucket, demo-bucket.');
    const outside = await postApi(demo, '/api/upload-finished', { key: 'private/cat.png', bucket: 'demo-bucket', etag: 'abc' });
    expect(outside.status).toBe(403);
    expect(outside.json['error']).toBe(
      'Refused to check the upload of an object: the key "private/cat.png" is not under "uploads/"; the demo backend only touches keys under "uploads/".',
    );
    expect(demo.s3.emulator.requests.length).toBe(from);
  });

  it('deletes an object larger than the demo accepts, and says so with 413', async () => {
    const small = await startMultipartDemo({ threshold: 5 * MIB, maxSize: 6 * MIB });
    try {
      const { etag } = small.s3.emulator.store.putObject('demo-bucket', KEY, new Uint8Array(11 * MIB));
      const { status, json } = await postApi(small, '/api/upload-finished', { key: KEY, bucket: 'demo-bucket', etag });
      expect(status).toBe(413);
      expect(json['error']).toBe(
        `The object ${KEY} holds ${11 * MIB} bytes, more than the ${10 * MIB} bytes the demo accepts (DEMO_MAX_SIZE, DEMO_MULTIPART_MAX_SIZE), so it was deleted.`,
      );
      expect(small.s3.emulator.store.getObject('demo-bucket', KEY)).toBeUndefined();
    } finally {
      await small.stop();
    }
  });
});

describe('POST /api/delete', () => {
  it('deletes the object with a signed DeleteObject, and answers the same for a key already gone', async () => {
    seed();
    expect(await postApi(demo, '/api/delete', { key: KEY, bucket: 'demo-bucket' })).toEqual({ status: 200, json: { key: KEY, deleted: true } });
    expect(demo.s3.emulator.store.getObject('demo-bucket', KEY)).toBeUndefined();
    expect(demo.s3.emulator.requests.at(-1)).toMatchObject({ method: 'DELETE', status: 204 });
    expect(await postApi(demo, '/api/delete', { key: KEY, bucket: 'demo-bucket' })).toEqual({ status: 200, json: { key: KEY, deleted: true } });
  });

  it('refuses a key outside uploads/ and another bucket with 403, and deletes nothing', async () => {
    seed('private/cat.png');
    seed();
    const outside = await postApi(demo, '/api/delete', { key: 'private/cat.png', bucket: 'demo-bucket' });
    expect(outside.status).toBe(403);
    expect(outside.json['error']).toBe('Refused to delete an object: the key "private/cat.png" is not under "uploads/"; the demo backend only touches keys under "uploads/".');
    const bucket = await postApi(demo, '/api/delete', { key: KEY, bucket: 'invoices' });
    expect(bucket.status).toBe(403);
    expect(demo.s3.emulator.store.listObjects('demo-bucket').map((object) => object.key)).toEqual(['private/cat.png', KEY]);
  });

  it('answers 400 without a key', async () => {
    const { status, json } = await postApi(demo, '/api/delete', { bucket: 'demo-bucket' });
    expect(status).toBe(400);
    expect(json['error']).toBe('Cannot delete an object: "key" must be a non-empty string ({ key, bucket }).');
  });
});
