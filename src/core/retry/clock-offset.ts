// This device's clock as S3 sees it. S3 tells its own time in the evidence of a clock error (ServerTime
// in RequestTimeTooSkewed) and in every answer's Date header (readable by the page only when the
// bucket's CORS rule exposes it). Once learned, the offset corrects the kit's own use of the clock: the
// pre-send expiry check of a policy, and the X-Amz-Date of a policy the kit composes (sign-my-policy).
// It is a fact about the device, so it is kept for the page's lifetime, for every upload. Reading S3's
// time out of a refusal is in clock-evidence.ts, loaded with the retry loop.

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
