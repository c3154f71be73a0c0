// What each ?mistake= does to the signing, shared by the three answer shapes and sign-policy, so a
// mistake is the same bug whichever way the backend is written.

import type { Mistake } from '../mistakes';
import type { S3Target } from './config';
import { signPolicyV2 } from './sigv4-post';

/** A POST policy condition as the JSON has it, and as the AWS SDK's createPresignedPost takes it. */
export type PolicyCondition =
  | Readonly<Record<string, string>>
  | ['eq' | 'starts-with', string, string]
  | ['content-length-range', number, number];

/** content-type-mismatch: the only type the policy allows. */
const REQUIRED_CONTENT_TYPE = 'image/png';
/** key-outside-prefix: the prefix the key condition names, while the keys handed out are under uploads/. */
const WRONG_KEY_PREFIX = 'private/';

/** How long a good policy lives. */
export const POLICY_LIFETIME_SECONDS = 600;
/** The expired mistake's expiration lies this far in the past: beyond the kit's 5-minute clock-skew allowance. */
const EXPIRED_SECONDS_AGO = 3600;

export interface MistakeEffects {
  /** The region the credential is scoped to and the signing key derived for. */
  readonly signingRegion: string;
  readonly signingSecret: string;
  /** Seconds from now to the policy's expiration (negative: already expired). */
  readonly expiresInSeconds: number;
  /** The signature as the backend sends it, from the correct lowercase hex. */
  finishSignature(hex: string): string;
  /** Fields sent with the answer that no policy condition covers (V2 names, an acl). */
  unsignedFields(policyBase64: string): Record<string, string>;
  /**
   * The conditions as the backend signs them: each one the mistake gets wrong (on the key, the
   * Content-Type or the size) in place of the right one, the others as they are.
   */
  signedConditions<C>(conditions: readonly C[]): Array<C | PolicyCondition>;
}

export function mistakeEffects(mistake: Mistake | undefined, target: S3Target): MistakeEffects {
  const { secretAccessKey, accessKeyId } = target.credentials;
  return {
    signingRegion: mistake === 'wrong-region' ? otherRegion(target.region) : target.region,
    // A secret read from a file or a .env line with its newline still attached: the classic wrong secret.
    signingSecret: mistake === 'wrong-secret' ? `${secretAccessKey}\n` : secretAccessKey,
    expiresInSeconds: mistake === 'expired' ? -EXPIRED_SECONDS_AGO : POLICY_LIFETIME_SECONDS,
    finishSignature(hex) {
      if (mistake === 'uppercase-hex') return hex.toUpperCase();
      if (mistake === 'base64-signature') return Buffer.from(hex, 'hex').toString('base64');
      return hex;
    },
    unsignedFields(policyBase64) {
      if (mistake === 'v2-field-names') {
        return { AWSAccessKeyId: accessKeyId, Signature: signPolicyV2(policyBase64, secretAccessKey) };
      }
      if (mistake === 'missing-field') return { acl: 'public-read' };
      return {};
    },
    signedConditions(conditions) {
      return conditions.map((condition) => wrongCondition(mistake, condition) ?? condition);
    },
  };
}

/** The condition the mistake signs instead of `condition`, or undefined when it leaves it alone. */
function wrongCondition(mistake: Mistake | undefined, condition: unknown): PolicyCondition | undefined {
  if (mistake === 'size-in-kilobytes' && Array.isArray(condition) && condition[0] === 'content-length-range') {
    const [, min, max]: unknown[] = condition;
    // A limit configured as "150 MiB" and written out by code that thinks in kilobytes.
    if (typeof min === 'number' && typeof max === 'number') return ['content-length-range', min, Math.floor(max / 1024)];
  }
  const field = conditionField(condition);
  if (mistake === 'content-type-mismatch' && field === 'content-type') return ['eq', '$Content-Type', REQUIRED_CONTENT_TYPE];
  if (mistake === 'key-outside-prefix' && field === 'key') return ['starts-with', '$key', WRONG_KEY_PREFIX];
  return undefined;
}

/** The lowercased field a condition is on: {"name": value} or [operator, "$name", value]. */
function conditionField(condition: unknown): string | undefined {
  if (Array.isArray(condition)) {
    const name: unknown = condition[1];
    return typeof name === 'string' && name.startsWith('$') ? name.slice(1).toLowerCase() : undefined;
  }
  if (typeof condition !== 'object' || condition === null) return undefined;
  const names = Object.keys(condition);
  return names.length === 1 ? names[0]?.toLowerCase() : undefined;
}

export function otherRegion(region: string): string {
  return region === 'eu-central-1' ? 'us-west-2' : 'eu-central-1';
}
