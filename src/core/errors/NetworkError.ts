import { bucketCorsRule, pageOrigin } from '../transport/cors-rule';
import { S3UploadError } from './S3UploadError';

export type NetworkErrorCode =
  /** No answer the browser would show: the network failed, or CORS withheld S3's answer. */
  | 'network-or-cors'
  /** No complete answer within the caller's `timeoutMs`. */
  | 'timeout';

/**
 * The request to S3 ended without an answer this page may read (status 0). A browser deliberately does
 * not say why (https://fetch.spec.whatwg.org/#concept-network-error): a dropped connection and a CORS
 * refusal look the same to the page, so the message names both and `corsRule` is the rule to apply.
 */
export class NetworkError extends S3UploadError {
  override readonly name = 'NetworkError';
  declare readonly code: NetworkErrorCode;
  readonly method: string;
  readonly url: string;
  /**
   * The bucket CORS configuration for this page's origin, as JSON the S3 console takes
   * (`aws s3api put-bucket-cors` wants it wrapped: `{"CORSRules": [...]}`).
   */
  readonly corsRule: string;
  /** How many times the request was sent before the kit gave up (1 when it was not retried). */
  readonly attempts: number;

  constructor(
    code: NetworkErrorCode,
    details: {
      method: string;
      url: string;
      timeoutMs?: number;
      attempts?: number;
      cause?: unknown;
      /** What the caller knows better than "network or CORS" (the multipart engine, when parts got through). */
      explained?: { message: string; hint: string };
    },
  ) {
    const { method, url } = details;
    const origin = pageOrigin();
    const corsRule = bucketCorsRule();
    const from = origin ?? 'this page';
    const attempts = details.attempts ?? 1;
    const tried = attempts > 1 ? ` It was sent ${attempts} times, with waits between; a network that fails every time is rare, so CORS is the likelier cause.` : '';
    const message = details.explained?.message ??
      (code === 'timeout'
        ? `${method} ${url} got no complete answer within ${details.timeoutMs ?? 0} ms (status 0), so the upload was stopped.`
        : `${method} ${url} failed with status 0, and the browser hides the reason from the page: either the network failed, or the bucket's CORS rule does not allow ${from} (S3 then answered, but the browser withheld the answer).${tried}`);
    const hint = details.explained?.hint ??
      (code === 'timeout'
        ? `Retry on a faster connection or raise timeoutMs for large files; if no upload ever gets through, apply this CORS rule to the bucket: ${corsRule}`
        : `If the network is fine, apply this CORS rule to the bucket (S3 console, Permissions, Cross-origin resource sharing (CORS); for aws s3api put-bucket-cors wrap it as {"CORSRules": ...}): ${corsRule}`);
    super(code, message, hint, { cause: details.cause });
    this.method = method;
    this.url = url;
    this.corsRule = corsRule;
    this.attempts = attempts;
  }
}
