// The reference signer: a form from @aws-sdk/s3-presigned-post must be accepted as S3 accepts it.
// (It sends capitalised X-Amz-* and Policy names, a `bucket` field, and capitalised condition keys.)

import { S3Client } from '@aws-sdk/client-s3';
import { createPresignedPost } from '@aws-sdk/s3-presigned-post';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createS3Emulator } from '../../mocks';
import { ACCESS_KEY_ID, BUCKET, ENDPOINT, REGION, s3Error, SECRET } from './fixtures';
import { md5Hex } from '../support/aws-signer';

const s3 = createS3Emulator({
  endpoint: ENDPOINT,
  region: REGION,
  buckets: [BUCKET],
  credentials: [{ accessKeyId: ACCESS_KEY_ID, secretAccessKey: SECRET }],
});
const server = setupServer(...s3.handlers);
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => s3.store.clear());
afterAll(() => server.close());

function client(region = REGION): S3Client {
  return new S3Client({
    region,
    credentials: { accessKeyId: ACCESS_KEY_ID, secretAccessKey: SECRET },
    endpoint: ENDPOINT,
    forcePathStyle: true,
    requestChecksumCalculation: 'WHEN_REQUIRED',
  });
}

async function upload(url: string, fields: Record<string, string>, file: File): Promise<Response> {
  const form = new FormData();
  for (const [name, value] of Object.entries(fields)) form.append(name, value);
  form.append('file', file);
  return fetch(url, { method: 'POST', body: form });
}

describe('createPresignedPost (AWS SDK v3)', () => {
  it('produces a form the emulator accepts, and the bytes read back with their MD5 ETag', async () => {
    const bytes = new Uint8Array([0, 1, 2, 250, 251, 252, 253, 254, 255]);
    const { url, fields } = await createPresignedPost(client(), {
      Bucket: BUCKET,
      Key: 'avatars/${filename}',
      Conditions: [['content-length-range', 1, 1024], ['starts-with', '$Content-Type', 'image/']],
      Fields: { 'Content-Type': 'image/png' },
      Expires: 300,
    });
    expect(url).toBe(`${ENDPOINT}/${BUCKET}`);

    const response = await upload(url, fields, new File([bytes], 'me.png', { type: 'image/png' }));

    expect(response.status).toBe(204);
    expect(response.headers.get('etag')).toBe(`"${md5Hex(bytes)}"`);
    expect(response.headers.get('location')).toBe(`${ENDPOINT}/${BUCKET}/avatars%2Fme.png`);
    const read = await fetch(`${ENDPOINT}/${BUCKET}/avatars/me.png`);
    expect(read.status).toBe(200);
    expect(new Uint8Array(await read.arrayBuffer())).toEqual(bytes);
    expect(read.headers.get('content-type')).toBe('image/png');
    expect(read.headers.get('etag')).toBe(`"${md5Hex(bytes)}"`);
  });

  it('is refused when the SDK signs for another region than the bucket is in', async () => {
    const { url, fields } = await createPresignedPost(client('eu-west-1'), { Bucket: BUCKET, Key: 'a.txt' });

    const response = await upload(url, fields, new File(['x'], 'a.txt'));

    expect(response.status).toBe(400);
    const error = await s3Error(response);
    expect(error.message).toBe("the region 'eu-west-1' is wrong; expecting 'us-east-1'");
    expect(error.elements['Region']).toBe('us-east-1');
    expect(s3.store.listObjects(BUCKET)).toEqual([]);
  });
});
