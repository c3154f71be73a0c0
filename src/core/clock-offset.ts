// This device's clock as S3 sees it. S3 tells its own time in the evidence of a clock error (ServerTime
// in RequestTimeTooSkewed) and in every answer's Date header (readable by the page only when the
// bucket's CORS rule exposes it). Once learned, the offset corrects the kit's own use of the clock: the
// pre-send expiry check of a policy, and the X-Amz-Date of a policy the kit composes (sign-my-policy).
// It is a fact about the device, so it is kept for the page's lifetime, for every upload.

import type { S3ResponseError } from './errors/S3ResponseError';

let offsetMs: number | undefined;

/** S3's time minus this device's, in milliseconds, once an answer from S3 told it; else undefined. */
export function learnedClockOffsetMs(): number | undefined {
  return offsetMs;
}

/** Records S3's time as read at `deviceTimeMs` on this device's clock; returns the offset. */
export function learnClockOffset(serverTimeMs: number, deviceTimeMs: number = Date.now()): number {
  offsetMs = serverTimeMs - deviceTimeMs;
  return offsetMs;
}

/** Forgets the offset (for tests, and for an app that knows the device clock was just set). */
export function forgetClockOffset(): void {
  offsetMs = undefined;
}

/** The time by S3's clock as best known: this device's clock, corrected by the learned offset. */
export function s3Now(): Date {
  return new Date(Date.now() + (offsetMs ?? 0));
}

/** S3's time from its error (ServerTime) or, failing that, from the answer's Date header. */
export function serverTimeOf(error: S3ResponseError, dateHeader: string | undefined): number | undefined {
  for (const text of [error.s3.elements['ServerTime'], dateHeader]) {
    const time = text === undefined ? Number.NaN : Date.parse(text.trim());
    if (!Number.isNaN(time)) return time;
  }
  return undefined;
}

/** An X-Amz-Date (20250601T120000Z) or ISO 8601 time in milliseconds; undefined when unreadable. */
export function parseAmzTime(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  // X-Amz-Date is ISO 8601 basic format, which Date.parse does not read.
  const basic = text.trim().replace(/^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/, '$1-$2-$3T$4:$5:$6Z');
  const time = Date.parse(basic);
  return Number.isNaN(time) ? undefined : time;
}

/** "1 h 2 min 5 s", "40 s", "350 ms": a clock difference as a person reads it. */
export function formatDuration(ms: number): string {
  const total = Math.abs(ms);
  if (total < 1000) return `${Math.round(total)} ms`;
  const seconds = Math.round(total / 1000);
  const parts: string[] = [];
  const hours = Math.floor(seconds / 3600);
  const minutes = Math.floor((seconds % 3600) / 60);
  if (hours > 0) parts.push(`${hours} h`);
  if (hours > 0 || minutes > 0) parts.push(`${minutes} min`);
  parts.push(`${seconds % 60} s`);
  return parts.join(' ');
}
