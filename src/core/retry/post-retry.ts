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

import { explain } from '../diagnostics/explain';
import { NetworkError } from '../errors/NetworkError';
import { S3ResponseError } from '../errors/S3ResponseError';
import type { PostForm } from '../form/post-form';
import type { PolicyAnswerShape } from '../policy/policy-answer-reader';
import { onlineWatch } from '../transport/online';
import { trySendPost, type PostAttempt, type UploadProgress, type UploadResult } from '../transport/xhr-transport';
import type { UploadWarning } from '../warnings';
import { parseAmzTime, serverTimeOf } from './clock-evidence';
import { learnClockOffset, learnedClockOffsetMs, s3Now } from './clock-offset';
import { isPassingS3Trouble, withRetries, type RetryPolicy } from './retry';

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

/** Sends the form until S3 stores it, or a failure no further try would fix. */
export async function sendWithRetries<F extends RetriedForm>(first: F, options: PostRetryOptions<F>): Promise<UploadResult & { form: F }> {
  const { signal, onWaiting, resign } = options;
  const progress = steadyProgress(options.onProgress);
  let form = first;
  let tries = 0;
  let lastDate: string | undefined;
  const resigned = new Set<ResignReason>();

  const attempt = async (): Promise<PostAttempt> => {
    tries += 1;
    progress.startTry();
    const answer = await trySendPost({
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
    if (!answer.ok) {
      lastDate = answer.date;
      // A refusal about time carries S3's clock (ServerTime, or the Date header when CORS exposes it):
      // from now on the kit's own use of the clock is corrected by it (clock-offset.ts).
      const serverTime = resignReason(answer.error) === undefined ? undefined : serverTimeOf(answer.error, answer.date);
      if (serverTime !== undefined) learnClockOffset(serverTime);
    }
    return answer;
  };

  try {
    const result = await withRetries(attempt, {
      policy: options.policy,
      signal,
      // Offline, no try is sent or spent until the `online` event.
      online: options.waitForOnline ? onlineWatch(() => onWaiting?.({ reason: 'offline' })) : undefined,
      isRetryable: isPostRetryable,
      // Each reason once: a second expiry, or a second skew, is not fixed by signing a third time.
      isExpired: (error) => {
        const reason = resignReason(error);
        return resign !== undefined && reason !== undefined && !resigned.has(reason);
      },
      onExpired: async (error) => {
        const reason = resignReason(error);
        if (reason === undefined || resign === undefined) throw error;
        resigned.add(reason);
        onWaiting?.({ reason: 'resign', cause: reason });
        // S3's time now, by the offset just learned from its answer.
        const serverTime = reason === 'clock-skew' && learnedClockOffsetMs() !== undefined ? s3Now() : undefined;
        form = await resign({ reason, serverTime, signal });
      },
      onRetry: (error, attempt, delayMs) => onWaiting?.({ reason: 'retry', attempt, delayMs, until: Date.now() + delayMs, error }),
    });
    return { ...result, form };
  } catch (error) {
    throw await finalError(error, { tries, form, lastDate });
  }
}

/** Which refusals a fresh signature can fix. https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-HTTPPOSTConstructPolicy.html */
function resignReason(error: S3ResponseError): ResignReason | undefined {
  if (error.code === 'RequestTimeTooSkewed') return 'clock-skew';
  if (error.status === 403 && error.code === 'AccessDenied' && /policy expired/i.test(error.s3.message)) return 'policy-expired';
  return undefined;
}

/**
 * A network error and S3's passing trouble. Not a timeout: `timeoutMs` is the caller's limit on a
 * try, and a try that was too slow would be as slow again.
 */
function isPostRetryable(error: Error): boolean {
  if (error instanceof NetworkError) return error.code === 'network-or-cors';
  return error instanceof S3ResponseError && isPassingS3Trouble(error);
}

/** The error as the caller should see it: with the number of tries, or the clocks explained. */
async function finalError(error: unknown, context: { tries: number; form: RetriedForm; lastDate: string | undefined }): Promise<unknown> {
  if (error instanceof NetworkError && error.code === 'network-or-cors' && context.tries > 1) {
    return new NetworkError('network-or-cors', { method: error.method, url: error.url, attempts: context.tries, cause: error });
  }
  if (error instanceof S3ResponseError && error.code === 'RequestTimeTooSkewed') {
    const serverTime = serverTimeOf(error, context.lastDate);
    if (serverTime === undefined) return error;
    const sent = context.form.fields.find(([name]) => name.toLowerCase() === 'x-amz-date')?.[1];
    return explain({
      kind: 'clock-skew',
      facts: {
        serverTime,
        requestTime: parseAmzTime(error.s3.elements['RequestTime'] ?? sent),
        deviceTime: Date.now(),
        signer: context.form.shape === 'signed-policy' ? 'device' : 'backend',
        cause: error,
      },
    });
  }
  return error;
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
