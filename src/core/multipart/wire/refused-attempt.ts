// S3's refusal of a multipart request as the try's outcome: explained (its words loaded then), with the
// wait S3 asked for. Shared by the part PUTs (XHR) and the requests the kit signs itself (fetch).

import { explain } from '../../diagnostics/explain';
import type { S3ResponseError } from '../../errors/S3ResponseError';
import { retryAfterMs } from '../../retry/retry';
import { signedRequestEvidence } from '../../transport/s3-refusal';

export interface S3Exchange {
  readonly method: string;
  readonly url: string;
  /** The headers sent (Authorization, x-amz-*): with the URL's query, the evidence the hint reads. */
  readonly headers: ReadonlyArray<readonly [name: string, value: string]>;
  readonly bucket?: string | undefined;
  readonly key?: string | undefined;
}

export interface RefusedAttempt {
  readonly ok: false;
  readonly error: S3ResponseError;
  readonly retryAfterMs: number | undefined;
}

/** `header` answers null for a header the page may not read. */
export async function refusedAttempt(exchange: S3Exchange, status: number, body: string, header: (name: string) => string | null): Promise<RefusedAttempt> {
  const { method, url, bucket, key } = exchange;
  const refusal = { status, method, url, body, region: header('x-amz-bucket-region'), sent: signedRequestEvidence(url, exchange.headers), bucket, key };
  return { ok: false, error: await explain({ kind: 's3', refusal }), retryAfterMs: retryAfterMs(header('retry-after')) };
}
