// @vitest-environment node
// SigV4 in a presigned URL, as a backend hands one to a browser (@aws-sdk/s3-request-presigner's
// getSignedUrl; the node:crypto test signer where the SDK will not go): accepted when it holds, and
// each refusal with the evidence S3 sends. GET and HEAD too, signed or not.
// https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-query-string-auth.html

import {
  CreateMultipartUploadCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListPartsCommand,
  UploadPartCommand,
} from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { setupServer } from 'msw/node';
import { createHmac } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createS3Emulator } from '../../mocks';
import { ACCESS_KEY_ID, BUCKET, BUCKET_URL, emulatorOptions, NOW, s3Error, SECRET } from './fixtures';
import { sdkClient } from './multipart-fixtures';
import { md5Hex, presignUrl, sha256Hex, signingKey } from '../support/aws-signer';

const s3 = createS3Emulator(emulatorOptions());
const server = setupServer(...s3.handlers);
const client = sdkClient();
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => s3.store.clear());
afterAll(() => {
  client.destroy();
  server.close();
});

const KEY = 'photos/big cat.jpg';
const OBJECT_URL = `${BUCKET_URL}/photos/big%20cat.jpg`;
const PART = new TextEncoder().encode('part bytes');
const MINUTE = 60 * 1000;
const KNOWN = { accessKeyId: ACCESS_KEY_ID, secretAccessKey: SECRET };

async function start(): Promise<string> {
  const { UploadId = '' } = await client.send(new CreateMultipartUploadCommand({ Bucket: BUCKET, Key: KEY }));
  return UploadId;
}

function presignPart(uploadId: string, options: { signingDate?: Date; expiresIn?: number; region?: string } = {}) {
  const signer = options.region ? sdkClient({ region: options.region }) : client;
  return getSignedUrl(signer, new UploadPartCommand({ Bucket: BUCKET, Key: KEY, UploadId: uploadId, PartNumber: 1 }), {
    signingDate: options.signingDate ?? NOW,
    expiresIn: options.expiresIn ?? 300,
  });
}

const storedParts = () => s3.store.listMultipartUploads(BUCKET)[0]?.parts ?? [];

describe('presigned UploadPart URLs (getSignedUrl)', () => {
  it('accepts a part PUT to the URL and answers its ETag', async () => {
    const uploadId = await start();
    const response = await fetch(await presignPart(uploadId), { method: 'PUT', body: PART });

    expect(response.status).toBe(200);
    expect(response.headers.get('etag')).toBe(`"${md5Hex(PART)}"`);
    const listed = await client.send(new ListPartsCommand({ Bucket: BUCKET, Key: KEY, UploadId: uploadId }));
    expect(listed.Parts?.map((part) => part.ETag)).toEqual([`"${md5Hex(PART)}"`]);
  });

  it('refuses an expired URL with AccessDenied "Request has expired", X-Amz-Expires, Expires and ServerTime', async () => {
    const uploadId = await start();
    const url = await presignPart(uploadId, { signingDate: new Date(NOW.getTime() - 120 * MINUTE), expiresIn: 3600 });
    const response = await fetch(url, { method: 'PUT', body: PART });

    expect(response.status).toBe(403);
    const error = await s3Error(response);
    expect([error.code, error.message]).toEqual(['AccessDenied', 'Request has expired']);
    expect(error.elements).toMatchObject({
      'X-Amz-Expires': '3600',
      Expires: '2025-06-01T11:00:00Z',
      ServerTime: '2025-06-01T12:00:00Z',
    });
    expect(storedParts()).toEqual([]);
  });

  it('refuses a tampered signature with SignatureDoesNotMatch, showing exactly what the SDK signed', async () => {
    const uploadId = await start();
    const url = new URL(await presignPart(uploadId));
    const original = url.searchParams.get('X-Amz-Signature') ?? '';
    const tampered = `${original.slice(0, -1)}${original.endsWith('0') ? '1' : '0'}`;
    url.searchParams.set('X-Amz-Signature', tampered);
    const response = await fetch(url, { method: 'PUT', body: PART });

    expect(response.status).toBe(403);
    const error = await s3Error(response);
    expect(error.code).toBe('SignatureDoesNotMatch');
    // The canonical request by the SigV4 spec, written out: the query sorted and encoded, the payload unsigned.
    const canonicalRequest = [
      'PUT',
      '/uploads/photos/big%20cat.jpg',
      'X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Content-Sha256=UNSIGNED-PAYLOAD' +
        `&X-Amz-Credential=${ACCESS_KEY_ID}%2F20250601%2Fus-east-1%2Fs3%2Faws4_request` +
        '&X-Amz-Date=20250601T120000Z&X-Amz-Expires=300&X-Amz-SignedHeaders=host' +
        `&partNumber=1&uploadId=${uploadId}&x-id=UploadPart`,
      'host:s3.us-east-1.amazonaws.com',
      '',
      'host',
      'UNSIGNED-PAYLOAD',
    ].join('\n');
    const stringToSign = [
      'AWS4-HMAC-SHA256',
      '20250601T120000Z',
      '20250601/us-east-1/s3/aws4_request',
      sha256Hex(canonicalRequest),
    ].join('\n');
    expect(error.elements).toMatchObject({
      AWSAccessKeyId: ACCESS_KEY_ID,
      SignatureProvided: tampered,
      CanonicalRequest: canonicalRequest,
      StringToSign: stringToSign,
      CanonicalRequestBytes: hexBytes(canonicalRequest),
      StringToSignBytes: hexBytes(stringToSign),
    });
    // That string to sign is what the SDK signed: its signature over it is the untampered one.
    const key = signingKey(SECRET, '20250601', 'us-east-1');
    expect(createHmac('sha256', key).update(error.elements['StringToSign'] ?? '').digest('hex')).toBe(original);
    expect(storedParts()).toEqual([]);
  });

  it('refuses a URL signed for another region with AuthorizationQueryParametersError', async () => {
    const uploadId = await start();
    const response = await fetch(await presignPart(uploadId, { region: 'eu-west-1' }), { method: 'PUT', body: PART });

    expect(response.status).toBe(400);
    const error = await s3Error(response);
    expect([error.code, error.message, error.elements['Region']]).toEqual([
      'AuthorizationQueryParametersError',
      "Error parsing the X-Amz-Credential parameter; the region 'eu-west-1' is wrong; expecting 'us-east-1'",
      'us-east-1',
    ]);
  });

  it('refuses an x-amz-checksum-crc32 header the URL did not sign: S3 wants every x-amz-* header signed', async () => {
    const uploadId = await s3StartWithCrc32();
    const response = await fetch(await presignPart(uploadId), {
      method: 'PUT',
      body: PART,
      headers: { 'x-amz-checksum-crc32': 'AAAAAA==' },
    });

    expect(response.status).toBe(403);
    const error = await s3Error(response);
    expect([error.code, error.message, error.elements['HeadersNotSigned']]).toEqual([
      'AccessDenied',
      'There were headers present in the request which were not signed',
      'x-amz-checksum-crc32',
    ]);
  });

  it('refuses a URL without all six X-Amz-* parameters', async () => {
    const uploadId = await start();
    const url = new URL(await presignPart(uploadId));
    url.searchParams.delete('X-Amz-Expires');
    const error = await s3Error(await fetch(url, { method: 'PUT', body: PART }));
    expect([error.code, error.message]).toEqual([
      'AuthorizationQueryParametersError',
      'Query-string authentication version 4 requires the X-Amz-Algorithm, X-Amz-Credential, X-Amz-Signature, X-Amz-Date, X-Amz-SignedHeaders, and X-Amz-Expires parameters.',
    ]);
  });

  it('refuses X-Amz-Expires beyond a week', async () => {
    const uploadId = await start();
    const { url } = presignUrl({
      method: 'PUT',
      url: `${OBJECT_URL}?partNumber=1&uploadId=${uploadId}`,
      date: NOW,
      expiresIn: 604801,
      credentials: KNOWN,
    });
    const error = await s3Error(await fetch(url, { method: 'PUT', body: PART }));
    expect([error.code, error.message]).toEqual([
      'AuthorizationQueryParametersError',
      'X-Amz-Expires must be less than a week (in seconds) that is 604800',
    ]);
  });
});

async function s3StartWithCrc32(): Promise<string> {
  const created = new CreateMultipartUploadCommand({ Bucket: BUCKET, Key: KEY, ChecksumAlgorithm: 'CRC32' });
  const { UploadId = '' } = await client.send(created);
  return UploadId;
}

function hexBytes(text: string): string {
  return [...Buffer.from(text, 'utf8')].map((byte) => byte.toString(16).padStart(2, '0')).join(' ');
}
describe('GET and HEAD Object, signed or not', () => {
  const readUrl = (command: GetObjectCommand | HeadObjectCommand, signingDate = NOW) =>
    getSignedUrl(client, command, { signingDate, expiresIn: 300 });

  it('serves a presigned GET (the demo read-url) and a presigned HEAD', async () => {
    s3.store.putObject(BUCKET, KEY, 'meow');
    const get = await fetch(await readUrl(new GetObjectCommand({ Bucket: BUCKET, Key: KEY })));
    expect([get.status, await get.text()]).toEqual([200, 'meow']);
    const head = await fetch(await readUrl(new HeadObjectCommand({ Bucket: BUCKET, Key: KEY })), { method: 'HEAD' });
    expect([head.status, head.headers.get('content-length')]).toEqual([200, '4']);
  });

  it('serves the AWS SDK, which signs with the Authorization header', async () => {
    s3.store.putObject(BUCKET, KEY, 'meow');
    const object = await client.send(new GetObjectCommand({ Bucket: BUCKET, Key: KEY }));
    expect(await object.Body?.transformToString()).toBe('meow');
  });

  it('refuses a presigned GET that is tampered with or expired, as S3 would', async () => {
    s3.store.putObject(BUCKET, KEY, 'meow');
    const url = new URL(await readUrl(new GetObjectCommand({ Bucket: BUCKET, Key: KEY })));
    url.pathname = '/uploads/photos/other.jpg';
    expect((await s3Error(await fetch(url))).code).toBe('SignatureDoesNotMatch');

    const old = await readUrl(new GetObjectCommand({ Bucket: BUCKET, Key: KEY }), new Date(NOW.getTime() - 10 * MINUTE));
    const expired = await fetch(old);
    expect([expired.status, (await s3Error(expired)).message]).toEqual([403, 'Request has expired']);
  });

  it('still serves an unsigned GET: a test reads back what it uploaded without signing', async () => {
    s3.store.putObject(BUCKET, KEY, 'meow');
    const response = await fetch(OBJECT_URL);
    expect([response.status, await response.text()]).toEqual([200, 'meow']);
  });
});
