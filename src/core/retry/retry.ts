// When a failed request is worth sending again, and after how long. Shared by the POST upload
// (post-retry.ts) and the multipart engine (its parts and the requests it signs itself).
// S3 asks clients to retry 5xx answers, 503 SlowDown above all, with exponential backoff:
// https://docs.aws.amazon.com/AmazonS3/latest/userguide/optimizing-performance-design-patterns.html#optimizing-performance-timeouts-retries
// The waits use "full jitter" (a random wait up to the exponential bound), so that requests failing
// together do not come back together: https://aws.amazon.com/blogs/architecture/exponential-backoff-and-jitter/

import { NetworkError } from '../errors/NetworkError';
import { PolicyAnswerError } from '../errors/PolicyAnswerError';
import { S3ResponseError } from '../errors/S3ResponseError';
import { UploadAbortedError } from '../errors/UploadAbortedError';
import { sleep } from '../transport/signals';
import type { OnlineWatch } from '../transport/online';

/** How a failed POST is tried again. */
export interface RetryOptions {
  /** Tries in all, the first included. Default 3. */
  readonly attempts?: number;
  /** The first backoff bound; each retry doubles it, and the wait is random below it. Default 500 ms. */
  readonly baseDelayMs?: number;
  /** The largest backoff bound. Default 10 s. (S3's Retry-After, when CORS exposes it, wins.) */
  readonly maxDelayMs?: number;
}

export interface RetryPolicy {
  /** Tries per request, the first included. */
  readonly attempts: number;
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { attempts: 3, baseDelayMs: 500, maxDelayMs: 10_000 };

/** The options with their defaults, as whole numbers of tries and non-negative delays. */
export function retryPolicy(options: RetryOptions | undefined, defaults: RetryPolicy = DEFAULT_RETRY): RetryPolicy {
  return {
    attempts: Math.max(1, Math.floor(options?.attempts ?? defaults.attempts)),
    baseDelayMs: Math.max(0, options?.baseDelayMs ?? defaults.baseDelayMs),
    maxDelayMs: Math.max(0, options?.maxDelayMs ?? defaults.maxDelayMs),
  };
}

/**
 * Retry-After in milliseconds: delay-seconds or an HTTP date (https://www.rfc-editor.org/rfc/rfc9110#field.retry-after);
 * undefined when absent or unreadable. (A page reads it only when the bucket's CORS rule exposes it.)
 */
export function retryAfterMs(value: string | null, now: number = Date.now()): number | undefined {
  if (value === null) return undefined;
  const text = value.trim();
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  const date = Date.parse(text);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/** What one try came to: a value, or S3's refusal with the wait S3 asked for (Retry-After), if any. */
export type Attempt<T> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly error: Error; readonly retryAfterMs?: number | undefined };

export interface RetryContext {
  readonly policy: RetryPolicy;
  readonly signal: AbortSignal;
  /** Called when the signature expired, before the next try, which must sign again. */
  readonly onExpired?: ((error: S3ResponseError) => void | Promise<void>) | undefined;
  /** Called before each wait, with the failure that caused it and how long the wait is. */
  readonly onRetry?: ((error: Error, attempt: number, delayMs: number) => void) | undefined;
  readonly random?: () => number;
  /** Which failures are worth another try. Default isRetryable. */
  readonly isRetryable?: ((error: Error) => boolean) | undefined;
  /** Which refusals mean "sign again". Default isExpiredSignature. */
  readonly isExpired?: ((error: S3ResponseError) => boolean) | undefined;
  /** How many times in a row to sign again. Default 2. */
  readonly maxResigns?: number | undefined;
  /**
   * When given, no try is sent while the browser is offline (the wait ends on the `online` event), and
   * a network error while offline is not counted as a try.
   */
  readonly online?: OnlineWatch | undefined;
}

// A signature that expired is signed again, not backed off; twice in a row means signing anew does not
// help (a clock far off, a backend that signs expired URLs), and S3's answer says so better than a loop.
const MAX_RESIGNS = 2;

/** Runs `attempt` until it succeeds, a failure is not worth retrying, or the tries run out. */
export async function withRetries<T>(attempt: (number: number) => Promise<Attempt<T>>, context: RetryContext): Promise<T> {
  const { policy, signal, online } = context;
  const retryable = context.isRetryable ?? isRetryable;
  const expired = context.isExpired ?? isExpiredSignature;
  const maxResigns = context.maxResigns ?? MAX_RESIGNS;
  let tries = 0;
  let resigns = 0;
  for (;;) {
    if (online) await online.waitUntilOnline(signal);
    tries += 1;
    let outcome: Attempt<T>;
    try {
      outcome = await attempt(tries);
    } catch (error) {
      outcome = { ok: false, error: error instanceof Error ? error : new Error(String(error)) };
    }
    if (outcome.ok) return outcome.value;
    const { error } = outcome;
    if (signal.aborted || error instanceof UploadAbortedError) throw error;
    // The connection went with the network: the try says nothing about S3, so it is not counted, and
    // the next one waits for the network to come back.
    if (online && lostWithTheNetwork(error) && online.isOffline()) {
      tries -= 1;
      continue;
    }
    if (error instanceof S3ResponseError && expired(error) && resigns < maxResigns) {
      resigns += 1;
      tries -= 1;
      await context.onExpired?.(error);
      continue;
    }
    if (!retryable(error) || tries >= policy.attempts) throw error;
    const delayMs = outcome.retryAfterMs ?? backoffDelay(tries, policy, context.random);
    context.onRetry?.(error, tries, delayMs);
    await sleep(delayMs, { signal });
  }
}

/** Full jitter: a random wait between 0 and min(maxDelayMs, baseDelayMs × 2^(attempt − 1)). */
export function backoffDelay(attempt: number, policy: RetryPolicy, random: () => number = Math.random): number {
  const bound = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
  return Math.floor(random() * bound);
}

/** No answer at all, from S3 (status 0) or from the app's backend (fetch failed). */
function lostWithTheNetwork(error: Error): boolean {
  if (error instanceof NetworkError) return error.code === 'network-or-cors';
  return error instanceof PolicyAnswerError && error.code === 'backend-unreachable';
}

/**
 * Worth another try: no answer at all (network, timeout), S3's passing trouble (5xx, SlowDown,
 * RequestTimeout, a 200 that carried InternalError), and a backend that could not be reached or failed
 * with 5xx while signing.
 */
export function isRetryable(error: Error): boolean {
  if (error instanceof NetworkError) return true;
  if (error instanceof S3ResponseError) return isPassingS3Trouble(error);
  if (error instanceof PolicyAnswerError) {
    return error.code === 'backend-unreachable' || (error.code === 'backend-http-error' && (error.status ?? 0) >= 500);
  }
  return false;
}

/** 5xx, 429, and the codes S3 documents as "try again": SlowDown, RequestTimeout, InternalError, ServiceUnavailable. */
export function isPassingS3Trouble(error: S3ResponseError): boolean {
  return error.status >= 500 || error.status === 429 || RETRYABLE_CODES.has(error.code);
}

const RETRYABLE_CODES = new Set(['SlowDown', 'RequestTimeout', 'InternalError', 'ServiceUnavailable']);

/**
 * The signature is no longer good, though it was right when made: a presigned URL past X-Amz-Expires
 * ("Request has expired"), a header signature older than S3's 15 minutes (RequestTimeTooSkewed, or
 * "Signature expired" from S3-compatible stores), or temporary credentials that ran out. Signing again
 * fixes all of them when the backend's clock and credentials are good.
 */
export function isExpiredSignature(error: S3ResponseError): boolean {
  if (error.status !== 403) return false;
  if (error.code === 'RequestTimeTooSkewed' || error.code === 'ExpiredToken') return true;
  return /request has expired|signature expired/i.test(error.s3.message);
}
