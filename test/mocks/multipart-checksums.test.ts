// @vitest-environment node
// Additional checksums on parts: x-amz-checksum-crc32 / -sha256 checked against the bytes, echoed back,
// and required to match the algorithm the upload was created with, as S3 requires.
// https://docs.aws.amazon.com/AmazonS3/latest/userguide/checking-object-integrity.html

import {
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  ListPartsCommand,
  UploadPartCommand,
  type ChecksumAlgorithm,
  type UploadPartCommandInput,
} from '@aws-sdk/client-s3';
import { setupServer } from 'msw/node';
import { createHash } from 'node:crypto';
import { crc32 } from 'node:zlib';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createS3Emulator } from '../../mocks';
import { BUCKET, BUCKET_URL, emulatorOptions, s3Error } from './fixtures';
import { completeBody, sdkClient, sdkError, signedFetch } from './multipart-fixtures';

const s3 = createS3Emulator(emulatorOptions());
const server = setupServer(...s3.handlers);
const client = sdkClient();
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => s3.store.clear());
afterAll(() => {
  client.destroy();
  server.close();
});

const KEY = 'checked.bin';
const PART = new TextEncoder().encode('a part whose bytes are checked');

/** base64 of the CRC-32's 4 bytes, big-endian, as x-amz-checksum-crc32 carries it. */
function crc32Base64(bytes: Uint8Array): string {
  const value = Buffer.alloc(4);
  value.writeUInt32BE(crc32(bytes));
  return value.toString('base64');
}

function sha256Base64(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('base64');
}

type PartChecksum = Pick<UploadPartCommandInput, 'ChecksumAlgorithm' | 'ChecksumCRC32' | 'ChecksumSHA256'>;

/** UploadPart of PART as part 1, with the checksum fields given. */
function sendPart(uploadId: string, checksum: PartChecksum = {}) {
  const input = { Bucket: BUCKET, Key: KEY, UploadId: uploadId, PartNumber: 1, Body: PART, ...checksum };
  return client.send(new UploadPartCommand(input));
}

async function start(algorithm?: ChecksumAlgorithm): Promise<string> {
  const created = await client.send(
    new CreateMultipartUploadCommand({ Bucket: BUCKET, Key: KEY, ...(algorithm ? { ChecksumAlgorithm: algorithm } : {}) }),
  );
  return created.UploadId ?? '';
}

describe('x-amz-checksum-crc32', () => {
  it('accepts the right value, echoes it, lists it, and completes with the composite checksum', async () => {
    const uploadId = await start('CRC32');
    const uploaded = await sendPart(uploadId, { ChecksumCRC32: crc32Base64(PART) });
    expect(uploaded.ChecksumCRC32).toBe(crc32Base64(PART));

    const listed = await client.send(new ListPartsCommand({ Bucket: BUCKET, Key: KEY, UploadId: uploadId }));
    expect(listed.Parts?.[0]?.ChecksumCRC32).toBe(crc32Base64(PART));
    expect(listed.ChecksumAlgorithm).toBe('CRC32');

    const completed = await client.send(
      new CompleteMultipartUploadCommand({
        Bucket: BUCKET,
        Key: KEY,
        UploadId: uploadId,
        MultipartUpload: {
          Parts: [{ PartNumber: 1, ETag: uploaded.ETag ?? '', ChecksumCRC32: uploaded.ChecksumCRC32 ?? '' }],
        },
      }),
    );
    // The checksum of the parts' checksums, then -<parts>: crc32(crc32(p1))-1 for one part.
    expect(completed.ChecksumCRC32).toBe(`${crc32Base64(Buffer.from(crc32Base64(PART), 'base64'))}-1`);
  });

  it('agrees with the checksum the AWS SDK computes itself when asked for CRC32', async () => {
    const uploadId = await start('CRC32');
    const uploaded = await sendPart(uploadId, { ChecksumAlgorithm: 'CRC32' });
    expect(uploaded.ChecksumCRC32).toBe(crc32Base64(PART));
  });

  it('refuses a wrong value with BadDigest and stores nothing', async () => {
    const uploadId = await start('CRC32');
    const error = await sdkError(sendPart(uploadId, { ChecksumCRC32: crc32Base64(new Uint8Array([1])) }));
    expect([error.name, error.message]).toEqual([
      'BadDigest',
      'The CRC32 you specified did not match the calculated checksum.',
    ]);
    expect(s3.store.listMultipartUploads(BUCKET)[0]?.parts).toEqual([]);
  });

  it('refuses a value that is not 4 bytes of base64', async () => {
    const uploadId = await start('CRC32');
    const response = await signedFetch('PUT', `${BUCKET_URL}/${KEY}?partNumber=1&uploadId=${uploadId}`, {
      body: PART,
      headers: { 'x-amz-checksum-crc32': 'not base64!' },
    });
    const error = await s3Error(response);
    expect([response.status, error.code, error.message]).toEqual([
      400,
      'InvalidRequest',
      'Value for x-amz-checksum-crc32 header is invalid.',
    ]);
  });
});

describe('x-amz-checksum-sha256', () => {
  it('accepts the right value and refuses a wrong one with BadDigest', async () => {
    const uploadId = await start('SHA256');
    const uploaded = await sendPart(uploadId, { ChecksumSHA256: sha256Base64(PART) });
    expect(uploaded.ChecksumSHA256).toBe(sha256Base64(PART));

    const error = await sdkError(sendPart(uploadId, { ChecksumSHA256: sha256Base64(new Uint8Array()) }));
    expect([error.name, error.message]).toEqual([
      'BadDigest',
      'The SHA256 you specified did not match the calculated checksum.',
    ]);
  });
});

describe('the algorithm the upload was created with', () => {
  it('refuses a part checksum when CreateMultipartUpload named no algorithm', async () => {
    const uploadId = await start();
    const error = await sdkError(sendPart(uploadId, { ChecksumCRC32: crc32Base64(PART) }));
    expect([error.name, error.message]).toEqual([
      'InvalidRequest',
      'Checksum Type mismatch occurred, expected checksum Type: null, actual checksum Type: crc32',
    ]);
  });

  it('refuses a part without the checksum the upload was created with', async () => {
    const uploadId = await start('SHA256');
    const error = await sdkError(sendPart(uploadId));
    expect(error.message).toBe(
      'Checksum Type mismatch occurred, expected checksum Type: SHA256, actual checksum Type: null',
    );
  });

  it('requires each part checksum in CompleteMultipartUpload', async () => {
    const uploadId = await start('CRC32');
    const { ETag = '' } = await sendPart(uploadId, { ChecksumCRC32: crc32Base64(PART) });
    const response = await signedFetch('POST', `${BUCKET_URL}/${KEY}?uploadId=${uploadId}`, {
      body: completeBody([{ partNumber: 1, etag: ETag }]),
    });
    const error = await s3Error(response);
    expect([response.status, error.code, error.message]).toEqual([
      400,
      'InvalidRequest',
      'The upload was created using a crc32 checksum. The complete request must include the checksum for each part. ' +
        'It was missing for part 1 in the request.',
    ]);
  });
});
