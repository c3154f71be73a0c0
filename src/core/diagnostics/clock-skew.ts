// A clock S3 disagrees with, in words: how far off each clock is against S3's, and which one to fix.

import type { ClockSkewFacts } from './problem';

export function clockSkewWords(facts: ClockSkewFacts): { message: string; hint: string } {
  const { serverTime, requestTime, signer } = facts;
  const device = `this device's clock is ${describeOffset(facts.deviceTime - serverTime)}`;
  const dated =
    requestTime === undefined
      ? 'an X-Amz-Date S3 did not repeat'
      : `${iso(requestTime)} (X-Amz-Date, set by ${signer === 'backend' ? 'the backend' : 'this device'}), ${describeOffset(requestTime - serverTime)}`;
  return {
    message: `S3 refused the upload twice as dated too far from its clock (RequestTimeTooSkewed, more than 15 minutes): S3's clock read ${iso(serverTime)}, the upload was dated ${dated}; ${device}.`,
    hint:
      signer === 'backend'
        ? `Set the backend's clock right (NTP: chrony or systemd-timesyncd on the server), or make the backend sign with the serverTime the kit sends in the policy request after such an error (S3's time, ISO 8601) as the base of X-Amz-Date and the expiration.`
        : `Set this device's clock right (automatic date and time in the system settings); the kit already dated the policy by S3's clock, so the signing backend may be refusing or rewriting the date.`,
  };
}

function describeOffset(offsetMs: number): string {
  if (Math.abs(offsetMs) < 1000) return 'in step with S3\'s (within a second)';
  return `${formatDuration(offsetMs)} ${offsetMs > 0 ? 'ahead of' : 'behind'} S3's`;
}

function iso(time: number): string {
  return new Date(time).toISOString().replace(/\.000Z$/, 'Z');
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
