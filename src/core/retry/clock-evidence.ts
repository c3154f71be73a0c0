// S3's time as its refusals tell it, and a clock difference as a person reads it: for the retry loop
// (post-retry-loop.ts) and ClockSkewError, so loaded only after a failed try. The offset learned from it
// is kept in clock-offset.ts.

import type { S3ResponseError } from '../errors/S3ResponseError';

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
