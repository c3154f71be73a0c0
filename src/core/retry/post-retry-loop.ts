// The POST upload after a failed try: what fails in passing is sent again, what a fresh signature fixes
// is signed again, and what neither fixes ends the upload with an error that says why (the rules are in
// post-retry.ts's header). Loaded on the first failure, by sendWithRetries.

import { parseAmzTime, serverTimeOf } from './clock-evidence';
import { learnClockOffset, learnedClockOffsetMs, s3Now } from './clock-offset';
import { ClockSkewError } from '../errors/ClockSkewError';
import { NetworkError } from '../errors/NetworkError';
import { S3ResponseError } from '../errors/S3ResponseError';
import { UploadAbortedError } from '../errors/UploadAbortedError';
import { onlineWatch } from '../transport/online';
import { isPassingS3Trouble, withRetries } from './retry';
import type { PostAttempt, UploadResult } from '../transport/xhr-transport';
import type { FirstTry, PostRetryOptions, ResignReason, RetriedForm } from './post-retry';

/**
 * Goes on from the first try's failed outcome (`made`), sending each further try with `send`.
 */
export async function retryPost<F extends RetriedForm>(
  first: F,
  options: PostRetryOptions<F>,
  send: (form: F) => Promise<PostAttempt>,
  made: FirstTry,
): Promise<UploadResult & { form: F }> {
  const { signal, onWaiting, resign } = options;
  let form = first;
  let tries = 1;
  let lastDate: string | undefined;
  const resigned = new Set<ResignReason>();

  const noteRefusal = (answer: FirstTry): void => {
    if (answer.ok || !(answer.error instanceof S3ResponseError)) return;
    lastDate = answer.date;
    // A refusal about time carries S3's clock (ServerTime, or the Date header when CORS exposes it):
    // from now on the kit's own use of the clock is corrected by it (clock-offset.ts).
    const serverTime = resignReason(answer.error) === undefined ? undefined : serverTimeOf(answer.error, answer.date);
    if (serverTime !== undefined) learnClockOffset(serverTime);
  };
  const attempt = async (): Promise<PostAttempt> => {
    tries += 1;
    const answer = await send(form);
    noteRefusal(answer);
    return answer;
  };

  try {
    // The caller may have given up while this module was loading.
    if (signal.aborted) throw new UploadAbortedError('upload', { cause: signal.reason });
    noteRefusal(made);
    const result = await withRetries(attempt, {
      policy: options.policy,
      signal,
      first: made,
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
    throw finalError(error, { tries, form, lastDate });
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
function finalError(error: unknown, context: { tries: number; form: RetriedForm; lastDate: string | undefined }): unknown {
  if (error instanceof NetworkError && error.code === 'network-or-cors' && context.tries > 1) {
    return new NetworkError('network-or-cors', { method: error.method, url: error.url, attempts: context.tries, cause: error });
  }
  if (error instanceof S3ResponseError && error.code === 'RequestTimeTooSkewed') {
    const serverTime = serverTimeOf(error, context.lastDate);
    if (serverTime === undefined) return error;
    const sent = context.form.fields.find(([name]) => name.toLowerCase() === 'x-amz-date')?.[1];
    return new ClockSkewError({
      serverTime,
      requestTime: parseAmzTime(error.s3.elements['RequestTime'] ?? sent),
      deviceTime: Date.now(),
      signer: context.form.shape === 'signed-policy' ? 'device' : 'backend',
      cause: error,
    });
  }
  return error;
}
