// @vitest-environment node
// CompleteMultipartUpload's refusals, each with the evidence S3 puts in its error document.
// https://docs.aws.amazon.com/AmazonS3/latest/API/API_CompleteMultipartUpload.html#API_CompleteMultipartUpload_Errors

import { CompleteMultipartUploadCommand, CreateMultipartUploadCommand, UploadPartCommand } from '@aws-sdk/client-s3';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createS3Emulator } from '../../mocks';
import { BUCKET, BUCKET_URL, emulatorOptions, s3Error } from './fixtures';
import {
  completeBody,
  concat,
  MIN_PART_SIZE,
  multipartEtag,
  randomPart,
  sameBytes,
  sdkClient,
  sdkError,
  signedFetch,
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

const KEY = 'big/file.bin';
const uploadUrl = (uploadId: string) => `${BUCKET_URL}/big/file.bin?uploadId=${uploadId}`;

/** An upload with these parts (numbered from 1) in place; their ETags as UploadPart answered them. */
async function uploadWith(parts: readonly Uint8Array[]): Promise<{ uploadId: string; etags: string[] }> {
  const { UploadId: uploadId = '' } = await client.send(new CreateMultipartUploadCommand({ Bucket: BUCKET, Key: KEY }));
  const etags: string[] = [];
  for (const [index, body] of parts.entries()) {
    const { ETag = '' } = await client.send(
      new UploadPartCommand({ Bucket: BUCKET, Key: KEY, UploadId: uploadId, PartNumber: index + 1, Body: body }),
    );
    etags.push(ETag);
  }
  return { uploadId, etags };
}

function complete(uploadId: string, body: string): Promise<Response> {
  return signedFetch('POST', uploadUrl(uploadId), { body, headers: { 'content-type': 'application/xml' } });
}

describe('InvalidPart', () => {
  it('names a listed part that was never uploaded', async () => {
    const { uploadId, etags } = await uploadWith([new Uint8Array([1])]);
    const response = await complete(uploadId, completeBody([
      { partNumber: 1, etag: etags[0] ?? '' },
      { partNumber: 2, etag: '"0123456789abcdef0123456789abcdef"' },
    ]));

    expect(response.status).toBe(400);
    const error = await s3Error(response);
    expect(error.code).toBe('InvalidPart');
    expect(error.message).toBe(
      "One or more of the specified parts could not be found.  The part may not have been uploaded, or the specified entity tag may not match the part's entity tag.",
    );
    expect(error.elements).toMatchObject({
      UploadId: uploadId,
      PartNumber: '2',
      ETag: '"0123456789abcdef0123456789abcdef"',
    });
    expect(s3.store.listObjects(BUCKET)).toEqual([]);
    expect(s3.store.listMultipartUploads(BUCKET)).toHaveLength(1);
  });

  it('names a part listed with another ETag than it was uploaded with', async () => {
    const part = new TextEncoder().encode('part one');
    const { uploadId } = await uploadWith([part]);
    const wrong = `"${md5Hex('something else')}"`;
    const response = await complete(uploadId, completeBody([{ partNumber: 1, etag: wrong }]));

    const error = await s3Error(response);
    expect([error.code, error.elements['PartNumber'], error.elements['ETag']]).toEqual(['InvalidPart', '1', wrong]);
  });

  it('accepts the ETags without their quotes, as S3 does', async () => {
    const parts = [randomPart(MIN_PART_SIZE), new Uint8Array([9])];
    const { uploadId, etags } = await uploadWith(parts);
    const response = await complete(
      uploadId,
      completeBody(etags.map((etag, index) => ({ partNumber: index + 1, etag: etag.replace(/"/g, '') }))),
    );

    expect(response.status).toBe(200);
    expect(await response.text()).toContain(`<ETag>${multipartEtag(parts)}</ETag>`);
  });
});

describe('InvalidPartOrder', () => {
  it('refuses parts listed out of order', async () => {
    const { uploadId, etags } = await uploadWith([new Uint8Array([1]), new Uint8Array([2])]);
    const response = await complete(uploadId, completeBody([
      { partNumber: 2, etag: etags[1] ?? '' },
      { partNumber: 1, etag: etags[0] ?? '' },
    ]));

    expect(response.status).toBe(400);
    const error = await s3Error(response);
    expect(error.code).toBe('InvalidPartOrder');
    expect(error.message).toBe('The list of parts was not in ascending order.Parts list must specified in order by part number.');
    expect(error.elements).toMatchObject({ UploadId: uploadId, PartNumber: '1' });
  });

  it('refuses a part listed twice', async () => {
    const { uploadId, etags } = await uploadWith([new Uint8Array([1])]);
    const part = { partNumber: 1, etag: etags[0] ?? '' };
    const error = await s3Error(await complete(uploadId, completeBody([part, part])));
    expect(error.code).toBe('InvalidPartOrder');
  });
});

describe('EntityTooSmall', () => {
  it('refuses a part under 5 MiB that is not the last, naming it', async () => {
    const small = randomPart(MIN_PART_SIZE - 1);
    const { uploadId, etags } = await uploadWith([small, new Uint8Array([1])]);
    const response = await complete(uploadId, completeBody(etags.map((etag, index) => ({ partNumber: index + 1, etag }))));

    expect(response.status).toBe(400);
    const error = await s3Error(response);
    expect([error.code, error.message]).toEqual([
      'EntityTooSmall',
      'Your proposed upload is smaller than the minimum allowed size',
    ]);
    expect(error.elements).toMatchObject({
      ProposedSize: String(MIN_PART_SIZE - 1),
      MinSizeAllowed: '5242880',
      PartNumber: '1',
      // S3 writes the part's ETag here without quotes.
      ETag: md5Hex(small),
    });
    // A refused completion leaves the upload as it was: the parts can still be replaced.
    expect(s3.store.listMultipartUploads(BUCKET)[0]?.parts).toHaveLength(2);
  });

  it('is what the AWS SDK reports too', async () => {
    const { uploadId, etags } = await uploadWith([new Uint8Array(10), new Uint8Array(10)]);
    const error = await sdkError(
      client.send(
        new CompleteMultipartUploadCommand({
          Bucket: BUCKET,
          Key: KEY,
          UploadId: uploadId,
          MultipartUpload: { Parts: etags.map((ETag, index) => ({ ETag, PartNumber: index + 1 })) },
        }),
      ),
    );
    expect([error.name, error.$metadata.httpStatusCode]).toEqual(['EntityTooSmall', 400]);
  });

  it('judges only the parts listed: the ones left out are dropped', async () => {
    const parts = [randomPart(MIN_PART_SIZE), new Uint8Array([2]), new Uint8Array([3])];
    const { uploadId, etags } = await uploadWith(parts);
    const response = await complete(uploadId, completeBody([
      { partNumber: 1, etag: etags[0] ?? '' },
      { partNumber: 3, etag: etags[2] ?? '' },
    ]));

    expect(response.status).toBe(200);
    const chosen = [parts[0] ?? new Uint8Array(), parts[2] ?? new Uint8Array()];
    expect(sameBytes(s3.store.getObject(BUCKET, KEY)?.body, concat(chosen))).toBe(true);
    expect(s3.store.getObject(BUCKET, KEY)?.etag).toBe(multipartEtag(chosen));
  });
});

describe('MalformedXML', () => {
  it.each([
    ['text that is not XML', 'parts: 1, 2'],
    ['another document', '<Delete><Object><Key>a</Key></Object></Delete>'],
    ['no Part at all', '<CompleteMultipartUpload></CompleteMultipartUpload>'],
    ['a Part without ETag', '<CompleteMultipartUpload><Part><PartNumber>1</PartNumber></Part></CompleteMultipartUpload>'],
    [
      'a PartNumber that is not a number',
      '<CompleteMultipartUpload><Part><PartNumber>one</PartNumber><ETag>"x"</ETag></Part></CompleteMultipartUpload>',
    ],
    // The three below were accepted until fuzzing found them (test/mocks/fuzz-complete.test.ts).
    [
      'an XML declaration that is not well-formed',
      '<?xml version="1.0"}encoding="UTF-8"?><CompleteMultipartUpload><Part><PartNumber>1</PartNumber><ETag>"x"</ETag></Part></CompleteMultipartUpload>',
    ],
    [
      'a root attribute that is not well-formed',
      '<CompleteMultipartUpload xmlns"http://s3.amazonaws.com/doc/2006-03-01/"><Part><PartNumber>1</PartNumber><ETag>"x"</ETag></Part></CompleteMultipartUpload>',
    ],
    [
      'a control character, which XML 1.0 does not allow',
      '<CompleteMultipartUpload><Part><PartNumber>1</PartNumber><ETag>"x\u0001"</ETag></Part></CompleteMultipartUpload>',
    ],
  ])('refuses %s', async (_, body) => {
    const { uploadId } = await uploadWith([new Uint8Array([1])]);
    const response = await complete(uploadId, body);

    expect(response.status).toBe(400);
    const error = await s3Error(response);
    expect([error.code, error.message]).toEqual([
      'MalformedXML',
      'The XML you provided was not well-formed or did not validate against our published schema',
    ]);
    expect(s3.store.listMultipartUploads(BUCKET)).toHaveLength(1);
  });
});

describe('after completion', () => {
  it('answers NoSuchUpload, with the UploadId, to a second CompleteMultipartUpload', async () => {
    const { uploadId, etags } = await uploadWith([new Uint8Array([1])]);
    const body = completeBody([{ partNumber: 1, etag: etags[0] ?? '' }]);
    expect((await complete(uploadId, body)).status).toBe(200);

    const again = await complete(uploadId, body);
    expect(again.status).toBe(404);
    const error = await s3Error(again);
    expect([error.code, error.elements['UploadId']]).toEqual(['NoSuchUpload', uploadId]);
  });
});
