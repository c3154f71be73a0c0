// The wait S3 asks for before another try (Retry-After on a 503 SlowDown, say). Read as each answer
// arrives, so it lives apart from the retry loop (retry.ts), which only a failure needs.

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
