import { formatDuration } from '../retry/clock-evidence';
import type { S3ResponseError } from './S3ResponseError';
import { S3UploadError } from './S3UploadError';

/** Who set the X-Amz-Date S3 found too far from its clock. */
export type ClockSkewSigner = 'backend' | 'device';

/**
 * S3 refused the upload as dated more than 15 minutes from its own clock (RequestTimeTooSkewed), and
 * signing again did not help. The message says how far off each clock is, measured against S3's.
 * `cause` is S3's answer (an S3ResponseError with RequestTime and ServerTime).
 */
export class ClockSkewError extends S3UploadError {
  override readonly name = 'ClockSkewError';
  declare readonly code: 'clock-skew';
  /** S3's clock when it refused, from ServerTime (or the Date header). */
  readonly serverTime: Date;
  /** The X-Amz-Date the upload carried, when known. */
  readonly requestTime: Date | undefined;
  /** The signing clock minus S3's: positive when the clock that set X-Amz-Date runs ahead. */
  readonly signerOffsetMs: number | undefined;
  /** This device's clock minus S3's. */
  readonly deviceOffsetMs: number;
  readonly signer: ClockSkewSigner;

  constructor(details: {
    serverTime: number;
    requestTime: number | undefined;
    deviceTime: number;
    signer: ClockSkewSigner;
    cause: S3ResponseError;
  }) {
    const { serverTime, requestTime, signer } = details;
    const deviceOffsetMs = details.deviceTime - serverTime;
    const signerOffsetMs = requestTime === undefined ? undefined : requestTime - serverTime;
    const server = iso(serverTime);
    const device = `this device's clock is ${describeOffset(deviceOffsetMs)}`;
    const dated =
      requestTime === undefined
        ? 'an X-Amz-Date S3 did not repeat'
        : `${iso(requestTime)} (X-Amz-Date, set by ${signer === 'backend' ? 'the backend' : 'this device'}), ${describeOffset(signerOffsetMs ?? 0)}`;
    const message = `S3 refused the upload twice as dated too far from its clock (RequestTimeTooSkewed, more than 15 minutes): S3's clock read ${server}, the upload was dated ${dated}; ${device}.`;
    const hint =
      signer === 'backend'
        ? `Set the backend's clock right (NTP: chrony or systemd-timesyncd on the server), or make the backend sign with the serverTime the kit sends in the policy request after such an error (S3's time, ISO 8601) as the base of X-Amz-Date and the expiration.`
        : `Set this device's clock right (automatic date and time in the system settings); the kit already dated the policy by S3's clock, so the signing backend may be refusing or rewriting the date.`;
    super('clock-skew', message, hint, { cause: details.cause });
    this.serverTime = new Date(serverTime);
    this.requestTime = requestTime === undefined ? undefined : new Date(requestTime);
    this.signerOffsetMs = signerOffsetMs;
    this.deviceOffsetMs = deviceOffsetMs;
    this.signer = signer;
  }
}

function describeOffset(offsetMs: number): string {
  if (Math.abs(offsetMs) < 1000) return 'in step with S3\'s (within a second)';
  return `${formatDuration(offsetMs)} ${offsetMs > 0 ? 'ahead of' : 'behind'} S3's`;
}

function iso(time: number): string {
  return new Date(time).toISOString().replace(/\.000Z$/, 'Z');
}
