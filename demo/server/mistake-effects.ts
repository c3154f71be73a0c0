// What each ?mistake= does to the signing, shared by the three answer shapes and sign-policy, so a
// mistake is the same bug whichever way the backend is written.

import type { Mistake } from '../mistakes';
import type { S3Target } from './config';
import { signPolicyV2 } from './sigv4-post';

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
  };
}

export function otherRegion(region: string): string {
  return region === 'eu-central-1' ? 'us-west-2' : 'eu-central-1';
}
