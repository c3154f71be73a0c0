// The integrity checks S3 makes on a body: Content-MD5, and the additional checksums
// (x-amz-checksum-crc32, -crc32c, -sha1, -sha256) a part may carry.
// https://docs.aws.amazon.com/AmazonS3/latest/userguide/checking-object-integrity.html
// https://docs.aws.amazon.com/AmazonS3/latest/API/API_UploadPart.html (Request headers)
// Messages as S3 words them (captured in aws/aws-sdk-ruby#3322, versity/versitygw#1188 and #1598,
// apache/arrow-rs#6793). CRC64NVME is not emulated.

import { md5, sha1 } from '@noble/hashes/legacy.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { base64ToBytes, bytesToBase64, bytesToHex } from '../src/core/codec';
import { crc32, crc32c } from '../src/core/multipart/wire/crc32';
import { notImplemented, s3Failure, type S3Failure } from './s3-failure';

export type ChecksumAlgorithm = 'CRC32' | 'CRC32C' | 'SHA1' | 'SHA256';

export const CHECKSUM_ALGORITHMS: readonly ChecksumAlgorithm[] = ['CRC32', 'CRC32C', 'SHA1', 'SHA256'];

const DIGESTS: Readonly<Record<ChecksumAlgorithm, (bytes: Uint8Array) => Uint8Array>> = {
  CRC32: crc32,
  CRC32C: crc32c,
  SHA1: sha1,
  SHA256: sha256,
};

export interface Checksum {
  readonly algorithm: ChecksumAlgorithm;
  /** base64 of the digest, as in the header. */
  readonly value: string;
}

/** x-amz-checksum-crc32, ...: the header that carries an algorithm's value. */
export function checksumHeader(algorithm: ChecksumAlgorithm): string {
  return `x-amz-checksum-${algorithm.toLowerCase()}`;
}

/** ChecksumCRC32, ...: the element that carries it in S3's XML. */
export function checksumElement(algorithm: ChecksumAlgorithm): string {
  return `Checksum${algorithm}`;
}

export function checksumOf(algorithm: ChecksumAlgorithm, bytes: Uint8Array): string {
  return bytesToBase64(DIGESTS[algorithm](bytes));
}

/** Reads x-amz-checksum-crc32 (or c, sha1, sha256). Does not check the value against the body. */
export function readChecksumHeader(headers: Headers): Checksum | S3Failure | undefined {
  if (headers.has('x-amz-checksum-crc64nvme')) return notImplemented('the CRC64NVME checksum');
  const sent = CHECKSUM_ALGORITHMS.filter((algorithm) => headers.has(checksumHeader(algorithm)));
  if (sent.length > 1) {
    return s3Failure(400, 'InvalidRequest', 'Expecting a single x-amz-checksum- header. Multiple checksum Types are not allowed.');
  }
  const [algorithm] = sent;
  const declared = headers.get('x-amz-sdk-checksum-algorithm');
  if (declared !== null && algorithm !== undefined && declared.toUpperCase() !== algorithm) {
    return s3Failure(400, 'InvalidRequest', 'Value for x-amz-sdk-checksum-algorithm header is invalid.');
  }
  if (algorithm === undefined) return undefined;
  const value = headers.get(checksumHeader(algorithm)) ?? '';
  const length = DIGESTS[algorithm](new Uint8Array()).length;
  if (base64ToBytes(value)?.length !== length) {
    return s3Failure(400, 'InvalidRequest', `Value for ${checksumHeader(algorithm)} header is invalid.`);
  }
  return { algorithm, value };
}

/** BadDigest when the body's checksum is not the one sent. */
export function verifyChecksum(checksum: Checksum, bytes: Uint8Array): S3Failure | undefined {
  if (checksumOf(checksum.algorithm, bytes) === checksum.value) return undefined;
  return s3Failure(400, 'BadDigest', `The ${checksum.algorithm} you specified did not match the calculated checksum.`);
}

/**
 * A multipart object's checksum of type COMPOSITE: the checksum of the parts' binary checksums
 * concatenated, then "-<number of parts>", as the multipart ETag is built from MD5s.
 * https://docs.aws.amazon.com/AmazonS3/latest/userguide/checking-object-integrity.html#large-object-checksums
 */
export function compositeChecksum(algorithm: ChecksumAlgorithm, partValues: readonly string[]): string {
  const digests = partValues.map((value) => base64ToBytes(value) ?? new Uint8Array());
  return `${checksumOf(algorithm, concatBytes(digests))}-${partValues.length}`;
}

// "When you use this header, Amazon S3 checks the object against the provided MD5 value."
export function checkContentMd5(contentMd5: string | undefined, bytes: Uint8Array): S3Failure | undefined {
  if (contentMd5 === undefined) return undefined;
  const claimed = base64ToBytes(contentMd5.trim());
  if (!claimed || claimed.length !== 16) {
    return s3Failure(400, 'InvalidDigest', 'The Content-MD5 you specified was invalid.', [['Content-MD5', contentMd5]]);
  }
  if (bytesToHex(claimed) !== bytesToHex(md5(bytes))) {
    return s3Failure(400, 'BadDigest', 'The Content-MD5 you specified did not match what we received.', [
      ['ExpectedDigest', contentMd5],
    ]);
  }
  return undefined;
}

export function concatBytes(chunks: readonly Uint8Array[]): Uint8Array {
  const joined = new Uint8Array(chunks.reduce((total, chunk) => total + chunk.length, 0));
  let offset = 0;
  for (const chunk of chunks) {
    joined.set(chunk, offset);
    offset += chunk.length;
  }
  return joined;
}
