import { S3UploadError } from './S3UploadError';

export type AfterUploadErrorCode =
  /** S3 holds the file, but the app's upload-finished call failed. Retrying repeats only that call. */
  | 'upload-finished-failed'
  /** The app's delete call failed: the object is still in S3. */
  | 'delete-failed';

/**
 * A call to the app's backend about an object already in S3 failed: the upload-finished notice (Fine
 * Uploader's "upload success" endpoint) or a delete. The message says the object's state, so that nobody
 * uploads the file again to fix a backend problem; `status` is the endpoint's HTTP status when it
 * answered one, and `cause` the underlying error (with the endpoint's body in its message).
 */
export class AfterUploadError extends S3UploadError {
  override readonly name = 'AfterUploadError';
  declare readonly code: AfterUploadErrorCode;
  readonly bucket: string | undefined;
  readonly key: string;
  /** The endpoint's HTTP status; undefined when it could not be reached or the app's function failed. */
  readonly status: number | undefined;

  constructor(
    code: AfterUploadErrorCode,
    message: string,
    hint: string,
    details: { bucket: string | undefined; key: string; status?: number | undefined; cause?: unknown },
  ) {
    super(code, message, hint, { cause: details.cause });
    this.bucket = details.bucket;
    this.key = details.key;
    this.status = details.status;
  }
}
