// S3's refusal of an upload, as the error the caller sees. Reading S3's XML and explaining it
// (s3-error.ts) is loaded on the first refusal, so an upload that succeeds ships none of it; the error
// is whole (evidence and hint) by the time the promise settles.

import type { S3ErrorContext } from './s3-error';
import type { S3ResponseError } from './errors/S3ResponseError';

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
  const [{ describeS3ErrorBody, explainS3Error }, { S3ResponseError }] = await Promise.all([
    import('./s3-error'),
    import('./errors/S3ResponseError'),
  ]);
  const { status, method, context } = refusal;
  let s3 = describeS3ErrorBody(refusal.body, status);
  if (s3.region === undefined && refusal.region) s3 = { ...s3, region: refusal.region };
  return new S3ResponseError({ status, method, url: context.url, s3, hint: explainS3Error(s3, status, context) });
}
