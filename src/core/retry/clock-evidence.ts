// S3's time as its refusals tell it, for the POST's retries (post-retry.ts). The offset learned from it
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
