// @vitest-environment node
// (The AWS SDK is the client here, over node:http; happy-dom adds nothing to what is tested.)
// Multipart upload through the AWS SDK, the reference client: its requests carry Authorization
// headers, so every call here also proves the emulator's SigV4 verification against an independent signer.
// https://docs.aws.amazon.com/AmazonS3/latest/userguide/mpuoverview.html

import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  ListPartsCommand,
  UploadPartCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createS3Emulator } from '../../mocks';
import { BUCKET, BUCKET_URL, emulatorOptions, NOW } from './fixtures';
import {
  concat,
  MIN_PART_SIZE,
  multipartEtag,
  randomPart,
  sameBytes,
  sdkClient,
  sdkError,
} from './multipart-fixtures';
import { md5Hex } from '../support/aws-signer';

const s3 = createS3Emulator(emulatorOptions());
const server = setupServer(...s3.handlers);
const client = sdkClient();
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => s3.store.clear());
afterAll(() => {
  client.destroy();
  server.close();
});

async function start(key: string, sdk: S3Client = client): Promise<string> {
  const { UploadId } = await sdk.send(new CreateMultipartUploadCommand({ Bucket: BUCKET, Key: key }));
  if (!UploadId) throw new Error('no UploadId');
  return UploadId;
}

async function put(key: string, uploadId: string, partNumber: number, body: Uint8Array): Promise<string> {
  const { ETag } = await client.send(
    new UploadPartCommand({ Bucket: BUCKET, Key: key, UploadId: uploadId, PartNumber: partNumber, Body: body }),
  );
  if (!ETag) throw new Error('no ETag');
  return ETag;
}

describe('a whole multipart upload', () => {
  it('stores the parts concatenated, with S3 ETag md5(md5(p1)‖md5(p2)‖md5(p3))-3, and the upload is gone', async () => {
    const key = 'videos/holiday clip.mp4';
    const logged = s3.requests.length;
    const parts = [randomPart(MIN_PART_SIZE), randomPart(MIN_PART_SIZE), randomPart(1234)];
    const created = await client.send(
      new CreateMultipartUploadCommand({
        Bucket: BUCKET,
        Key: key,
        ContentType: 'video/mp4',
        Metadata: { owner: 'ada' },
        ACL: 'private',
      }),
    );
    expect([created.Bucket, created.Key]).toEqual([BUCKET, key]);
    const uploadId = created.UploadId ?? '';
    expect(uploadId).toMatch(/^[\w-]{40,}$/);
    expect(s3.store.listMultipartUploads(BUCKET)).toMatchObject([{ key, uploadId, contentType: 'video/mp4', parts: [] }]);

    const etags = [];
    for (const [index, part] of parts.entries()) etags.push(await put(key, uploadId, index + 1, part));
    expect(etags).toEqual(parts.map((part) => `"${md5Hex(part)}"`));

    const completed = await client.send(
      new CompleteMultipartUploadCommand({
        Bucket: BUCKET,
        Key: key,
        UploadId: uploadId,
        MultipartUpload: { Parts: etags.map((ETag, index) => ({ ETag, PartNumber: index + 1 })) },
      }),
    );

    expect(completed.ETag).toBe(multipartEtag(parts));
    expect(completed.Location).toBe(`${BUCKET_URL}/videos%2Fholiday%20clip.mp4`);
    expect([completed.Bucket, completed.Key]).toEqual([BUCKET, key]);
    const stored = s3.store.getObject(BUCKET, key);
    expect(sameBytes(stored?.body, concat(parts))).toBe(true);
    expect(stored).toMatchObject({
      etag: multipartEtag(parts),
      contentType: 'video/mp4',
      metadata: { owner: 'ada' },
      acl: 'private',
      lastModified: NOW,
    });
    expect(s3.store.listMultipartUploads(BUCKET)).toEqual([]);
    expect(s3.requests.slice(logged).map(({ method, status }) => `${method} ${status}`)).toEqual([
      'POST 200',
      'PUT 200',
      'PUT 200',
      'PUT 200',
      'POST 200',
    ]);

    const read = await fetch(`${BUCKET_URL}/videos/holiday%20clip.mp4`);
    expect(read.headers.get('etag')).toBe(multipartEtag(parts));
    expect(sameBytes(new Uint8Array(await read.arrayBuffer()), concat(parts))).toBe(true);
  });

  it('keeps the last upload of a part number: a part sent again replaces the earlier one', async () => {
    const uploadId = await start('retry.bin');
    await put('retry.bin', uploadId, 1, new TextEncoder().encode('first try'));
    const etag = await put('retry.bin', uploadId, 1, new TextEncoder().encode('second'));

    const listed = await client.send(new ListPartsCommand({ Bucket: BUCKET, Key: 'retry.bin', UploadId: uploadId }));
    expect(listed.Parts?.map(({ PartNumber, ETag, Size }) => ({ PartNumber, ETag, Size }))).toEqual([
      { PartNumber: 1, ETag: etag, Size: 6 },
    ]);

    await client.send(
      new CompleteMultipartUploadCommand({
        Bucket: BUCKET,
        Key: 'retry.bin',
        UploadId: uploadId,
        MultipartUpload: { Parts: [{ ETag: etag, PartNumber: 1 }] },
      }),
    );
    expect(new TextDecoder().decode(s3.store.getObject(BUCKET, 'retry.bin')?.body)).toBe('second');
  });

  it('stores binary/octet-stream when CreateMultipartUpload names no Content-Type', async () => {
    const uploadId = await start('plain');
    const etag = await put('plain', uploadId, 1, new Uint8Array([1]));
    await client.send(
      new CompleteMultipartUploadCommand({
        Bucket: BUCKET,
        Key: 'plain',
        UploadId: uploadId,
        MultipartUpload: { Parts: [{ ETag: etag, PartNumber: 1 }] },
      }),
    );
    expect(s3.store.getObject(BUCKET, 'plain')).toMatchObject({ contentType: 'binary/octet-stream', metadata: {} });
  });
});

describe('ListParts', () => {
  it('pages with max-parts and part-number-marker', async () => {
    const uploadId = await start('paged.bin');
    for (let partNumber = 1; partNumber <= 5; partNumber++) {
      await put('paged.bin', uploadId, partNumber, new Uint8Array(partNumber));
    }
    const page = (marker?: string) =>
      client.send(
        new ListPartsCommand({
          Bucket: BUCKET,
          Key: 'paged.bin',
          UploadId: uploadId,
          MaxParts: 2,
          ...(marker === undefined ? {} : { PartNumberMarker: marker }),
        }),
      );

    const first = await page();
    expect(first.Parts?.map((part) => part.PartNumber)).toEqual([1, 2]);
    expect([first.IsTruncated, first.NextPartNumberMarker, first.MaxParts]).toEqual([true, '2', 2]);
    expect(first.Parts?.[1]).toMatchObject({ Size: 2, ETag: `"${md5Hex(new Uint8Array(2))}"`, LastModified: NOW });

    const second = await page(first.NextPartNumberMarker);
    expect(second.Parts?.map((part) => part.PartNumber)).toEqual([3, 4]);
    expect([second.PartNumberMarker, second.IsTruncated, second.NextPartNumberMarker]).toEqual(['2', true, '4']);

    const last = await page(second.NextPartNumberMarker);
    expect(last.Parts?.map((part) => part.PartNumber)).toEqual([5]);
    expect([last.IsTruncated, last.NextPartNumberMarker]).toEqual([false, '5']);
  });

  it('lists every part, up to 1,000, without max-parts', async () => {
    const uploadId = await start('all.bin');
    await put('all.bin', uploadId, 3, new Uint8Array(3));
    await put('all.bin', uploadId, 1, new Uint8Array(1));
    const listed = await client.send(new ListPartsCommand({ Bucket: BUCKET, Key: 'all.bin', UploadId: uploadId }));
    expect(listed.Parts?.map((part) => part.PartNumber)).toEqual([1, 3]);
    expect([listed.MaxParts, listed.IsTruncated, listed.StorageClass]).toEqual([1000, false, 'STANDARD']);
  });
});

describe('AbortMultipartUpload', () => {
  it('answers 204 and leaves nothing in the bucket: no object, no upload, no parts', async () => {
    const uploadId = await start('cancelled.bin');
    await put('cancelled.bin', uploadId, 1, randomPart(1000));
    expect(s3.store.listMultipartUploads(BUCKET)[0]?.parts).toHaveLength(1);

    await client.send(new AbortMultipartUploadCommand({ Bucket: BUCKET, Key: 'cancelled.bin', UploadId: uploadId }));

    expect(s3.requests.at(-1)).toEqual({
      method: 'DELETE',
      url: expect.stringContaining(`uploadId=${uploadId}`),
      status: 204,
    });
    expect(s3.store.listMultipartUploads(BUCKET)).toEqual([]);
    expect(s3.store.listObjects(BUCKET)).toEqual([]);
  });
});

describe('NoSuchUpload', () => {
  it('answers every operation on an aborted upload', async () => {
    const uploadId = await start('gone.bin');
    await client.send(new AbortMultipartUploadCommand({ Bucket: BUCKET, Key: 'gone.bin', UploadId: uploadId }));

    const calls = [
      client.send(new UploadPartCommand({ Bucket: BUCKET, Key: 'gone.bin', UploadId: uploadId, PartNumber: 1, Body: 'x' })),
      client.send(new ListPartsCommand({ Bucket: BUCKET, Key: 'gone.bin', UploadId: uploadId })),
      client.send(new AbortMultipartUploadCommand({ Bucket: BUCKET, Key: 'gone.bin', UploadId: uploadId })),
      client.send(
        new CompleteMultipartUploadCommand({
          Bucket: BUCKET,
          Key: 'gone.bin',
          UploadId: uploadId,
          MultipartUpload: { Parts: [{ ETag: '"x"', PartNumber: 1 }] },
        }),
      ),
    ];
    for (const call of calls) {
      const error = await sdkError(call);
      expect([error.name, error.$metadata.httpStatusCode]).toEqual(['NoSuchUpload', 404]);
      expect(error.message).toBe(
        'The specified upload does not exist. The upload ID may be invalid, or the upload may have been aborted or completed.',
      );
    }
  });

  it('answers ListParts after the upload completed', async () => {
    const uploadId = await start('done.bin');
    const etag = await put('done.bin', uploadId, 1, new Uint8Array([7]));
    await client.send(
      new CompleteMultipartUploadCommand({
        Bucket: BUCKET,
        Key: 'done.bin',
        UploadId: uploadId,
        MultipartUpload: { Parts: [{ ETag: etag, PartNumber: 1 }] },
      }),
    );
    const error = await sdkError(client.send(new ListPartsCommand({ Bucket: BUCKET, Key: 'done.bin', UploadId: uploadId })));
    expect(error.name).toBe('NoSuchUpload');
  });

  it('answers an upload id used under another key', async () => {
    const uploadId = await start('mine.bin');
    const listed = client.send(new ListPartsCommand({ Bucket: BUCKET, Key: 'other.bin', UploadId: uploadId }));
    const error = await sdkError(listed);
    expect(error.name).toBe('NoSuchUpload');
  });
});

describe('UploadPart part numbers', () => {
  it.each([0, 10001])('refuses part number %i: S3 takes 1 to 10,000', async (partNumber) => {
    const uploadId = await start('numbers.bin');
    const part = new UploadPartCommand({
      Bucket: BUCKET,
      Key: 'numbers.bin',
      UploadId: uploadId,
      PartNumber: partNumber,
      Body: 'x',
    });
    const error = await sdkError(client.send(part));
    expect([error.name, error.message]).toEqual([
      'InvalidArgument',
      'Part number must be an integer between 1 and 10000, inclusive',
    ]);
  });
});

describe('the store', () => {
  it('lists the uploads in progress in key order, and clear() removes them', async () => {
    await start('b');
    await start('a');
    await start('a');
    expect(s3.store.listMultipartUploads(BUCKET).map((upload) => upload.key)).toEqual(['a', 'a', 'b']);
    expect(s3.store.listMultipartUploads('elsewhere')).toEqual([]);

    s3.store.clear();
    expect(s3.store.listMultipartUploads(BUCKET)).toEqual([]);
  });
});
