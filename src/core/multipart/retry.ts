// The retry rules moved to src/core/retry.ts, shared with the POST upload; the multipart files keep
// importing them from here.
export {
  backoffDelay,
  isExpiredSignature,
  isRetryable,
  retryAfterMs,
  withRetries,
  type Attempt,
  type RetryContext,
  type RetryPolicy,
} from '../retry/retry';
