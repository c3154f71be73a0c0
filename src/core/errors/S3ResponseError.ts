import type { S3ErrorDetails } from '../transport/s3-refusal';
import { S3UploadError } from './S3UploadError';

/**
 * S3 answered the upload with an error status. `s3` carries S3's own evidence (Code, Message,
 * StringToSign, CanonicalRequest, ...) as it sent it; `hint` reads that evidence against the form fields
 * that were sent. https://docs.aws.amazon.com/AmazonS3/latest/API/ErrorResponses.html
 */
export class S3ResponseError extends S3UploadError {
  override readonly name = 'S3ResponseError';
  /**
   * S3's `Code` (`SignatureDoesNotMatch`, `AccessDenied`, ...), or `http-<status>` when the answer is not
   * S3's XML (a proxy's HTML page, say; `s3.message` then holds an excerpt of it).
   */
  declare readonly code: string;
  /** The HTTP status of S3's answer. */
  readonly status: number;
  readonly method: string;
  readonly url: string;
  readonly s3: S3ErrorDetails;

  constructor(details: {
    status: number;
    method: string;
    url: string;
    s3: S3ErrorDetails;
    hint: string;
    cause?: unknown;
  }) {
    const { status, method, url, s3, hint } = details;
    const said = s3.message === '' ? '' : `: ${s3.message}`;
    super(s3.code, `S3 refused the upload: ${s3.code} (${status}) on ${method} ${url}${said}`, hint, {
      cause: details.cause,
    });
    this.status = status;
    this.method = method;
    this.url = url;
    this.s3 = s3;
  }
}
