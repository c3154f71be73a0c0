// The error for a file no POST can carry while no multipart upload is configured. Loaded only for such
// a file (over 5 GiB), by requestSignedPost.

import { MultipartError } from '../errors/MultipartError';
import { MAX_SINGLE_UPLOAD_BYTES } from '../multipart/wants-multipart';

// S3 takes at most 5 GiB in one POST or PUT (https://docs.aws.amazon.com/AmazonS3/latest/userguide/upload-objects.html).
export function tooLargeForPost(file: File): MultipartError {
  return new MultipartError(
    'multipart-required',
    `${file.name} is ${file.size} bytes, more than the ${MAX_SINGLE_UPLOAD_BYTES} bytes (5 GiB) one POST can carry, and no multipart upload is configured; nothing was sent.`,
    "Configure multipart upload: uploadFile(file, { ...options, multipart: { backend: { presigned: { url: '/api/multipart' } } } }) (or { signHeaders: {...} }), and the kit sends files above 5 GiB in parts.",
  );
}
