// The presigned multipart contract of the kit (src/core/multipart/backends/presigned-contract.ts), as a backend
// on the AWS SDK v3 writes it: the backend starts, lists, completes and aborts the upload with its own
// credentials, and presigns one UploadPart URL per part for the browser to PUT to.
// https://docs.aws.amazon.com/AmazonS3/latest/userguide/mpuoverview.html
//
//   POST /api/multipart/create      { filename, contentType, size, metadata?, checksumAlgorithm? } -> { uploadId, key, bucket }
//   POST /api/multipart/sign-parts  { uploadId, key, parts: [{ partNumber, size, checksum? }], checksumAlgorithm? }
//                                     -> { parts: [{ partNumber, url, headers? }] }
//   POST /api/multipart/list-parts  { uploadId, key } -> { parts: [{ partNumber, etag, size, checksum? }] }, 404 when S3 no longer knows the upload
//   POST /api/multipart/complete    { uploadId, key, parts: [{ partNumber, etag, checksum? }], checksumAlgorithm? } -> { location, bucket, key, etag }
//   POST /api/multipart/abort       { uploadId, key } -> { aborted: true }, 404 when S3 no longer knows the upload
//
// The backend decides the key (a requested one is ignored) and touches no upload outside KEY_PREFIX.
// The size limit is checked twice: at create against the size the page declares, and at complete
// against the parts S3 holds, since a page could declare a small file and send large parts.

import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  HeadObjectCommand,
  ListPartsCommand,
  UploadPartCommand,
  type Part,
  type S3Client,
} from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { multipartLimits, type S3Target } from './config';
import { ApiError, isRecord } from './json-api';
import { allowedKey, objectKeyFor } from './object-key';
import { parsePolicyRequest, type PolicyRequestBody } from './policy-request';
import { fromS3Error, s3ErrorCode } from './s3-client';

type ChecksumAlgorithm = 'CRC32' | 'SHA256';

export interface MultipartRef {
  readonly uploadId: string;
  readonly key: string;
}

interface PartToSign {
  readonly partNumber: number;
  readonly size: number;
  readonly checksum: string | undefined;
}

interface FinishedPart {
  readonly partNumber: number;
  readonly etag: string;
  readonly checksum: string | undefined;
}

export interface PresignedMultipart {
  create(body: unknown): Promise<{ uploadId: string; key: string; bucket: string }>;
  signParts(body: unknown): Promise<{ parts: Array<{ partNumber: number; url: string; headers?: Record<string, string> }> }>;
  listParts(body: unknown): Promise<{ parts: Array<{ partNumber: number; etag: string; size: number; checksum?: string }> }>;
  complete(body: unknown): Promise<{ location: string | undefined; bucket: string; key: string; etag: string | undefined }>;
  abort(body: unknown): Promise<{ aborted: true }>;
}

/** How long a part URL stays good. The kit signs a few parts ahead, and signs again a URL S3 found expired. */
export const PART_URL_LIFETIME_SECONDS = 15 * 60;
// S3's limits: https://docs.aws.amazon.com/AmazonS3/latest/userguide/qfacts.html
const MAX_PART_NUMBER = 10_000;
const MAX_PART_SIZE = 5 * 1024 ** 3;
/** The kit asks for a handful of parts at a time; a bound keeps one request's work bounded. */
const MAX_PARTS_PER_SIGNING = 100;

export function createPresignedMultipart(target: S3Target, client: S3Client): PresignedMultipart {
  const { maxSize } = multipartLimits(target);
  const Bucket = target.bucket;

  async function listAllParts(ref: MultipartRef): Promise<Part[]> {
    const parts: Part[] = [];
    let marker: string | undefined;
    do {
      const page = await client.send(new ListPartsCommand({ Bucket, Key: ref.key, UploadId: ref.uploadId, PartNumberMarker: marker }));
      parts.push(...(page.Parts ?? []));
      marker = page.IsTruncated ? page.NextPartNumberMarker : undefined;
    } while (marker !== undefined);
    return parts;
  }

  /** S3's answer for an upload it does not know: 404, which the kit reads as "start again". */
  function unknownUpload(operation: string, ref: MultipartRef, error: unknown): unknown {
    // radosgw says NoSuchKey where S3 says NoSuchUpload (ListParts of an aborted upload).
    const code = s3ErrorCode(error);
    if (code !== 'NoSuchUpload' && code !== 'NoSuchKey') return fromS3Error(operation, error);
    return new ApiError(404, `S3 no longer knows the upload ${ref.uploadId} of ${ref.key} (NoSuchUpload): it was completed, aborted or expired.`);
  }

  return {
    async create(body) {
      const request = parseCreate(body);
      if (request.size > maxSize) {
        throw new ApiError(
          413,
          `Refused to start a multipart upload of ${request.size} bytes: the demo accepts at most ${maxSize} bytes (DEMO_MULTIPART_MAX_SIZE).`,
        );
      }
      const key = objectKeyFor(request.filename);
      try {
        const created = await client.send(
          new CreateMultipartUploadCommand({
            Bucket,
            Key: key,
            ...(request.contentType !== '' ? { ContentType: request.contentType } : {}),
            ...(Object.keys(request.metadata).length > 0 ? { Metadata: { ...request.metadata } } : {}),
            ...(request.checksumAlgorithm !== undefined ? { ChecksumAlgorithm: request.checksumAlgorithm } : {}),
          }),
        );
        if (!created.UploadId) throw new Error('S3 answered CreateMultipartUpload without an UploadId.');
        return { uploadId: created.UploadId, key, bucket: Bucket };
      } catch (error) {
        throw fromS3Error('CreateMultipartUpload', error);
      }
    },

    async signParts(body) {
      const { ref, parts, checksumAlgorithm } = parseSignParts(body);
      const signed = await Promise.all(
        parts.map(async ({ partNumber, checksum }) => {
          // The part's checksum is signed as a header the browser sends: hoisted into the query, S3
          // would not check the bytes against it.
          const header = checksumAlgorithm !== undefined && checksum !== undefined ? `x-amz-checksum-${checksumAlgorithm.toLowerCase()}` : undefined;
          const command = new UploadPartCommand({
            Bucket,
            Key: ref.key,
            UploadId: ref.uploadId,
            PartNumber: partNumber,
            ...(header === undefined || checksum === undefined ? {} : checksumAlgorithm === 'CRC32' ? { ChecksumCRC32: checksum } : { ChecksumSHA256: checksum }),
          });
          const url = await getSignedUrl(client, command, {
            expiresIn: PART_URL_LIFETIME_SECONDS,
            ...(header === undefined ? {} : { unhoistableHeaders: new Set([header]) }),
          });
          return { partNumber, url, ...(header === undefined || checksum === undefined ? {} : { headers: { [header]: checksum } }) };
        }),
      );
      return { parts: signed };
    },

    async listParts(body) {
      const ref = parseRef(body, 'list the parts of');
      try {
        const parts = await listAllParts(ref);
        return {
          parts: parts.map((part) => {
            const checksum = part.ChecksumCRC32 ?? part.ChecksumSHA256;
            return { partNumber: part.PartNumber ?? 0, etag: part.ETag ?? '', size: part.Size ?? 0, ...(checksum ? { checksum } : {}) };
          }),
        };
      } catch (error) {
        throw unknownUpload('ListParts', ref, error);
      }
    },

    async complete(body) {
      const { ref, parts, checksumAlgorithm } = parseComplete(body);
      let size = 0;
      try {
        const held = new Map((await listAllParts(ref)).map((part) => [part.PartNumber, part.Size ?? 0]));
        for (const part of parts) size += held.get(part.partNumber) ?? 0;
      } catch (error) {
        throw unknownUpload('ListParts', ref, error);
      }
      if (size > maxSize) {
        // Nothing of it may stay in the bucket, nor be billed as parts.
        await client.send(new AbortMultipartUploadCommand({ Bucket, Key: ref.key, UploadId: ref.uploadId })).catch(() => undefined);
        throw new ApiError(
          413,
          `Refused to complete the upload of ${ref.key}: its parts hold ${size} bytes, more than the ${maxSize} bytes the demo accepts (DEMO_MULTIPART_MAX_SIZE); the upload was aborted.`,
        );
      }
      try {
        const completed = await client.send(
          new CompleteMultipartUploadCommand({
            Bucket,
            Key: ref.key,
            UploadId: ref.uploadId,
            MultipartUpload: {
              Parts: parts.map(({ partNumber, etag, checksum }) => ({
                PartNumber: partNumber,
                ETag: etag,
                ...(checksum === undefined || checksumAlgorithm === undefined ? {} : checksumAlgorithm === 'CRC32' ? { ChecksumCRC32: checksum } : { ChecksumSHA256: checksum }),
              })),
            },
          }),
        );
        // radosgw answers an empty ETag in CompleteMultipartUploadResult: the object's own is the one.
        const etag = completed.ETag || (await client.send(new HeadObjectCommand({ Bucket, Key: ref.key }))).ETag;
        return { location: completed.Location, bucket: completed.Bucket ?? Bucket, key: completed.Key ?? ref.key, etag };
      } catch (error) {
        throw unknownUpload('CompleteMultipartUpload', ref, error);
      }
    },

    async abort(body) {
      const ref = parseRef(body, 'abort');
      try {
        await client.send(new AbortMultipartUploadCommand({ Bucket, Key: ref.key, UploadId: ref.uploadId }));
        return { aborted: true };
      } catch (error) {
        throw unknownUpload('AbortMultipartUpload', ref, error);
      }
    },
  };
}

// The requests, parsed once at this edge (the kit's shapes, presigned-contract.ts).

function parseCreate(json: unknown): PolicyRequestBody & { readonly checksumAlgorithm: ChecksumAlgorithm | undefined } {
  // The same { filename, contentType, size, metadata? } as a policy request; a requested key is ignored.
  return { ...parsePolicyRequest(json), checksumAlgorithm: isRecord(json) ? parseAlgorithm(json['checksumAlgorithm'], 'create') : undefined };
}

function parseRef(json: unknown, action: string): MultipartRef {
  if (!isRecord(json)) throw invalid(action, 'the body must be a JSON object { uploadId, key }');
  const { uploadId, key } = json;
  if (typeof uploadId !== 'string' || uploadId === '') throw invalid(action, '"uploadId" must be the non-empty string create answered');
  if (typeof key !== 'string' || key === '') throw invalid(action, '"key" must be the non-empty string create answered');
  return { uploadId, key: allowedKey(key, `${action} a multipart upload`) };
}

function parseSignParts(json: unknown): { ref: MultipartRef; parts: PartToSign[]; checksumAlgorithm: ChecksumAlgorithm | undefined } {
  const action = 'sign parts of';
  const ref = parseRef(json, action);
  const body = isRecord(json) ? json : {};
  const parts = partList(body['parts'], action, MAX_PARTS_PER_SIGNING).map((item): PartToSign => {
    const partNumber = partNumberOf(item, action);
    const size = item['size'];
    if (typeof size !== 'number' || !Number.isSafeInteger(size) || size < 0 || size > MAX_PART_SIZE) {
      throw invalid(action, `the size of part ${partNumber} must be a whole number of bytes, at most ${MAX_PART_SIZE} (S3's largest part)`);
    }
    return { partNumber, size, checksum: optionalString(item['checksum'], `the checksum of part ${partNumber}`, action) };
  });
  return { ref, parts, checksumAlgorithm: parseAlgorithm(body['checksumAlgorithm'], action) };
}

function parseComplete(json: unknown): { ref: MultipartRef; parts: FinishedPart[]; checksumAlgorithm: ChecksumAlgorithm | undefined } {
  const action = 'complete';
  const ref = parseRef(json, action);
  const body = isRecord(json) ? json : {};
  const parts = partList(body['parts'], action, MAX_PART_NUMBER).map((item): FinishedPart => {
    const partNumber = partNumberOf(item, action);
    const etag = item['etag'];
    if (typeof etag !== 'string' || etag === '') throw invalid(action, `part ${partNumber} needs the "etag" S3 answered to its PUT`);
    return { partNumber, etag, checksum: optionalString(item['checksum'], `the checksum of part ${partNumber}`, action) };
  });
  if (parts.length === 0) throw invalid(action, '"parts" must list at least one part');
  return { ref, parts, checksumAlgorithm: parseAlgorithm(body['checksumAlgorithm'], action) };
}

function partList(value: unknown, action: string, max: number): Array<Record<string, unknown>> {
  if (!Array.isArray(value)) throw invalid(action, '"parts" must be an array');
  if (value.length > max) throw invalid(action, `"parts" may list at most ${max} parts`);
  return value.map((item) => {
    if (!isRecord(item)) throw invalid(action, 'each entry of "parts" must be an object');
    return item;
  });
}

function partNumberOf(item: Record<string, unknown>, action: string): number {
  const partNumber = item['partNumber'];
  if (typeof partNumber === 'number' && Number.isInteger(partNumber) && partNumber >= 1 && partNumber <= MAX_PART_NUMBER) return partNumber;
  throw invalid(action, `each part's "partNumber" must be a whole number from 1 to ${MAX_PART_NUMBER}`);
}

function parseAlgorithm(value: unknown, action: string): ChecksumAlgorithm | undefined {
  if (value === undefined || value === null) return undefined;
  if (value === 'CRC32' || value === 'SHA256') return value;
  throw invalid(action, '"checksumAlgorithm" must be "CRC32" or "SHA256" when present');
}

function optionalString(value: unknown, what: string, action: string): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'string' && value !== '') return value;
  throw invalid(action, `${what} must be a non-empty string when present`);
}

function invalid(action: string, what: string): ApiError {
  return new ApiError(400, `Cannot ${action} the multipart upload: ${what}.`);
}
