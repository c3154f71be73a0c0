// A file no POST can carry while no multipart upload is configured, in words.

import { MultipartError } from '../errors/MultipartError';
import { MAX_SINGLE_UPLOAD_BYTES } from '../multipart/s3-limits';
import type { ProblemOf } from './problem';

// S3 takes at most 5 GiB in one POST or PUT (https://docs.aws.amazon.com/AmazonS3/latest/userguide/upload-objects.html).
export function tooLargeForPost({ name, size }: ProblemOf<'too-large-for-post'>): MultipartError {
  return new MultipartError(
    'multipart-required',
    `${name} is ${size} bytes, more than the ${MAX_SINGLE_UPLOAD_BYTES} bytes (5 GiB) one POST can carry, and no multipart upload is configured; nothing was sent.`,
    "Configure multipart upload: uploadFile(file, { ...options, multipart: { backend: { presigned: { url: '/api/multipart' } } } }) (or { signHeaders: {...} }), and the kit sends files above 5 GiB in parts.",
  );
}
