// @vitest-environment node
// SigV4 in the Authorization header: the AWS SDK's way (every SDK call in these tests is one), and
// the node:crypto test signer's for the requests the SDK will not make. Each refusal carries the
// evidence S3 sends.
// https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-auth-using-authorization-header.html

import { CreateMultipartUploadCommand } from '@aws-sdk/client-s3';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createS3Emulator } from '../../mocks';
import { ACCESS_KEY_ID, BUCKET, BUCKET_URL, emulatorOptions, NOW, s3Error, SECRET } from './fixtures';
import { sdkClient, sdkError, signedFetch } from './multipart-fixtures';
import { amzDate, presignUrl, sha256Hex, signRequest } from '../support/aws-signer';

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

const storedParts = () => s3.store.listMultipartUploads(BUCKET)[0]?.parts ?? [];

describe('the Authorization header', () => {
  const partUrl = (uploadId: string) => `${OBJECT_URL}?partNumber=1&uploadId=${uploadId}`;

  it('refuses a wrong secret with SignatureDoesNotMatch carrying the canonical request the client signed', async () => {
    const uploadId = await start();
    const signed = signRequest({
      method: 'PUT',
      url: partUrl(uploadId),
      body: PART,
      date: NOW,
      credentials: { accessKeyId: ACCESS_KEY_ID, secretAccessKey: 'not-the-secret' },
    });
    const response = await fetch(partUrl(uploadId), { method: 'PUT', headers: signed.headers, body: PART });

    expect(response.status).toBe(403);
    const error = await s3Error(response);
    expect(error.code).toBe('SignatureDoesNotMatch');
    expect(error.elements).toMatchObject({
      AWSAccessKeyId: ACCESS_KEY_ID,
      CanonicalRequest: signed.canonicalRequest,
      StringToSign: signed.stringToSign,
      SignatureProvided: signed.signature,
    });
    expect(signed.canonicalRequest.split('\n').slice(0, 3)).toEqual([
      'PUT',
      '/uploads/photos/big%20cat.jpg',
      `partNumber=1&uploadId=${uploadId}`,
    ]);
  });

  it('refuses the AWS SDK with a wrong secret too', async () => {
    const wrong = sdkClient({ secretAccessKey: 'not-the-secret' });
    const error = await sdkError(wrong.send(new CreateMultipartUploadCommand({ Bucket: BUCKET, Key: KEY })));
    wrong.destroy();
    expect([error.name, error.$metadata.httpStatusCode]).toEqual(['SignatureDoesNotMatch', 403]);
    expect(s3.store.listMultipartUploads(BUCKET)).toEqual([]);
  });

  it('refuses a body whose SHA-256 is not the signed x-amz-content-sha256', async () => {
    const uploadId = await start();
    const response = await signedFetch('PUT', partUrl(uploadId), { body: PART, payloadHash: sha256Hex('other bytes') });

    expect(response.status).toBe(400);
    const error = await s3Error(response);
    expect([error.code, error.message]).toEqual([
      'XAmzContentSHA256Mismatch',
      "The provided 'x-amz-content-sha256' header does not match what was computed.",
    ]);
    expect(error.elements).toMatchObject({
      ClientComputedContentSHA256: sha256Hex('other bytes'),
      S3ComputedContentSHA256: sha256Hex(PART),
    });
    expect(storedParts()).toEqual([]);
  });

  it('rebuilds the canonical request from what arrives: query sorted, path encoded the one canonical way', async () => {
    const key = "photos/it's (1) ~ok.jpg";
    const { UploadId: uploadId = '' } = await client.send(new CreateMultipartUploadCommand({ Bucket: BUCKET, Key: key }));
    // The query out of order, and ' ( ) left raw in the path (a WHATWG URL does not encode them).
    const url = `${BUCKET_URL}/photos/it's (1) ~ok.jpg?uploadId=${uploadId}&partNumber=1`;
    const signed = signRequest({ method: 'PUT', url, body: PART, date: NOW, credentials: KNOWN });
    expect(signed.canonicalRequest.split('\n').slice(1, 3)).toEqual([
      '/uploads/photos/it%27s%20%281%29%20~ok.jpg',
      `partNumber=1&uploadId=${uploadId}`,
    ]);

    const response = await fetch(url, { method: 'PUT', headers: signed.headers, body: PART });
    expect(response.status).toBe(200);
    const presigned = presignUrl({ method: 'PUT', url, date: NOW, expiresIn: 60, credentials: KNOWN });
    expect((await fetch(presigned.url, { method: 'PUT', body: PART })).status).toBe(200);
  });

  it('accepts UNSIGNED-PAYLOAD', async () => {
    const uploadId = await start();
    const response = await signedFetch('PUT', partUrl(uploadId), { body: PART, payloadHash: 'UNSIGNED-PAYLOAD' });
    expect(response.status).toBe(200);
  });

  it('refuses a request dated more than 15 minutes from the server clock with RequestTimeTooSkewed', async () => {
    const uploadId = await start();
    const early = new Date(NOW.getTime() - 16 * MINUTE);
    const response = await signedFetch('PUT', partUrl(uploadId), { body: PART, date: early });

    expect(response.status).toBe(403);
    const error = await s3Error(response);
    expect([error.code, error.message]).toEqual([
      'RequestTimeTooSkewed',
      'The difference between the request time and the current time is too large.',
    ]);
    expect(error.elements).toMatchObject({
      RequestTime: amzDate(early),
      ServerTime: '2025-06-01T12:00:00Z',
      MaxAllowedSkewMilliseconds: '900000',
    });
    const late = new Date(NOW.getTime() + 14 * MINUTE);
    const withinSkew = await signedFetch('PUT', partUrl(uploadId), { body: PART, date: late });
    expect(withinSkew.status).toBe(200);
  });

  it('refuses a credential scoped to another region with AuthorizationHeaderMalformed', async () => {
    const response = await signedFetch('POST', `${OBJECT_URL}?uploads`, { region: 'eu-west-1' });

    expect(response.status).toBe(400);
    const error = await s3Error(response);
    expect([error.code, error.message, error.elements['Region']]).toEqual([
      'AuthorizationHeaderMalformed',
      "The authorization header is malformed; the region 'eu-west-1' is wrong; expecting 'us-east-1'",
      'us-east-1',
    ]);
    const sdk = sdkClient({ region: 'eu-west-1' });
    const sdkFailure = await sdkError(sdk.send(new CreateMultipartUploadCommand({ Bucket: BUCKET, Key: KEY })));
    sdk.destroy();
    expect(sdkFailure.name).toBe('AuthorizationHeaderMalformed');
  });

  it('refuses an access key id it does not know with InvalidAccessKeyId', async () => {
    const response = await signedFetch('POST', `${OBJECT_URL}?uploads`, {
      credentials: { accessKeyId: 'AKIAUNKNOWN', secretAccessKey: SECRET },
    });
    const error = await s3Error(response);
    expect([response.status, error.code, error.elements['AWSAccessKeyId']]).toEqual([
      403,
      'InvalidAccessKeyId',
      'AKIAUNKNOWN',
    ]);
  });

  it('refuses an x-amz-* header sent beside the signed ones', async () => {
    const signed = signRequest({ method: 'POST', url: `${OBJECT_URL}?uploads`, date: NOW, credentials: KNOWN });
    const response = await fetch(`${OBJECT_URL}?uploads`, {
      method: 'POST',
      headers: { ...signed.headers, 'x-amz-meta-owner': 'mallory', 'x-amz-acl': 'public-read' },
    });
    const error = await s3Error(response);
    expect([response.status, error.code, error.elements['HeadersNotSigned']]).toEqual([
      403,
      'AccessDenied',
      'x-amz-acl, x-amz-meta-owner',
    ]);
  });

  it('refuses an unsigned multipart request: every emulated bucket is private', async () => {
    const response = await fetch(`${OBJECT_URL}?uploads`, { method: 'POST' });
    const error = await s3Error(response);
    expect([response.status, error.code, error.message]).toEqual([403, 'AccessDenied', 'Access Denied']);
    expect(s3.store.listMultipartUploads(BUCKET)).toEqual([]);
  });

  it('accepts a temporary credential with its session token, and refuses it without', async () => {
    const temporary = { accessKeyId: 'ASIATEMPORARY', secretAccessKey: 'temp-secret', sessionToken: 'token-123' };
    const emulator = createS3Emulator(emulatorOptions({ credentials: [temporary] }));
    server.use(...emulator.handlers);
    const withToken = await signedFetch('POST', `${OBJECT_URL}?uploads`, { credentials: temporary });
    const { sessionToken: _, ...withoutToken } = temporary;
    const without = await signedFetch('POST', `${OBJECT_URL}?uploads`, { credentials: withoutToken });
    server.resetHandlers();

    expect(withToken.status).toBe(200);
    expect([without.status, (await s3Error(without)).code]).toEqual([403, 'InvalidAccessKeyId']);
  });
});

