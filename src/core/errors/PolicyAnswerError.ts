import { S3UploadError } from './S3UploadError';

export type PolicyAnswerErrorCode =
  /** The policy endpoint answered with an HTTP error status. */
  | 'backend-http-error'
  /** The policy endpoint answered with something that is not JSON (often an HTML error or login page). */
  | 'backend-not-json'
  /** The policy endpoint could not be reached at all. */
  | 'backend-unreachable'
  /** The app's own policy function threw or rejected. */
  | 'policy-function-failed'
  /** A piece S3 needs (url, key, policy, signature, credential, date) is not in the answer. */
  | 'missing-field'
  /** A piece is there but of the wrong type (a number where text is needed, ...). */
  | 'wrong-type'
  /** Signature Version 2 names (AWSAccessKeyId, Signature) in a form that must be Signature Version 4. */
  | 'v2-field-names'
  /** A Signature Version 2 HMAC-SHA1 signature (40 hex digits or 28 base64 characters). */
  | 'v2-signature'
  /** The signature is neither 64 hex digits nor base64 of a 32-byte HMAC-SHA256. */
  | 'bad-signature'
  | 'bad-algorithm'
  | 'bad-credential'
  | 'bad-date'
  /** X-Amz-Date is not on the day of the credential scope. */
  | 'date-mismatch'
  /** The credential scope names another region than the URL's endpoint. */
  | 'region-mismatch'
  /** The policy is not base64 of a JSON document with expiration and conditions. */
  | 'bad-policy'
  /** The upload URL is not an http(s) URL, or its host is not one the app allowed. */
  | 'bad-url'
  /** The same field twice, in different case, with different values. */
  | 'conflicting-fields';

/** The backend's policy answer cannot produce a POST that S3 would accept. Nothing was sent to S3. */
export class PolicyAnswerError extends S3UploadError {
  override readonly name = 'PolicyAnswerError';
  declare readonly code: PolicyAnswerErrorCode;
  /** The shape of what the backend returned (names and types, never secret values). */
  readonly received: string | undefined;
  /** HTTP status of the policy endpoint, for backend-http-error. */
  readonly status: number | undefined;

  constructor(
    code: PolicyAnswerErrorCode,
    message: string,
    hint: string,
    details: { received?: string; status?: number; cause?: unknown } = {},
  ) {
    super(code, message, hint, { cause: details.cause });
    this.received = details.received;
    this.status = details.status;
  }
}
