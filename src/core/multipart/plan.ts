// How a file is cut into parts, within S3's multipart limits (s3-limits.ts). The part size grows with
// the file so that no file needs more than 10,000 parts.

import { MultipartError } from '../errors/MultipartError';
import { MAX_PARTS, MAX_PART_SIZE, MIB, MIN_PART_SIZE } from './s3-limits';

/** The AWS CLI's default multipart_chunksize: few requests for a 100 MiB file, small retries. */
export const DEFAULT_PART_SIZE = 8 * MIB;

export interface MultipartPlan {
  /** The file's size in bytes. */
  readonly size: number;
  /** Every part's size but the last one's. */
  readonly partSize: number;
  readonly partCount: number;
  /** 1 to partSize bytes (0 for an empty file, which is one empty part). */
  readonly lastPartSize: number;
}

export interface PartRange {
  readonly partNumber: number;
  readonly start: number;
  readonly end: number;
  readonly size: number;
}

/**
 * The parts for a file of `size` bytes: `partSize` (default 8 MiB) unless the file would then need more
 * than 10,000 parts, in which case the smallest whole number of MiB that fits it in 10,000.
 * Throws MultipartError for a partSize S3 would refuse, or a file no multipart upload can hold.
 */
export function planParts(size: number, options: { readonly partSize?: number | undefined } = {}): MultipartPlan {
  const requested = options.partSize ?? DEFAULT_PART_SIZE;
  if (!Number.isSafeInteger(requested) || requested < MIN_PART_SIZE || requested > MAX_PART_SIZE) {
    throw new MultipartError(
      'bad-part-size',
      `partSize is ${requested}, but S3 takes parts of ${MIN_PART_SIZE} bytes (5 MiB) to ${MAX_PART_SIZE} bytes (5 GiB), except the last; a smaller part fails the whole upload at CompleteMultipartUpload (EntityTooSmall).`,
      'Set multipart.partSize to a whole number of bytes between 5 MiB and 5 GiB, or leave it out for 8 MiB.',
    );
  }
  if (!Number.isSafeInteger(size) || size < 0) throw new RangeError(`A file size must be a whole number of bytes; got ${size}.`);
  // Whole MiB keeps parts aligned and their sizes readable in ListParts.
  const needed = Math.ceil(size / MAX_PARTS / MIB) * MIB;
  const partSize = Math.max(requested, needed);
  if (partSize > MAX_PART_SIZE) {
    throw new MultipartError(
      'file-too-large',
      `The file is ${size} bytes; one multipart upload holds at most ${MAX_PARTS} parts of ${MAX_PART_SIZE} bytes (5 GiB) each.`,
      'S3 cannot store this file as one object: split it before uploading.',
    );
  }
  const partCount = Math.max(1, Math.ceil(size / partSize));
  return { size, partSize, partCount, lastPartSize: size - (partCount - 1) * partSize };
}

/** Where part `partNumber` (1-based) lies in the file. */
export function partRange(plan: MultipartPlan, partNumber: number): PartRange {
  const start = (partNumber - 1) * plan.partSize;
  const end = partNumber === plan.partCount ? plan.size : start + plan.partSize;
  return { partNumber, start, end, size: end - start };
}
