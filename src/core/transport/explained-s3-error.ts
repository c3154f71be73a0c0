// S3's refusal of an upload, as the error the caller sees. Reading S3's XML and explaining it
// (s3-error.ts) is loaded on the first refusal, so an upload that succeeds ships none of it; the error
// is whole (evidence and hint) by the time the promise settles.

import type { S3ErrorContext } from '../diagnostics/s3-error';
import { S3ResponseError } from '../errors/S3ResponseError';

export interface S3Refusal {
  readonly status: number;
  readonly method: string;
  /** The response body, as S3 (or whatever answered) sent it. */
  readonly body: string;
  /** The x-amz-bucket-region header, when the bucket's CORS rule lets the page read it. */
  readonly region: string | null;
  readonly context: S3ErrorContext;
}

export async function explainedS3Error(refusal: S3Refusal): Promise<S3ResponseError> {
  const { status, method, body, context } = refusal;
  let explainer: typeof import('../diagnostics/s3-error');
  try {
    explainer = await import('../diagnostics/s3-error');
  } catch (error) {
    // Offline, or a new deploy removed the chunk: the refusal still reaches the caller, S3's body (its
    // first 1000 characters) as the message.
    const text = body.trim();
    const s3 = { code: `http-${status}`, message: text.length > 1000 ? `${text.slice(0, 1000)}…` : text, elements: {} };
    const hint = `The kit could not load its explanation of S3's answer (${String(error)}): look S3's Code up in https://docs.aws.amazon.com/AmazonS3/latest/API/ErrorResponses.html#ErrorCodeList.`;
    return new S3ResponseError({ status, method, url: context.url, s3, hint, cause: error });
  }
  let s3 = explainer.describeS3ErrorBody(body, status);
  if (s3.region === undefined && refusal.region) s3 = { ...s3, region: refusal.region };
  return new S3ResponseError({ status, method, url: context.url, s3, hint: explainer.explainS3Error(s3, status, context) });
}
