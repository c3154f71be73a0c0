import { S3UploadError } from './S3UploadError';

export type MultipartErrorCode =
  /** The file is larger than one POST can carry (5 GiB) and no multipart backend is configured. Nothing was sent. */
  | 'multipart-required'
  /** S3 stored a part, but the bucket's CORS rule hid its ETag, without which the upload cannot complete. */
  | 'etag-not-exposed'
  /** `partSize` is outside what S3 allows for a part (5 MiB to 5 GiB). Nothing was sent. */
  | 'bad-part-size'
  /** The file needs more than 10,000 parts of 5 GiB, the most one multipart upload can hold. Nothing was sent. */
  | 'file-too-large'
  /** An object key that cannot travel in a URL unchanged (a "." or ".." path segment). Nothing was sent. */
  | 'bad-key'
  /** Metadata that cannot travel in an x-amz-meta-* header (a non-ASCII or control character, a name that is not a token). Nothing was sent. */
  | 'bad-metadata';

/**
 * A multipart upload that cannot go on, for a reason the kit found itself (S3's own refusals are
 * S3ResponseError). `partNumber` names the part concerned, `corsRule` the rule to apply when the fix is
 * the bucket's CORS configuration.
 */
export class MultipartError extends S3UploadError {
  override readonly name = 'MultipartError';
  declare readonly code: MultipartErrorCode;
  readonly partNumber: number | undefined;
  /** For etag-not-exposed: the bucket CORS configuration to apply, as JSON. */
  readonly corsRule: string | undefined;

  constructor(
    code: MultipartErrorCode,
    message: string,
    hint: string,
    details: { partNumber?: number; corsRule?: string; cause?: unknown } = {},
  ) {
    super(code, message, hint, { cause: details.cause });
    this.partNumber = details.partNumber;
    this.corsRule = details.corsRule;
  }
}
