// One part's PUT to S3 (UploadPart), by XHR for its upload progress, with the body a slice of the file
// so that no more than a part is ever read: https://docs.aws.amazon.com/AmazonS3/latest/API/API_UploadPart.html
// S3 answers the part's ETag in a header only, and the upload cannot complete without it.

import { bucketCorsRule } from '../../transport/cors-rule';
import { MultipartError } from '../../errors/MultipartError';
import { NetworkError } from '../../errors/NetworkError';
import { responseText, sendXhr, type UploadProgress } from '../../transport/xhr-request';
import type { Attempt } from '../../retry/retry';
import { refusedAttempt, type S3Exchange } from './refused-attempt';

export interface PartRequest {
  readonly partNumber: number;
  readonly url: string;
  readonly headers: ReadonlyArray<readonly [name: string, value: string]>;
  readonly body: Blob;
  readonly bucket: string | undefined;
  readonly key: string;
  /** The methods the bucket's CORS rule must allow, for the rule an error suggests. */
  readonly corsMethods: readonly string[];
  readonly signal: AbortSignal;
  readonly timeoutMs?: number | undefined;
  readonly onProgress?: ((progress: UploadProgress) => void) | undefined;
}

/** The part's ETag as S3 sent it (quoted), or S3's refusal; rejects with NetworkError or UploadAbortedError. */
export async function sendPart(request: PartRequest): Promise<Attempt<string>> {
  const { url, partNumber } = request;
  // S3's refusal is read inside sendXhr (no "100%" progress for it) and explained once the XHR settled.
  type Answer = Attempt<string> | { readonly refused: { status: number; body: string; header: (name: string) => string | null } };
  const answer = await sendXhr(
    {
      method: 'PUT',
      url,
      headers: request.headers,
      body: request.body,
      size: request.body.size,
      signal: request.signal,
      timeoutMs: request.timeoutMs,
      onProgress: request.onProgress,
    },
    (xhr): Answer => {
      if (xhr.status === 0) throw new NetworkError('network-or-cors', { method: 'PUT', url });
      // Asking for a header CORS does not expose makes browsers log "Refused to get unsafe header";
      // getAllResponseHeaders lists only the readable ones.
      const readable = xhr.getAllResponseHeaders();
      const header = (name: string): string | null =>
        new RegExp(`^${name}:`, 'im').test(readable) ? xhr.getResponseHeader(name) : null;
      if (xhr.status < 200 || xhr.status >= 300) {
        return { refused: { status: xhr.status, body: responseText(xhr), header } };
      }
      const etag = header('etag');
      if (etag === null || etag.trim() === '') {
        const corsRule = bucketCorsRule(request.corsMethods);
        return {
          ok: false,
          error: new MultipartError(
            'etag-not-exposed',
            `S3 stored part ${partNumber} (PUT answered ${xhr.status}) but the browser hid its ETag: add ETag to ExposeHeaders in the bucket's CORS rule. Without each part's ETag the upload cannot be completed.`,
            `Apply this CORS rule to the bucket (S3 console, Permissions, Cross-origin resource sharing (CORS); for aws s3api put-bucket-cors wrap it as {"CORSRules": ...}): ${corsRule}. Then start the upload again: with resume on (the default) the parts S3 already stored are not sent again.`,
            { partNumber, corsRule },
          ),
        };
      }
      return { ok: true, value: etag.trim() };
    },
  );
  if (!('refused' in answer)) return answer;
  const exchange: S3Exchange = { method: 'PUT', url, headers: request.headers, bucket: request.bucket, key: request.key };
  const { status, body, header } = answer.refused;
  return refusedAttempt(exchange, status, body, header);
}
