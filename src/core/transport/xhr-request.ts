// One XMLHttpRequest that sends a body to S3 and settles exactly once: on the answer, a network error,
// the caller's abort or the caller's timeout. Shared by the POST form upload and each multipart part.
// XMLHttpRequest rather than fetch because only XHR reports upload progress.

import { NetworkError } from '../errors/NetworkError';
import { UploadAbortedError } from '../errors/UploadAbortedError';

export interface UploadProgress {
  /** Bytes of the request body sent so far (for a POST the multipart body: fields and file). */
  readonly loaded: number;
  readonly total: number;
}

export interface XhrRequest {
  readonly method: string;
  readonly url: string;
  readonly headers?: ReadonlyArray<readonly [name: string, value: string]>;
  readonly body: Blob | FormData;
  /** The body's size in bytes, for the last progress event when the browser sends none. */
  readonly size: number;
  readonly signal?: AbortSignal | undefined;
  /** Called as the body goes out; on success the last call before the promise resolves has `loaded === total`. */
  readonly onProgress?: ((progress: UploadProgress) => void) | undefined;
  /** Whole-request timeout in milliseconds; 0 or undefined for none. */
  readonly timeoutMs?: number | undefined;
}

/**
 * Sends the request and resolves with what `read` makes of the finished XHR (any status: `read` decides
 * what is an error, and may throw it). Rejects with NetworkError (status 0, or the timeout) or
 * UploadAbortedError.
 */
export function sendXhr<T>(request: XhrRequest, read: (xhr: XMLHttpRequest) => T): Promise<T> {
  const { signal, url, method } = request;
  if (signal?.aborted) return Promise.reject(new UploadAbortedError('upload', { cause: signal.reason }));

  return new Promise<T>((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    let settled = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let lastProgress: UploadProgress | undefined;

    // Settle once. After that every event is stale: an aborted XHR can still deliver load or progress
    // (MSW in Node does), and the caller has already been told how the request ended.
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
      timer = setTimeout(() => stop(new NetworkError('timeout', { method, url, timeoutMs })), timeoutMs);
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

    const networkError = (): void => settle(() => reject(new NetworkError('network-or-cors', { method, url })));
    xhr.addEventListener('error', networkError);
    // An abort we did not start (the page unloading, say) still must end the promise.
    xhr.addEventListener('abort', networkError);
    xhr.addEventListener('load', () => {
      if (settled) return;
      let outcome: { value: T } | { error: Error };
      try {
        outcome = { value: read(xhr) };
      } catch (error) {
        outcome = { error: error instanceof Error ? error : new Error(String(error)) };
      }
      if ('error' in outcome) {
        const { error } = outcome;
        return settle(() => reject(error));
      }
      const { value } = outcome;
      settle(() => {
        // Browsers need not fire a last upload progress event (small bodies often get none), but a
        // progress bar should end full.
        const total = lastProgress?.total || lastProgress?.loaded || request.size;
        if (onProgress && (lastProgress?.loaded !== total || lastProgress.total !== total)) onProgress({ loaded: total, total });
        resolve(value);
      });
    });

    try {
      xhr.open(method, url);
      for (const [name, value] of request.headers ?? []) xhr.setRequestHeader(name, value);
      xhr.send(request.body);
    } catch (error) {
      // open() throws on a URL it cannot parse, setRequestHeader on a forbidden value; the listeners and
      // the timer must not outlive that.
      settle(() => reject(error));
    }
  });
}

/** The response text, or '' when there is none to read. */
export function responseText(xhr: XMLHttpRequest): string {
  try {
    return xhr.responseText;
  } catch {
    // responseText throws for a non-text responseType; this module never sets one, but be safe.
    return '';
  }
}
