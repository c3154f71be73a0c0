// The browser POST to S3 (POST Object with a SigV4 policy) and the reading of its answer:
// https://docs.aws.amazon.com/AmazonS3/latest/API/RESTObjectPOST.html
// XMLHttpRequest rather than fetch because only XHR reports upload progress.

import { objectUrl } from './bucket-url';
import { NetworkError } from './errors/NetworkError';
import { S3ResponseError } from './errors/S3ResponseError';
import { UploadAbortedError } from './errors/UploadAbortedError';
import { describeS3ErrorBody, explainS3Error } from './s3-error';
import { parseFlatXml } from './s3-xml';
import type { UploadWarning } from './warnings';

export interface UploadProgress {
  /** Bytes of the request body sent so far (the multipart body: fields and file). */
  readonly loaded: number;
  readonly total: number;
}

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
export function sendPost(request: SendPostRequest): Promise<UploadResult> {
  const { signal, url } = request;
  if (signal?.aborted) return Promise.reject(new UploadAbortedError('upload', { cause: signal.reason }));

  return new Promise<UploadResult>((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    let settled = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let lastProgress: UploadProgress | undefined;

    // Settle once. After that every event is stale: an aborted XHR can still deliver load or progress
    // (MSW in Node does), and the caller has already been told how the upload ended.
    const settle = (outcome: () => void): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      outcome();
    };
    const stop = (error: Error): void => {
      settle(() => reject(error));
      xhr.abort();
    };
    const onAbort = (): void => stop(new UploadAbortedError('upload', { cause: signal?.reason }));
    signal?.addEventListener('abort', onAbort, { once: true });

    if (request.timeoutMs) {
      const timeoutMs = request.timeoutMs;
      // A timer of our own rather than xhr.timeout, so that the limit holds whatever the XHR does.
      timer = setTimeout(() => stop(new NetworkError('timeout', { method: 'POST', url, timeoutMs })), timeoutMs);
    }

    const { onProgress } = request;
    // Only with a listener: upload listeners make the browser send a CORS preflight
    // (https://xhr.spec.whatwg.org/#the-send()-method, "upload listener flag").
    if (onProgress) {
      xhr.upload.addEventListener('progress', (event) => {
        if (settled) return;
        lastProgress = { loaded: event.loaded, total: event.lengthComputable ? event.total : 0 };
        onProgress(lastProgress);
      });
    }

    const networkError = (): void => settle(() => reject(new NetworkError('network-or-cors', { method: 'POST', url })));
    xhr.addEventListener('error', networkError);
    // An abort we did not start (the page unloading, say) still must end the promise.
    xhr.addEventListener('abort', networkError);
    xhr.addEventListener('load', () => {
      if (settled) return;
      let outcome: UploadResult | Error;
      try {
        outcome = readAnswer(xhr, request);
      } catch (error) {
        outcome = error instanceof Error ? error : new Error(String(error));
      }
      const result = outcome;
      if (result instanceof Error) return settle(() => reject(result));
      settle(() => {
        // Browsers need not fire a last upload progress event (small bodies often get none), but a
        // progress bar should end full.
        const total = lastProgress?.total || lastProgress?.loaded || request.file.size;
        if (onProgress && (lastProgress?.loaded !== total || lastProgress.total !== total)) onProgress({ loaded: total, total });
        resolve(result);
      });
    });

    const form = new FormData();
    for (const [name, value] of request.fields) form.append(name, value);
    // S3 ignores every field after the file, so the file goes last. A Blob becomes a File here, as the
    // FormData spec would do with a filename (https://xhr.spec.whatwg.org/#create-an-entry); some DOM
    // implementations (happy-dom) otherwise send "blob" as the filename.
    const part = request.file instanceof File && request.file.name === request.filename
      ? request.file
      : new File([request.file], request.filename, { type: request.file.type });
    form.append('file', part, request.filename);
    try {
      xhr.open('POST', url);
      xhr.send(form);
    } catch (error) {
      // open() throws on a URL it cannot parse; the listeners and the timer must not outlive that.
      settle(() => reject(error));
    }
  });
}

function readAnswer(xhr: XMLHttpRequest, request: SendPostRequest): UploadResult | Error {
  const { status } = xhr;
  if (status === 0) return new NetworkError('network-or-cors', { method: 'POST', url: request.url });

  // success_action_redirect: S3 answers 303 to the app's page with bucket, key and etag in the query.
  // XHR follows it, so the answer read here is the page's, whatever its status; responseURL tells where
  // it ended. Where the redirect was not followed (emulators), the Location header tells the same.
  const redirected = redirectResult(xhr.responseURL, request.url) ??
    (status >= 300 && status < 400 ? redirectResult(xhr.getResponseHeader('Location'), request.url) : undefined);
  if (redirected) return { ...redirected, bucket: redirected.bucket ?? request.bucket, status };

  if (status < 200 || status >= 300) {
    const text = responseText(xhr);
    let s3 = describeS3ErrorBody(text, status);
    // Asking for a header that CORS does not expose makes browsers log "Refused to get unsafe header";
    // getAllResponseHeaders lists only the readable ones.
    const region = /^x-amz-bucket-region:/im.test(xhr.getAllResponseHeaders()) ? xhr.getResponseHeader('x-amz-bucket-region') : null;
    if (s3.region === undefined && region) s3 = { ...s3, region };
    const hint = explainS3Error(s3, status, { fields: request.fields, url: request.url, bucket: request.bucket, key: request.key });
    return new S3ResponseError({ status, method: 'POST', url: request.url, s3, hint });
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
        etag: unquote(ETag ?? xhr.getResponseHeader('ETag') ?? undefined),
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
    etag: unquote(etag ?? undefined),
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
  return { bucket, key, location: objectUrl(requestUrl, key), etag: unquote(etag), warnings: [] };
}

function unquote(etag: string | undefined): string | undefined {
  if (etag === undefined) return undefined;
  const trimmed = etag.trim();
  return trimmed.length >= 2 && trimmed.startsWith('"') && trimmed.endsWith('"') ? trimmed.slice(1, -1) : trimmed;
}

function responseText(xhr: XMLHttpRequest): string {
  try {
    return xhr.responseText;
  } catch {
    // responseText throws for a non-text responseType; this module never sets one, but be safe.
    return '';
  }
}
