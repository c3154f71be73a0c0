// One file to S3: the spine of the kit. The file's way through the folders:
//   policy/     the backend's signed policy for it (requestSignedPost)
//   form/       the exact form S3 expects, checked against the policy as S3 would (checkPost)
//   retry/      sent, and sent again or signed again when that helps (sendWithRetries)
//   transport/  the XHR POST with progress, and S3's answer read (trySendPost)
//   multipart/  instead, for a large file, in parts (loaded on first use)
// prepareUpload is the "signing" phase and sendUpload the "uploading" phase, so a UI can show both.

import { explain } from './diagnostics/explain';
import { checkPost, type CheckOptions, type PreparedUpload } from './form/check-post';
import type { MultipartOptions } from './multipart/multipart-options';
import { wantsMultipart } from './multipart/wants-multipart';
import { requestSignedPost, type PrepareOptions } from './policy/request-signed-post';
import type { SignedPost } from './policy/policy-answer-reader';
import { sendWithRetries, type ResignRequest, type UploadWait } from './retry/post-retry';
import { DEFAULT_RETRY, retryPolicy, type RetryOptions } from './retry/retry';
import type { UploadProgress, UploadResult } from './transport/xhr-transport';

export type { PolicySource, PrepareOptions } from './policy/request-signed-post';
export type { PreparedUpload } from './form/check-post';
export type { RetryOptions } from './retry/retry';

export interface SendOptions {
  readonly signal?: AbortSignal;
  /** Never goes back, across retries too: a try that starts over shows as continuing. */
  readonly onProgress?: (progress: UploadProgress) => void;
  /** Stop a try and fail with a timeout error after this many milliseconds (not retried). Default: no timeout. */
  readonly timeoutMs?: number;
  /**
   * Retries of a POST that failed in passing (network error, 500, 503 SlowDown, RequestTimeout), with
   * exponential backoff and jitter. Default `{ attempts: 3 }`. `false`: one try, and no waiting for
   * the network when offline.
   */
  readonly retry?: RetryOptions | false;
  /** Called when the upload waits: offline, before a retry, or while the backend signs again. */
  readonly onWaiting?: (wait: UploadWait) => void;
  /**
   * Signs the upload again when S3 says the policy expired, or the clocks disagree
   * (RequestTimeTooSkewed); each at most once. uploadFile asks the backend again by itself; with
   * sendUpload, pass `({ serverTime, signal }) => prepareUpload(file, { ...options, signal, serverTime })`.
   */
  readonly resign?: (request: ResignRequest) => Promise<PreparedUpload>;
}

export type UploadOptions = PrepareOptions &
  SendOptions & {
    /**
     * Send large files by S3 multipart upload: those of at least `multipart.threshold` bytes (default
     * 100 MiB), and always those over 5 GiB, which one POST cannot carry.
     */
    readonly multipart?: MultipartOptions;
  };

/** The form for `file` under `post`, or PolicyViolationError (its words loaded then) when S3 would refuse it. */
export async function formFor(post: SignedPost, file: File, options: CheckOptions = {}): Promise<PreparedUpload> {
  const checked = checkPost(post, file, options);
  if (checked.ok) return checked.prepared;
  throw await explain({ kind: 'violation', failures: checked.failures, policy: post.document.text });
}

/** The "signing" phase: a policy from the backend, turned into a checked form for `file`. */
export async function prepareUpload(file: File, options: PrepareOptions): Promise<PreparedUpload> {
  return formFor(await requestSignedPost(file, options), file, options);
}

/**
 * The "uploading" phase: sends the form, retrying what fails in passing (see SendOptions.retry), and
 * signing again through `options.resign` when S3 says the policy expired or the clocks disagree.
 */
export async function sendUpload(prepared: PreparedUpload, options: SendOptions = {}): Promise<UploadResult> {
  const { retry } = options;
  const { form, ...result } = await sendWithRetries(prepared, {
    policy: retry === false ? { ...DEFAULT_RETRY, attempts: 1 } : retryPolicy(retry),
    waitForOnline: retry !== false,
    signal: options.signal ?? new AbortController().signal,
    onProgress: options.onProgress,
    onWaiting: options.onWaiting,
    timeoutMs: options.timeoutMs,
    resign: options.resign,
  });
  return form.warnings.length === 0 ? result : { ...result, warnings: [...form.warnings, ...result.warnings] };
}

/**
 * Uploads one file: prepareUpload then sendUpload (which asks the backend again when S3 says the
 * policy expired or the clocks disagree), or by multipart upload when `options.multipart` is
 * set and the file is large (startMultipartUpload, without pause; the signal cancels it).
 */
export async function uploadFile(file: File, options: UploadOptions): Promise<UploadResult> {
  const { multipart } = options;
  if (multipart && wantsMultipart(file, multipart)) {
    // Loaded on first use, so that apps whose files all go by POST do not ship the multipart engine.
    const { startMultipartUpload } = await import('./multipart/multipart-upload');
    return startMultipartUpload(file, { ...options, multipart }).promise;
  }
  const resign = ({ serverTime, signal }: ResignRequest): Promise<PreparedUpload> =>
    prepareUpload(file, { ...options, signal, ...(serverTime !== undefined ? { serverTime } : {}) });
  return sendUpload(await prepareUpload(file, options), { ...options, resign: options.resign ?? resign });
}
