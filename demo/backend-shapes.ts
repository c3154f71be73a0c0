// The four ways the demo backend can hand out a policy, and the kit's PolicySource for each.
import type { PolicySource } from 's3-direct-upload';
import type { Mistake } from './mistakes';
import type { PublicConfig } from './api';

export const BACKEND_SHAPES = ['aws-sdk', 'boto3', 'flat', 'sign-my-policy'] as const;
export type BackendShape = (typeof BACKEND_SHAPES)[number];

export const BACKEND_SHAPE_LABELS: Readonly<Record<BackendShape, string>> = {
  'aws-sdk': 'AWS SDK createPresignedPost',
  boto3: 'boto3 generate_presigned_post',
  flat: 'flat { url, key, policy, signature, … }',
  'sign-my-policy': 'sign my policy (the page composes it)',
};

export interface UploadPlan {
  readonly policy: PolicySource;
  /** Only sign-my-policy uses it: there the page proposes the key, which the backend checks. */
  readonly key?: string;
}

export function planFor(shape: BackendShape, mistake: Mistake | undefined, config: PublicConfig): UploadPlan {
  const query = mistake === undefined ? '' : `?mistake=${encodeURIComponent(mistake)}`;
  if (shape !== 'sign-my-policy') return { policy: `/api/policy/${shape}${query}` };
  return {
    policy: {
      signPolicy: {
        signatureEndpoint: `/api/sign-policy${query}`,
        bucket: config.bucket,
        region: config.region,
        accessKeyId: config.accessKeyId,
        endpoint: config.endpoint,
        maxSize: config.maxSize,
        ...(config.sessionToken !== undefined ? { sessionToken: config.sessionToken } : {}),
      },
    },
    // One folder per upload under the prefix the backend signs for.
    key: `uploads/${randomHex(8)}/\${filename}`,
  };
}

function randomHex(bytes: number): string {
  return Array.from(crypto.getRandomValues(new Uint8Array(bytes)), (byte) => byte.toString(16).padStart(2, '0')).join('');
}
