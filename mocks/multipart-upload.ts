// Starting, filling, listing and abandoning a multipart upload: CreateMultipartUpload, UploadPart,
// ListParts and AbortMultipartUpload. (CompleteMultipartUpload has its own file.)
// https://docs.aws.amazon.com/AmazonS3/latest/API/API_CreateMultipartUpload.html
// https://docs.aws.amazon.com/AmazonS3/latest/API/API_UploadPart.html
// https://docs.aws.amazon.com/AmazonS3/latest/API/API_ListParts.html
// https://docs.aws.amazon.com/AmazonS3/latest/API/API_AbortMultipartUpload.html
// The caller has already checked the bucket and the signature.

import { md5 } from '@noble/hashes/legacy.js';
import { bytesToHex } from '../src/core/codec';
import {
  CHECKSUM_ALGORITHMS,
  checkContentMd5,
  checksumHeader,
  readChecksumHeader,
  verifyChecksum,
  type ChecksumAlgorithm,
} from './checksums';
import type { MultipartUpload, MultipartUploads } from './multipart-store';
import { initiateResultDocument, listPartsDocument } from './multipart-xml';
import type { S3Address } from './s3-address';
import { isS3Failure, keyTooLong, noSuchUpload, notImplemented, s3Failure, type S3Failure } from './s3-failure';

export interface MultipartContext {
  readonly bucket: string;
  readonly address: S3Address;
  readonly params: URLSearchParams;
  readonly uploads: MultipartUploads;
  readonly now: Date;
}

const XML = { 'Content-Type': 'application/xml' };
const META_PREFIX = 'x-amz-meta-';

/** Keeps what the object will be stored with: Content-Type, x-amz-meta-*, x-amz-acl, x-amz-checksum-algorithm. */
export function createMultipartUpload(request: Request, context: MultipartContext): Response | S3Failure {
  const key = context.address.key;
  const tooLong = keyTooLong(key);
  if (tooLong) return tooLong;
  const checksumAlgorithm = declaredChecksum(request.headers);
  if (isS3Failure(checksumAlgorithm)) return checksumAlgorithm;

  const metadata: Record<string, string> = {};
  for (const [name, value] of request.headers) {
    if (name.startsWith(META_PREFIX)) metadata[name.slice(META_PREFIX.length)] = value;
  }
  const acl = request.headers.get('x-amz-acl');
  const upload = context.uploads.start({
    bucket: context.bucket,
    key,
    // An empty Content-Type counts as none, as for POST: S3 then stores binary/octet-stream.
    contentType: request.headers.get('content-type') || 'binary/octet-stream',
    metadata,
    ...(acl === null ? {} : { acl }),
    ...(checksumAlgorithm === undefined ? {} : { checksumAlgorithm }),
  });
  const headers: Record<string, string> = { ...XML };
  if (checksumAlgorithm) {
    headers['x-amz-checksum-algorithm'] = checksumAlgorithm;
    headers['x-amz-checksum-type'] = 'COMPOSITE';
  }
  return new Response(initiateResultDocument(upload), { status: 200, headers });
}

// "Part numbers can be any number from 1 to 10,000, inclusive."
const MAX_PART_NUMBER = 10000;

/** Stores (or replaces) one part; answers its ETag, the quoted MD5 of the part. */
export function uploadPart(request: Request, body: Uint8Array, context: MultipartContext): Response | S3Failure {
  const partNumber = context.params.get('partNumber') ?? '';
  if (!/^\d+$/.test(partNumber) || Number(partNumber) < 1 || Number(partNumber) > MAX_PART_NUMBER) {
    return s3Failure(400, 'InvalidArgument', `Part number must be an integer between 1 and ${MAX_PART_NUMBER}, inclusive`, [
      ['ArgumentName', 'partNumber'],
      ['ArgumentValue', partNumber],
    ]);
  }
  if (request.headers.has('x-amz-copy-source')) return notImplemented('UploadPartCopy (x-amz-copy-source)');
  const upload = findUpload(context);
  if (isS3Failure(upload)) return upload;

  const checksum = readChecksumHeader(request.headers);
  if (isS3Failure(checksum)) return checksum;
  // A part must carry the checksum the upload was created with, and no other: captured answers in
  // apache/arrow-rs#6793 ("expected checksum Type: null, actual checksum Type: sha256") and
  // versity/versitygw#1342 ("expected checksum Type: CRC32, actual checksum Type: null").
  if (checksum?.algorithm !== upload.checksumAlgorithm) {
    const expected = upload.checksumAlgorithm ?? 'null';
    const actual = checksum?.algorithm.toLowerCase() ?? 'null';
    return s3Failure(
      400,
      'InvalidRequest',
      `Checksum Type mismatch occurred, expected checksum Type: ${expected}, actual checksum Type: ${actual}`,
    );
  }
  const digestProblem = checkContentMd5(request.headers.get('content-md5') ?? undefined, body);
  if (digestProblem) return digestProblem;
  const badDigest = checksum && verifyChecksum(checksum, body);
  if (badDigest) return badDigest;

  const etag = `"${bytesToHex(md5(body))}"`;
  context.uploads.putPart(upload.uploadId, {
    partNumber: Number(partNumber),
    body,
    size: body.length,
    etag,
    lastModified: context.now,
    ...(checksum ? { checksum: checksum.value } : {}),
  });
  const headers: Record<string, string> = { ETag: etag };
  if (checksum) headers[checksumHeader(checksum.algorithm)] = checksum.value;
  return new Response(null, { status: 200, headers });
}

// "By default, Amazon S3 returns up to 1,000 parts"; a larger max-parts still gets 1,000.
const MAX_PARTS = 1000;

export function listParts(context: MultipartContext): Response | S3Failure {
  const maxParts = integerParameter(context.params, 'max-parts', MAX_PARTS);
  if (isS3Failure(maxParts)) return maxParts;
  const partNumberMarker = integerParameter(context.params, 'part-number-marker', 0);
  if (isS3Failure(partNumberMarker)) return partNumberMarker;
  const upload = findUpload(context);
  if (isS3Failure(upload)) return upload;
  const page = { upload, partNumberMarker, maxParts: Math.min(maxParts, MAX_PARTS) };
  return new Response(listPartsDocument(page), { status: 200, headers: XML });
}

/** 204, and the upload and its parts are gone. */
export function abortMultipartUpload(context: MultipartContext): Response | S3Failure {
  const upload = findUpload(context);
  if (isS3Failure(upload)) return upload;
  context.uploads.remove(upload.uploadId);
  return new Response(null, { status: 204 });
}

/** The upload the URL's uploadId names under its key, or NoSuchUpload. */
export function findUpload(context: MultipartContext): MultipartUpload | S3Failure {
  const uploadId = context.params.get('uploadId') ?? '';
  return context.uploads.find(context.bucket, context.address.key, uploadId) ?? noSuchUpload(uploadId);
}

// x-amz-checksum-algorithm on CreateMultipartUpload; x-amz-checksum-type FULL_OBJECT (a checksum of
// the whole object rather than of the parts' checksums) is not emulated.
function declaredChecksum(headers: Headers): ChecksumAlgorithm | S3Failure | undefined {
  const type = headers.get('x-amz-checksum-type');
  if (type !== null && type.toUpperCase() !== 'COMPOSITE') return notImplemented(`x-amz-checksum-type: ${type}`);
  const declared = headers.get('x-amz-checksum-algorithm');
  if (declared === null) return undefined;
  const algorithm = CHECKSUM_ALGORITHMS.find((candidate) => candidate === declared.toUpperCase());
  if (algorithm) return algorithm;
  if (declared.toUpperCase() === 'CRC64NVME') return notImplemented('the CRC64NVME checksum');
  return s3Failure(
    400,
    'InvalidRequest',
    'Checksum algorithm provided is unsupported. Please try again with any of the valid types: [CRC32, CRC32C, CRC64NVME, SHA1, SHA256]',
  );
}

// S3's words for max-parts and part-number-marker that are not non-negative integers.
function integerParameter(params: URLSearchParams, name: string, fallback: number): number | S3Failure {
  const value = params.get(name);
  if (value === null) return fallback;
  if (/^\d{1,9}$/.test(value)) return Number(value);
  return s3Failure(400, 'InvalidArgument', `Provided ${name} not an integer or within integer range`, [
    ['ArgumentName', name],
    ['ArgumentValue', value],
  ]);
}
