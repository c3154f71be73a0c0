// S3's limits on uploads, in one place, from the S3 quotas page:
// https://docs.aws.amazon.com/AmazonS3/latest/userguide/qfacts.html
//   one PUT or POST carries at most 5 GiB; a multipart upload has part numbers 1 to 10,000, each part
//   5 MiB to 5 GiB except the last, which may be smaller.

export const MIB = 1024 * 1024;
/** The most one PUT or POST can carry (also the largest part): a larger file can only go by multipart upload. */
export const MAX_SINGLE_UPLOAD_BYTES = 5 * 1024 * MIB;
export const MIN_PART_SIZE = 5 * MIB;
export const MAX_PART_SIZE = MAX_SINGLE_UPLOAD_BYTES;
export const MAX_PARTS = 10_000;
