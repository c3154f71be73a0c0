// The backend adapter for the contract the app chose in multipart.backend.

import type { UploadWarning } from '../../warnings';
import type { ChecksumAlgorithm, MultipartBackend } from './backend';
import { headerSigningBackend } from './header-signing';
import type { MultipartOptions } from '../multipart-options';
import { presignedBackend } from './presigned-backend';
import type { RetryPolicy } from '../../retry/retry';

export function createBackend(
  multipart: MultipartOptions,
  context: {
    readonly checksumAlgorithm: ChecksumAlgorithm | undefined;
    readonly allowedHosts: readonly string[] | undefined;
    readonly retry: RetryPolicy;
    readonly warn: (warning: UploadWarning) => void;
  },
): MultipartBackend {
  const { backend } = multipart;
  if ('presigned' in backend && typeof backend.presigned === 'object') return presignedBackend(backend.presigned, context);
  if ('signHeaders' in backend && typeof backend.signHeaders === 'object') return headerSigningBackend(backend.signHeaders, context);
  // Only JavaScript callers get here; TypeScript refuses such options.
  throw new TypeError('multipart.backend must be { presigned: { url } | { createMultipartUpload, signParts, listParts, completeMultipartUpload, abortMultipartUpload } } or { signHeaders: { signatureEndpoint, bucket, region, accessKeyId } }.');
}
