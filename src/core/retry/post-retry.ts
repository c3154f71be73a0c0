// The POST upload's tries: what fails in passing is sent again, what a fresh signature fixes is signed
// again, and what neither fixes ends the upload with an error that says why.
//
// - A network error (status 0) and S3's passing trouble (500, 503 SlowDown, RequestTimeout) are retried
//   with exponential backoff and full jitter, or after S3's Retry-After (retry.ts). Status 0 is also how
//   a CORS refusal looks, so a few tries, then the NetworkError with the CORS rule to apply.
// - "Invalid according to Policy: Policy expired." (the policy expired between signing and sending: a
//   slow queue, a laptop asleep): signed again once through the backend.
// - RequestTimeTooSkewed: S3's ServerTime gives the clocks' difference; signed again once with S3's time
//   in the policy request, and a second one is a ClockSkewError naming the clock to fix.
// - Offline (navigator.onLine === false): no try is sent or spent until the `online` event.
// Progress never goes back: a try that starts over is shown as continuing from the furthest point seen.

import { UploadAbortedError } from '../errors/UploadAbortedError';
import { loadOnFailure } from '../diagnostics/load-on-failure';
import { browserOffline, onlineWatch } from '../transport/online';
import type { Attempt, RetryPolicy } from './retry';
import { trySendPost, type PostAttempt, type UploadProgress, type UploadResult } from '../transport/xhr-transport';
import type { PostForm } from '../form/post-form';
import type { PolicyAnswerShape } from '../policy/policy-answer';
import type { UploadWarning } from '../warnings';

/** Why an upload is signed again. */
export type ResignReason = 'policy-expired' | 'clock-skew';

export interface ResignRequest {
  readonly reason: ResignReason;
  /** S3's time now, as learned from its answer: for clock-skew, to send to the backend as `serverTime`. */
  readonly serverTime: Date | undefined;
  readonly signal: AbortSignal;
}

/** What the caller is waiting for, while no byte moves. The wait is over at the next onProgress call. */
export type UploadWait =
  /** The browser is offline; the upload goes on by itself on the `online` event. */
  | { readonly reason: 'offline' }
  /** A try failed in passing (`error`); the next one starts after `delayMs` (at `until`, epoch ms). */
  | { readonly reason: 'retry'; readonly attempt: number; readonly delayMs: number; readonly until: number; readonly error: Error }
  /** S3 refused a signature that is no longer good; the backend is asked to sign again. */
  | { readonly reason: 'resign'; readonly cause: ResignReason };

/** A form to send, as sendUpload has it (PreparedUpload). */
export interface RetriedForm extends PostForm {
  readonly file: File;
  readonly shape: PolicyAnswerShape;
  readonly warnings: readonly UploadWarning[];
}

export interface PostRetryOptions<F extends RetriedForm> {
  readonly policy: RetryPolicy;
  /** false: an upload sent while offline fails at once instead of waiting for the network. */
  readonly waitForOnline: boolean;
  readonly signal: AbortSignal;
  readonly onProgress?: ((progress: UploadProgress) => void) | undefined;
  readonly onWaiting?: ((wait: UploadWait) => void) | undefined;
  readonly timeoutMs?: number | undefined;
  /** A fresh form for the same file, signed again; without it, an expired policy is the end. */
  readonly resign?: ((request: ResignRequest) => Promise<F>) | undefined;
}

/** How a try ended: a thrown error, or S3's answer (with its Date header, for the clock). */
export type FirstTry = Attempt<UploadResult> & { readonly date?: string | undefined };

/**
 * Sends the form, and on a failure hands over to the retry loop (post-retry-loop.ts), which is loaded
 * then: an upload whose first try succeeds never loads backoff, signing again or the clock's correction.
 */
export async function sendWithRetries<F extends RetriedForm>(first: F, options: PostRetryOptions<F>): Promise<UploadResult & { form: F }> {
  const { signal } = options;
  const progress = steadyProgress(options.onProgress);
  const send = (form: F): Promise<PostAttempt> => {
    progress.startTry();
    return trySendPost({
      url: form.url,
      fields: form.fields,
      file: form.file,
      filename: form.filename,
      bucket: form.bucket,
      key: form.key,
      signal,
      ...(progress.report ? { onProgress: progress.report } : {}),
      ...(options.timeoutMs !== undefined ? { timeoutMs: options.timeoutMs } : {}),
    });
  };
  // Offline, no try is sent or spent until the `online` event. Waited for here rather than in the loop,
  // so that the loop is loaded (on a failure) with the network back.
  if (options.waitForOnline && browserOffline()) await onlineWatch(() => options.onWaiting?.({ reason: 'offline' })).waitUntilOnline(signal);
  let made: FirstTry;
  try {
    const answer = await send(first);
    if (answer.ok) return { ...answer.value, form: first };
    made = answer;
  } catch (error) {
    if (signal.aborted || error instanceof UploadAbortedError) throw error;
    made = { ok: false, error: error instanceof Error ? error : new Error(String(error)) };
  }
  // Without the loop, the try's own error is the answer.
  const { retryPost } = await loadOnFailure(() => import('./post-retry-loop'), () => made.error);
  return retryPost(first, options, send, made);
}

/**
 * onProgress that never goes back: a new try starts from 0, but the caller keeps seeing the furthest
 * point any try reached until the new one passes it. A body signed again (or with another multipart
 * boundary) may differ by a few bytes in size, so progress is shown against the first try's total,
 * each try's bytes scaled to it.
 */
function steadyProgress(onProgress: ((progress: UploadProgress) => void) | undefined) {
  let shown = 0;
  let shownTotal = 0;
  const report = onProgress
    ? (progress: UploadProgress): void => {
        if (shownTotal === 0) shownTotal = progress.total;
        const scaled = progress.total > 0 && shownTotal > 0 ? Math.round((progress.loaded / progress.total) * shownTotal) : progress.loaded;
        shown = Math.max(shown, shownTotal > 0 ? Math.min(scaled, shownTotal) : scaled);
        onProgress({ loaded: shown, total: shownTotal });
      }
    : undefined;
  return {
    report,
    /** Tells the caller a try begins (after a wait, say), at the point already reached. */
    startTry(): void {
      if (onProgress && shown > 0) onProgress({ loaded: shown, total: shownTotal });
    },
  };
}
