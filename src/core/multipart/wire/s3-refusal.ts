// S3's refusal of a multipart request, read once into an S3ResponseError with a hint, plus the wait S3
// asked for. Shared by the part PUTs (XHR) and the requests the kit signs itself (fetch).
// https://docs.aws.amazon.com/AmazonS3/latest/API/ErrorResponses.html

import { S3ResponseError } from '../../errors/S3ResponseError';
import { describeS3ErrorBody, explainS3Error } from '../../diagnostics/s3-error';
import { retryAfterMs } from '../retry';

export interface S3Exchange {
  readonly method: string;
  readonly url: string;
  /** The headers sent (Authorization, x-amz-*): with the URL's query, the evidence the hint reads. */
  readonly headers: ReadonlyArray<readonly [name: string, value: string]>;
  readonly bucket?: string | undefined;
  readonly key?: string | undefined;
}

export interface S3Refusal {
  readonly ok: false;
  readonly error: S3ResponseError;
  readonly retryAfterMs: number | undefined;
}

/** `header` answers null for a header the page may not read. */
export function s3Refusal(exchange: S3Exchange, status: number, body: string, header: (name: string) => string | null): S3Refusal {
  let s3 = describeS3ErrorBody(body, status);
  const region = header('x-amz-bucket-region');
  if (s3.region === undefined && region) s3 = { ...s3, region };
  const hint = explainS3Error(s3, status, { fields: evidence(exchange), url: exchange.url, bucket: exchange.bucket, key: exchange.key });
  return {
    ok: false,
    error: new S3ResponseError({ status, method: exchange.method, url: exchange.url, s3, hint }),
    retryAfterMs: retryAfterMs(header('retry-after')),
  };
}

/**
 * The signing values as the hints look them up by name: a presigned URL carries them in its query,
 * a header-signed request in x-amz-* headers and in Authorization's Credential=.
 */
function evidence(exchange: S3Exchange): Array<readonly [string, string]> {
  const fields: Array<readonly [string, string]> = URL.canParse(exchange.url) ? [...new URL(exchange.url).searchParams] : [];
  for (const [name, value] of exchange.headers) {
    fields.push([name, value]);
    const credential = name.toLowerCase() === 'authorization' ? /Credential=([^,\s]+)/.exec(value)?.[1] : undefined;
    if (credential !== undefined) fields.push(['x-amz-credential', credential]);
  }
  return fields;
}
