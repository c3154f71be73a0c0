import type { ClockSkewFacts } from '../diagnostics/problem';
import { S3UploadError } from './S3UploadError';

/** Who set the X-Amz-Date S3 found too far from its clock. */
export type ClockSkewSigner = 'backend' | 'device';

/**
 * S3 refused the upload as dated more than 15 minutes from its own clock (RequestTimeTooSkewed), and
 * signing again did not help. The message says how far off each clock is, measured against S3's
 * (diagnostics/clock-skew.ts). `cause` is S3's answer (an S3ResponseError with RequestTime and ServerTime).
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

  constructor(facts: ClockSkewFacts, words: { readonly message: string; readonly hint: string }) {
    const { serverTime, requestTime } = facts;
    super('clock-skew', words.message, words.hint, { cause: facts.cause });
    this.serverTime = new Date(serverTime);
    this.requestTime = requestTime === undefined ? undefined : new Date(requestTime);
    this.signerOffsetMs = requestTime === undefined ? undefined : requestTime - serverTime;
    this.deviceOffsetMs = facts.deviceTime - serverTime;
    this.signer = facts.signer;
  }
}
