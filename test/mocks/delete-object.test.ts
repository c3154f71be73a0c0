// @vitest-environment node
// DELETE Object, as a backend sends it through the AWS SDK after a page asks to delete what it uploaded.
// https://docs.aws.amazon.com/AmazonS3/latest/API/API_DeleteObject.html
import { DeleteObjectCommand, HeadObjectCommand } from '@aws-sdk/client-s3';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createS3Emulator } from '../../mocks';
import { BUCKET, BUCKET_URL, emulatorOptions, NOW, s3Error } from './fixtures';
import { sdkClient, sdkError } from './multipart-fixtures';
import { md5Hex, signRequest } from '../support/aws-signer';

const s3 = createS3Emulator(emulatorOptions());
const server = setupServer(...s3.handlers);
const client = sdkClient();
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => s3.store.clear());
afterAll(() => {
  client.destroy();
  server.close();
});

const KEY = 'uploads/big cat.jpg';
const OBJECT_URL = `${BUCKET_URL}/uploads/big%20cat.jpg`;
const credentials = { accessKeyId: emulatorOptions().credentials[0]?.accessKeyId ?? '', secretAccessKey: emulatorOptions().credentials[0]?.secretAccessKey ?? '' };

describe('DELETE Object', () => {
  it('removes the object for a signed DELETE (the SDK\'s DeleteObject) and answers 204, as S3 does', async () => {
    s3.store.putObject(BUCKET, KEY, 'meow');
    const head = await client.send(new HeadObjectCommand({ Bucket: BUCKET, Key: KEY }));
    expect(head.ETag).toBe(`"${md5Hex('meow')}"`);

    const deleted = await client.send(new DeleteObjectCommand({ Bucket: BUCKET, Key: KEY }));
    expect(deleted.$metadata.httpStatusCode).toBe(204);
    expect(s3.store.getObject(BUCKET, KEY)).toBeUndefined();
    expect((await sdkError(client.send(new HeadObjectCommand({ Bucket: BUCKET, Key: KEY })))).name).toBe('NotFound');
  });

  it('answers 204 for a key that does not exist, so deleting twice succeeds twice', async () => {
    const deleted = await client.send(new DeleteObjectCommand({ Bucket: BUCKET, Key: 'uploads/never.txt' }));
    expect(deleted.$metadata.httpStatusCode).toBe(204);
  });

  it('refuses an unsigned DELETE with AccessDenied, and keeps the object', async () => {
    s3.store.putObject(BUCKET, KEY, 'meow');
    const response = await fetch(OBJECT_URL, { method: 'DELETE' });
    expect(response.status).toBe(403);
    expect((await s3Error(response)).code).toBe('AccessDenied');
    expect(s3.store.getObject(BUCKET, KEY)).toBeDefined();
  });

  it('refuses a DELETE signed with a wrong secret with SignatureDoesNotMatch', async () => {
    s3.store.putObject(BUCKET, KEY, 'meow');
    const signed = signRequest({ method: 'DELETE', url: OBJECT_URL, date: NOW, credentials: { ...credentials, secretAccessKey: 'wrong' } });
    const response = await fetch(OBJECT_URL, { method: 'DELETE', headers: signed.headers });
    expect(response.status).toBe(403);
    expect((await s3Error(response)).code).toBe('SignatureDoesNotMatch');
    expect(s3.store.getObject(BUCKET, KEY)).toBeDefined();
  });

  it('does not take another operation on the object\'s URL (?tagging) for a delete of the object', async () => {
    s3.store.putObject(BUCKET, KEY, 'meow');
    const url = `${OBJECT_URL}?tagging=`;
    const signed = signRequest({ method: 'DELETE', url, date: NOW, credentials });
    const response = await fetch(url, { method: 'DELETE', headers: signed.headers });
    expect(response.status).toBe(501);
    expect((await s3Error(response)).code).toBe('NotImplemented');
    expect(s3.store.getObject(BUCKET, KEY)).toBeDefined();
  });

  it('lets a page\'s DELETE through CORS: the preflight allows DELETE, the answer carries Allow-Origin', async () => {
    const origin = 'https://app.example';
    const preflight = await fetch(OBJECT_URL, { method: 'OPTIONS', headers: { Origin: origin, 'Access-Control-Request-Method': 'DELETE' } });
    expect(preflight.status).toBe(200);
    expect(preflight.headers.get('access-control-allow-methods')).toContain('DELETE');

    s3.store.putObject(BUCKET, KEY, 'meow');
    const signed = signRequest({ method: 'DELETE', url: OBJECT_URL, date: NOW, credentials });
    const response = await fetch(OBJECT_URL, { method: 'DELETE', headers: { ...signed.headers, Origin: origin } });
    expect(response.status).toBe(204);
    expect(response.headers.get('access-control-allow-origin')).toBe('*');
  });
});
