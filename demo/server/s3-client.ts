// The demo backend's AWS SDK v3 client for its S3 target: path-style under a custom endpoint (the
// embedded S3, MinIO, radosgw), AWS's own addressing otherwise.

import { S3Client } from '@aws-sdk/client-s3';
import type { S3Target } from './config';
import { ApiError } from './json-api';

export function createS3Client(target: S3Target): S3Client {
  return new S3Client({
    region: target.region,
    credentials: target.credentials,
    ...(target.endpoint !== undefined ? { endpoint: target.endpoint, forcePathStyle: true } : {}),
    // Both default to WHEN_SUPPORTED. The presigner would then sign a checksum of an empty body into
    // every UploadPart URL (S3 refuses the part's bytes against it) and checksum headers into GET URLs
    // that an <img> cannot send; and radosgw answers some operations without the checksums the SDK
    // would insist on validating.
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });
}

/** S3's error code (NoSuchUpload, NotFound for a HEAD, ...) when `error` is an answer from S3. */
export function s3ErrorCode(error: unknown): string | undefined {
  return s3Status(error) === undefined || !(error instanceof Error) ? undefined : error.name;
}

function s3Status(error: unknown): number | undefined {
  if (typeof error !== 'object' || error === null || !('$metadata' in error)) return undefined;
  const metadata = error.$metadata;
  if (typeof metadata !== 'object' || metadata === null || !('httpStatusCode' in metadata)) return undefined;
  return typeof metadata.httpStatusCode === 'number' ? metadata.httpStatusCode : undefined;
}

/**
 * S3's refusal of what the page asked for, as the demo backend answers it: S3's 4xx status passed on
 * (the request was wrong), 502 for S3's own failures; `error` itself for anything that is not S3's answer.
 */
export function fromS3Error(operation: string, error: unknown): unknown {
  const status = s3Status(error);
  if (status === undefined || !(error instanceof Error)) return error;
  const detail = error.message && error.message !== error.name && error.message !== 'UnknownError' ? `: ${error.message}` : '';
  return new ApiError(status >= 400 && status < 500 ? status : 502, `S3 refused ${operation} with ${status} ${error.name}${detail}`.replace(/\.?$/, '.'));
}
