// Which files go by multipart upload rather than by one POST: decided before the multipart engine (with
// the rest of its options' defaults, multipart-options.ts) is loaded, so in a module of its own.

import type { MultipartOptions } from './multipart-options';
import { MAX_SINGLE_UPLOAD_BYTES, MIB } from './s3-limits';

export const DEFAULT_THRESHOLD = 100 * MIB;

/** Whether uploadFile sends `file` by multipart upload rather than by POST. */
export function wantsMultipart(file: Blob, options: MultipartOptions | undefined): boolean {
  if (!options) return false;
  return file.size >= (options.threshold ?? DEFAULT_THRESHOLD) || file.size > MAX_SINGLE_UPLOAD_BYTES;
}
