import { describeCondition, type PolicyFailure } from '../form/policy-document';
import { S3UploadError } from './S3UploadError';

export type PolicyViolationErrorCode =
  | 'policy-expired'
  | 'condition-failed'
  | 'field-not-in-policy'
  | 'file-too-large'
  | 'file-too-small';

/**
 * The policy is well formed but S3 would refuse this upload under it. Found before sending: no byte went
 * to S3. `failures` lists every broken condition, the first one is in the message.
 */
export class PolicyViolationError extends S3UploadError {
  override readonly name = 'PolicyViolationError';
  declare readonly code: PolicyViolationErrorCode;
  readonly failures: readonly PolicyFailure[];
  /** The decoded policy JSON. */
  readonly policy: string;

  constructor(failures: readonly [PolicyFailure, ...PolicyFailure[]], policy: string) {
    const [first] = failures;
    const { code, message, hint } = explainFailure(first);
    const more = failures.length > 1 ? ` (${failures.length - 1} more problem${failures.length > 2 ? 's' : ''} in .failures)` : '';
    super(code, message + more, hint);
    this.failures = failures;
    this.policy = policy;
  }
}

function explainFailure(failure: PolicyFailure): { code: PolicyViolationErrorCode; message: string; hint: string } {
  switch (failure.kind) {
    case 'expired':
      return {
        code: 'policy-expired',
        message: `The upload policy expired at ${failure.expiration.toISOString()}; S3 refuses expired policies.`,
        hint: 'Ask the backend for a fresh policy (retry the upload), and check that the backend and this device agree on the time.',
      };
    case 'condition-failed': {
      const condition = describeCondition(failure.condition);
      const field = failure.condition.kind === 'content-length-range' ? 'file' : failure.condition.name;
      const actual = failure.actual === undefined || failure.actual === '' ? 'nothing' : JSON.stringify(failure.actual);
      return {
        code: 'condition-failed',
        message: `The policy requires ${condition} but the upload would send ${actual} for ${field}.`,
        hint: `Make the backend sign a policy whose condition on ${field} allows this value, or send the value the policy expects.`,
      };
    }
    case 'extra-fields':
      return {
        code: 'field-not-in-policy',
        message: `The upload would send ${failure.fields.join(', ')}, which no condition of the policy covers; S3 rejects every form field the policy does not name.`,
        hint: `Add a condition for ${failure.fields.map((f) => `$${f}`).join(', ')} to the policy on the backend (["starts-with", "$${failure.fields[0]}", ""] allows any value), or stop sending the field.`,
      };
    case 'too-large':
      return {
        code: 'file-too-large',
        message: `The file is ${failure.size} bytes; the policy allows at most ${failure.max} (content-length-range).`,
        hint: 'Choose a smaller file, or raise the maximum of content-length-range in the policy the backend signs.',
      };
    case 'too-small':
      return {
        code: 'file-too-small',
        message: `The file is ${failure.size} bytes; the policy requires at least ${failure.min} (content-length-range).`,
        hint: 'Choose a larger file, or lower the minimum of content-length-range in the policy the backend signs.',
      };
  }
}
