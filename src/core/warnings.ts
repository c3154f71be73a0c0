// Things the kit fixed or noticed without failing the upload. Each is lossless or harmless,
// but worth telling the developer so the backend gets fixed.

export type UploadWarningCode =
  /** The backend sent the signature in uppercase hex; S3 wants lowercase, so the kit lowered it. */
  | 'signature-uppercase-hex'
  /** The backend sent base64 of the HMAC-SHA256 digest; the kit converted it to the hex S3 wants. */
  | 'signature-base64'
  /** S3 answered 204 but the ETag header was hidden by the bucket's CORS rule (ExposeHeaders). */
  | 'etag-not-exposed'
  /** S3 answered 204 but the Location header was hidden by CORS; the location was computed. */
  | 'location-not-exposed'
  /** The same field came twice in different case with the same value; it is sent once. */
  | 'duplicate-field';

export interface UploadWarning {
  readonly code: UploadWarningCode;
  readonly message: string;
}
