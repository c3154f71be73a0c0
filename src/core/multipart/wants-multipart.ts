// Which files go by multipart upload rather than by one POST: decided before the multipart engine (with
// the rest of its options' defaults, multipart-options.ts) is loaded, so in a module of its own.

import type { MultipartOptions } from './multipart-options';

const MIB = 1024 * 1024;
export const DEFAULT_THRESHOLD = 100 * MIB;
/** The most one PUT or POST can carry (5 GiB, also the largest part): a larger file can only go by multipart upload. */
export const MAX_SINGLE_UPLOAD_BYTES = 5 * 1024 * MIB;

/** Whether uploadFile sends `file` by multipart upload rather than by POST. */
export function wantsMultipart(file: Blob, options: MultipartOptions | undefined): boolean {
  if (!options) return false;
  return file.size >= (options.threshold ?? DEFAULT_THRESHOLD) || file.size > MAX_SINGLE_UPLOAD_BYTES;
}
