// A part's additional checksum, computed in the browser and sent as x-amz-checksum-crc32 or
// x-amz-checksum-sha256 (base64 of the digest), so that S3 refuses a part damaged on the way (BadDigest).
// https://docs.aws.amazon.com/AmazonS3/latest/userguide/checking-object-integrity.html
// Only one part is read at a time: the upload never holds the whole file.

import { bytesToBase64 } from '../../codec';
import { crc32 } from './crc32';
import { UploadAbortedError } from '../../errors/UploadAbortedError';
import type { ChecksumAlgorithm } from '../backends/backend';

/** base64 of the part's checksum. */
export async function partChecksum(algorithm: ChecksumAlgorithm, part: Blob, { signal }: { readonly signal: AbortSignal }): Promise<string> {
  const bytes = new Uint8Array(await part.arrayBuffer());
  if (signal.aborted) throw new UploadAbortedError('upload', { cause: signal.reason });
  if (algorithm === 'CRC32') return bytesToBase64(crc32(bytes));
  return bytesToBase64(new Uint8Array(await crypto.subtle.digest('SHA-256', bytes)));
}

/** x-amz-checksum-crc32 or x-amz-checksum-sha256. */
export function checksumHeader(algorithm: ChecksumAlgorithm): string {
  return `x-amz-checksum-${algorithm.toLowerCase()}`;
}

/** ChecksumCRC32 or ChecksumSHA256: the element that carries it in S3's XML. */
export function checksumElement(algorithm: ChecksumAlgorithm): string {
  return `Checksum${algorithm}`;
}
