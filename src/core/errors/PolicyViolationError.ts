import type { PolicyFailure } from '../form/post-policy';
import { violationCode } from '../diagnostics/problem';
import { S3UploadError } from './S3UploadError';

export type PolicyViolationErrorCode =
  | 'policy-expired'
  | 'condition-failed'
  | 'field-not-in-policy'
  | 'file-too-large'
  | 'file-too-small';

/**
 * The policy is well formed but S3 would refuse this upload under it. Found before sending: no byte went
 * to S3. `failures` lists every broken condition, the first one is in the message (its words are
 * diagnostics/policy-problems.ts).
 */
export class PolicyViolationError extends S3UploadError {
  override readonly name = 'PolicyViolationError';
  declare readonly code: PolicyViolationErrorCode;
  readonly failures: readonly PolicyFailure[];
  /** The decoded policy JSON. */
  readonly policy: string;

  constructor(failures: readonly [PolicyFailure, ...PolicyFailure[]], policy: string, words: { readonly message: string; readonly hint: string }) {
    super(violationCode(failures[0]), words.message, words.hint);
    this.failures = failures;
    this.policy = policy;
  }
}
