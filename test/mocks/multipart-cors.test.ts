// @vitest-environment node
// (happy-dom's fetch drops the Origin and Access-Control-Request-* headers a test must set; see cors.test.ts.)
// CORS for a multipart upload from a browser: the preflight must allow PUT (parts), POST (create,
// complete) and DELETE (abort), and each part's ETag must be exposed, or the page cannot complete.
// https://docs.aws.amazon.com/AmazonS3/latest/userguide/cors.html
// https://docs.aws.amazon.com/AmazonS3/latest/userguide/ManageCorsUsing.html ("ExposeHeader" ETag)

import { CreateMultipartUploadCommand, UploadPartCommand } from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createS3Emulator, type S3EmulatorOptions } from '../../mocks';
import { BUCKET, BUCKET_URL, emulatorOptions, NOW } from './fixtures';
import { sdkClient } from './multipart-fixtures';
import { md5Hex } from '../support/aws-signer';

const ORIGIN = 'https://app.example.com';
const KEY = 'movie.mp4';
const server = setupServer();
const client = sdkClient();
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => server.resetHandlers());
afterAll(() => {
  client.destroy();
  server.close();
});

function use(overrides: Partial<S3EmulatorOptions> = {}) {
  const emulator = createS3Emulator(emulatorOptions(overrides));
  server.use(...emulator.handlers);
  return emulator;
}

function preflight(method: string, requestHeaders = 'content-type') {
  return fetch(`${BUCKET_URL}/${KEY}?partNumber=1&uploadId=x`, {
    method: 'OPTIONS',
    headers: { Origin: ORIGIN, 'Access-Control-Request-Method': method, 'Access-Control-Request-Headers': requestHeaders },
  });
}

/** A part PUT from the page's origin to a presigned URL, as a browser sends it. */
async function putPartFromPage(): Promise<Response> {
  const { UploadId } = await client.send(new CreateMultipartUploadCommand({ Bucket: BUCKET, Key: KEY }));
  const url = await getSignedUrl(client, new UploadPartCommand({ Bucket: BUCKET, Key: KEY, UploadId, PartNumber: 1 }), {
    signingDate: NOW,
  });
  return fetch(url, { method: 'PUT', body: 'part', headers: { Origin: ORIGIN } });
}

describe('with the default rule', () => {
  it.each(['PUT', 'POST', 'DELETE'])('allows a preflight for %s on an object', async (method) => {
    use();
    const response = await preflight(method);

    expect(response.status).toBe(200);
    expect(response.headers.get('access-control-allow-origin')).toBe('*');
    expect(response.headers.get('access-control-allow-methods')?.split(', ')).toContain(method);
    expect(response.headers.get('access-control-allow-headers')).toBe('content-type');
  });

  it("exposes each part's ETag to the page", async () => {
    use();
    const response = await putPartFromPage();

    expect(response.status).toBe(200);
    expect(response.headers.get('access-control-allow-origin')).toBe('*');
    expect(response.headers.get('access-control-expose-headers')?.split(', ')).toContain('ETag');
    expect(response.headers.get('etag')).toBe(`"${md5Hex('part')}"`);
  });
});

describe('with a rule that exposes no headers: cors: { exposeHeaders: [] }', () => {
  it('still allows the preflight and the PUT, but exposes nothing: a browser cannot read the ETag', async () => {
    const emulator = use({ cors: { exposeHeaders: [] } });
    expect((await preflight('PUT')).headers.get('access-control-expose-headers')).toBeNull();

    const response = await putPartFromPage();
    expect(response.status).toBe(200);
    expect(response.headers.get('access-control-allow-origin')).toBe('*');
    // S3 sends the ETag; without Access-Control-Expose-Headers a browser's fetch/XHR reads null for it.
    expect(response.headers.get('access-control-expose-headers')).toBeNull();
    expect(emulator.store.listMultipartUploads(BUCKET)[0]?.parts).toHaveLength(1);
  });
});

describe('with cors: false', () => {
  it('refuses the preflight for PUT', async () => {
    use({ cors: false });
    const response = await preflight('PUT');
    expect(response.status).toBe(403);
    expect(response.headers.get('access-control-allow-origin')).toBeNull();
  });
});
