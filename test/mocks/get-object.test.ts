// Reading objects back, the store API, and the request log.

import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { createS3Emulator } from '../../mocks';
import { BUCKET, BUCKET_URL, emulatorOptions, ENDPOINT, formData, NOW, post, s3Error, signedForm } from './fixtures';
import { md5Hex } from '../support/aws-signer';

const s3 = createS3Emulator(emulatorOptions());
const server = setupServer(...s3.handlers);
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => {
  server.resetHandlers();
  s3.store.clear();
});
afterAll(() => server.close());

describe('GET and HEAD Object', () => {
  it('returns the bytes with their headers and metadata', async () => {
    s3.store.putObject(BUCKET, 'docs/read me.txt', 'contents', {
      contentType: 'text/plain',
      metadata: { 'x-amz-meta-Owner': 'Ada', note: 'Zoë' },
    });
    const response = await fetch(`${BUCKET_URL}/docs/read%20me.txt`);

    expect(response.status).toBe(200);
    expect(await response.text()).toBe('contents');
    expect(response.headers.get('content-type')).toBe('text/plain');
    expect(response.headers.get('content-length')).toBe('8');
    expect(response.headers.get('etag')).toBe(`"${md5Hex('contents')}"`);
    expect(response.headers.get('last-modified')).toBe(NOW.toUTCString());
    expect(response.headers.get('x-amz-meta-owner')).toBe('Ada');
    // Non-ASCII metadata comes back RFC 2047-encoded, as S3 returns it.
    expect(response.headers.get('x-amz-meta-note')).toBe(`=?UTF-8?B?${Buffer.from('Zoë').toString('base64')}?=`);
  });

  it('answers HEAD with the headers and no body', async () => {
    s3.store.putObject(BUCKET, 'a.bin', new Uint8Array([1, 2, 3]));
    const response = await fetch(`${BUCKET_URL}/a.bin`, { method: 'HEAD' });

    expect(response.status).toBe(200);
    expect(response.headers.get('content-length')).toBe('3');
    expect(response.headers.get('content-type')).toBe('binary/octet-stream');
    expect(await response.text()).toBe('');
  });

  it('answers a missing key with NoSuchKey, and HEAD with the status alone', async () => {
    const get = await fetch(`${BUCKET_URL}/missing.txt`);
    expect(get.status).toBe(404);
    const error = await s3Error(get);
    expect([error.code, error.elements['Key']]).toEqual(['NoSuchKey', 'missing.txt']);

    const head = await fetch(`${BUCKET_URL}/missing.txt`, { method: 'HEAD' });
    expect(head.status).toBe(404);
    expect(await head.text()).toBe('');
  });

  it('reads what an upload stored', async () => {
    await post(formData(signedForm(), { body: 'uploaded bytes' }));
    const response = await fetch(`${BUCKET_URL}/photos/cat.png`);
    expect(await response.text()).toBe('uploaded bytes');
  });
});

describe('the store', () => {
  it('lists objects in key order and clears them', () => {
    s3.store.putObject(BUCKET, 'b', 'x');
    s3.store.putObject(BUCKET, 'a/z', 'x');
    s3.store.putObject(BUCKET, 'a', 'x');
    expect(s3.store.listObjects(BUCKET).map((object) => object.key)).toEqual(['a', 'a/z', 'b']);

    s3.store.clear();
    expect(s3.store.listObjects(BUCKET)).toEqual([]);
  });

  it('refuses to seed a bucket the emulator was not given', () => {
    expect(() => s3.store.putObject('elsewhere', 'k', 'x')).toThrow(/no bucket "elsewhere"/);
  });
});

describe('the request log and the MSW handlers', () => {
  it('records every answered request with its status and S3 code', async () => {
    const emulator = createS3Emulator(emulatorOptions());
    await emulator.handle(new Request(`${BUCKET_URL}/nothing`));
    await emulator.handle(new Request(`${ENDPOINT}/nope/x`, { method: 'GET' }));

    expect(emulator.requests).toEqual([
      { method: 'GET', url: `${BUCKET_URL}/nothing`, status: 404, code: 'NoSuchKey' },
      { method: 'GET', url: `${ENDPOINT}/nope/x`, status: 404, code: 'NoSuchBucket' },
    ]);
  });

  it('leaves other URLs alone: handle() returns undefined and MSW reports them unhandled', async () => {
    const emulator = createS3Emulator(emulatorOptions());
    expect(await emulator.handle(new Request('https://example.com/uploads'))).toBeUndefined();
    expect(await emulator.handle(new Request('https://s3.eu-west-1.amazonaws.com/uploads/a'))).toBeUndefined();
    expect(emulator.requests).toEqual([]);

    const printed = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    await expect(fetch('https://api.example.com/sign')).rejects.toThrow();
    await expect(fetch('https://s3.us-east-1.amazonaws.com.example.org/uploads/a')).rejects.toThrow();
    expect(printed.mock.calls.map(([message]) => String(message))).toEqual([
      expect.stringContaining('https://api.example.com/sign'),
      expect.stringContaining('https://s3.us-east-1.amazonaws.com.example.org/uploads/a'),
    ]);
  });

  it('serves an IP-address endpoint (MinIO-style) path-style only', async () => {
    const local = createS3Emulator(emulatorOptions({ endpoint: 'http://127.0.0.1:9000' }));
    server.use(...local.handlers);
    const response = await post(formData(signedForm()), 'http://127.0.0.1:9000/uploads');

    expect(response.status).toBe(204);
    expect(response.headers.get('location')).toBe('http://127.0.0.1:9000/uploads/photos%2Fcat.png');
    // The Location S3 gives (key "/" as %2F) reads the object back.
    expect(await (await fetch(response.headers.get('location') ?? '')).text()).toBe('hello, bucket');
    expect(local.requests.map(({ method, status }) => `${method} ${status}`)).toEqual(['POST 204', 'GET 200']);
  });
});
