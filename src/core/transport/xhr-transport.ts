// The browser POST to S3 (POST Object with a SigV4 policy) and the reading of its answer:
// https://docs.aws.amazon.com/AmazonS3/latest/API/RESTObjectPOST.html
// The XHR itself (progress, abort, timeout) is xhr-request.ts, shared with the multipart parts.

import { objectUrl } from '../policy/upload-url';
import { unquoteEtag } from './etag';
import { NetworkError } from '../errors/NetworkError';
import type { S3ResponseError } from '../errors/S3ResponseError';
import { explain } from '../diagnostics/explain';
import { retryAfterMs } from '../retry/retry';
import type { S3Refusal } from './s3-refusal';
import { parseFlatXml } from './s3-xml';
import type { UploadWarning } from '../warnings';
import { responseText, sendXhr, type UploadProgress } from './xhr-request';

export type { UploadProgress } from './xhr-request';

export interface SendPostRequest {
  readonly url: string;
  /** In the order to send; the file excluded. */
  readonly fields: ReadonlyArray<readonly [name: string, value: string]>;
  readonly file: Blob;
  /** Sent as the file part's filename (S3 substitutes it for `${filename}` in the key). */
  readonly filename: string;
  /** What the kit expects, used when S3's answer does not say. */
  readonly bucket: string | undefined;
  /** The key after `${filename}` expansion, likewise. */
  readonly key: string;
  readonly signal?: AbortSignal;
  /** Called as the body goes out; the last call before the promise resolves has `loaded === total`. */
  readonly onProgress?: (progress: UploadProgress) => void;
  /** Whole-request timeout in milliseconds; 0 or undefined for none. */
  readonly timeoutMs?: number;
}

export interface UploadResult {
  readonly bucket: string | undefined;
  readonly key: string;
  /** The object's URL, as S3 gave it or, when CORS hides it, computed from the upload URL and key. */
  readonly location: string;
  /**
   * S3's ETag without its surrounding double quotes (for a POST upload without SSE-KMS, the hex MD5 of
   * the bytes); undefined when the bucket's CORS rule does not expose the ETag header.
   */
  readonly etag: string | undefined;
  readonly status: number;
  readonly warnings: readonly UploadWarning[];
}

/** POSTs the form to S3 and resolves with what S3 stored; rejects with S3ResponseError, NetworkError or UploadAbortedError. */
export async function sendPost(request: SendPostRequest): Promise<UploadResult> {
  const attempt = await trySendPost(request);
  if (attempt.ok) return attempt.value;
  throw attempt.error;
}

/** One try of the POST: what S3 stored, or S3's refusal with what its headers say about trying again. */
export type PostAttempt =
  | { readonly ok: true; readonly value: UploadResult }
  | {
      readonly ok: false;
      readonly error: S3ResponseError;
      /** Retry-After, in milliseconds, when S3 sent one and the bucket's CORS rule exposes it. */
      readonly retryAfterMs: number | undefined;
      /** S3's Date header, when the bucket's CORS rule exposes it. */
      readonly date: string | undefined;
    };

/**
 * Like sendPost, but S3's refusal resolves (with Retry-After and Date) for a caller that retries;
 * rejects with NetworkError or UploadAbortedError.
 */
export async function trySendPost(request: SendPostRequest): Promise<PostAttempt> {
  const form = new FormData();
  for (const [name, value] of request.fields) form.append(name, value);
  // S3 ignores every field after the file, so the file goes last. A Blob becomes a File here, as the
  // FormData spec would do with a filename (https://xhr.spec.whatwg.org/#create-an-entry); some DOM
  // implementations (happy-dom) otherwise send "blob" as the filename.
  const part = request.file instanceof File && request.file.name === request.filename
    ? request.file
    : new File([request.file], request.filename, { type: request.file.type });
  form.append('file', part, request.filename);
  // S3's refusal is thrown inside sendXhr, so that no "100%" progress is reported for it, and explained
  // once the XHR has settled (explain() loads the words then).
  let refused: { refusal: S3Refusal; retryAfterMs: number | undefined; date: string | undefined } | undefined;
  try {
    const value = await sendXhr(
      {
        method: 'POST',
        url: request.url,
        body: form,
        size: request.file.size,
        signal: request.signal,
        onProgress: request.onProgress,
        timeoutMs: request.timeoutMs,
      },
      (xhr) => {
        const answer = readAnswer(xhr, request);
        if ('body' in answer) {
          refused = { refusal: answer, retryAfterMs: retryAfterMs(readableHeader(xhr, 'retry-after')), date: readableHeader(xhr, 'date') ?? undefined };
          throw new Error('S3 refused the upload');
        }
        if (answer instanceof Error) throw answer;
        return answer;
      },
    );
    return { ok: true, value };
  } catch (error) {
    if (!refused) throw error;
    const { refusal, ...headers } = refused;
    return { ok: false, error: await explain({ kind: 's3', refusal }), ...headers };
  }
}

/**
 * A response header, or null when the page may not read it: asking for a header that CORS does not
 * expose makes browsers log "Refused to get unsafe header"; getAllResponseHeaders lists only the readable ones.
 */
function readableHeader(xhr: XMLHttpRequest, name: string): string | null {
  return new RegExp(`^${name}:`, 'im').test(xhr.getAllResponseHeaders()) ? xhr.getResponseHeader(name) : null;
}

function readAnswer(xhr: XMLHttpRequest, request: SendPostRequest): UploadResult | S3Refusal | Error {
  const { status } = xhr;
  if (status === 0) return new NetworkError('network-or-cors', { method: 'POST', url: request.url });

  // success_action_redirect: S3 answers 303 to the app's page with bucket, key and etag in the query.
  // XHR follows it, so the answer read here is the page's, whatever its status; responseURL tells where
  // it ended. Where the redirect was not followed (emulators), the Location header tells the same.
  const redirected = redirectResult(xhr.responseURL, request.url) ??
    (status >= 300 && status < 400 ? redirectResult(xhr.getResponseHeader('Location'), request.url) : undefined);
  if (redirected) return { ...redirected, bucket: redirected.bucket ?? request.bucket, status };

  if (status < 200 || status >= 300) {
    const { url, fields, bucket, key } = request;
    return { status, method: 'POST', url, body: responseText(xhr), region: readableHeader(xhr, 'x-amz-bucket-region'), sent: fields, bucket, key };
  }

  // success_action_status=201: the result is in a <PostResponse> body, which CORS never hides.
  if (status === 201) {
    const xml = parseFlatXml(responseText(xhr));
    if (xml?.root === 'PostResponse') {
      const { Location, Bucket, Key, ETag } = xml.elements;
      const key = Key ?? request.key;
      return {
        bucket: Bucket ?? request.bucket,
        key,
        location: Location ?? objectUrl(request.url, key),
        etag: unquoteEtag(ETag ?? xhr.getResponseHeader('ETag') ?? undefined),
        status,
        warnings: [],
      };
    }
  }

  // 204 (the default) and 200 carry the result in headers only, which the page can read only when the
  // bucket's CORS rule lists them in ExposeHeaders.
  const warnings: UploadWarning[] = [];
  const etag = xhr.getResponseHeader('ETag');
  const location = xhr.getResponseHeader('Location');
  if (etag === null) {
    warnings.push({
      code: 'etag-not-exposed',
      message: `S3 answered ${status} but the ETag header was not readable: add "ETag" to ExposeHeaders in the bucket's CORS rule.`,
    });
  }
  if (location === null) {
    warnings.push({
      code: 'location-not-exposed',
      message: `S3 answered ${status} but the Location header was not readable, so the location was computed from the upload URL and key: add "Location" to ExposeHeaders in the bucket's CORS rule.`,
    });
  }
  return {
    bucket: request.bucket,
    key: request.key,
    location: location ?? objectUrl(request.url, request.key),
    etag: unquoteEtag(etag ?? undefined),
    status,
    warnings,
  };
}

interface RedirectResult {
  readonly bucket: string | undefined;
  readonly key: string;
  readonly location: string;
  readonly etag: string | undefined;
  readonly warnings: readonly UploadWarning[];
}

/** The result S3 appends to the success_action_redirect URL, or undefined when `target` is not one. */
function redirectResult(target: string | null, requestUrl: string): RedirectResult | undefined {
  if (!target || !URL.canParse(target, requestUrl)) return undefined;
  const url = new URL(target, requestUrl);
  if (url.href === new URL(requestUrl).href) return undefined;
  const { searchParams } = url;
  const key = searchParams.get('key');
  const etag = searchParams.get('etag');
  if (key === null || etag === null) return undefined;
  const bucket = searchParams.get('bucket') ?? undefined;
  return { bucket, key, location: objectUrl(requestUrl, key), etag: unquoteEtag(etag), warnings: [] };
}
