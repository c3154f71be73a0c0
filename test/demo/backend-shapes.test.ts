// @vitest-environment node
// The page's policy source for each backend shape and mistake: what both uploaders are handed.
import { describe, expect, it } from 'vitest';
import { planFor } from '../../demo/backend-shapes';
import type { PublicConfig } from '../../demo/api';

const CONFIG: PublicConfig = {
  mode: 'embedded',
  bucket: 'demo-bucket',
  region: 'us-east-1',
  accessKeyId: 'AKIDEMO',
  endpoint: 'http://127.0.0.1:9100/demo-bucket/',
  maxSize: 1024,
};

describe('planFor', () => {
  it('points the three answer shapes at their endpoint, with the mistake in the query', () => {
    expect(planFor('aws-sdk', undefined, CONFIG)).toEqual({ policy: '/api/policy/aws-sdk' });
    expect(planFor('boto3', 'uppercase-hex', CONFIG)).toEqual({ policy: '/api/policy/boto3?mistake=uppercase-hex' });
    expect(planFor('flat', 'v2-field-names', CONFIG)).toEqual({ policy: '/api/policy/flat?mistake=v2-field-names' });
  });

  it('builds sign-my-policy from /api/config, with a key under the prefix the backend signs for', () => {
    const plan = planFor('sign-my-policy', 'expired', { ...CONFIG, sessionToken: 'token' });
    expect(plan.policy).toEqual({
      signPolicy: {
        signatureEndpoint: '/api/sign-policy?mistake=expired',
        bucket: 'demo-bucket',
        region: 'us-east-1',
        accessKeyId: 'AKIDEMO',
        endpoint: 'http://127.0.0.1:9100/demo-bucket/',
        maxSize: 1024,
        sessionToken: 'token',
      },
    });
    expect(plan.key).toMatch(/^uploads\/[0-9a-f]{16}\/\$\{filename\}$/);
  });

  it('leaves the session token out when the backend has none', () => {
    const { policy } = planFor('sign-my-policy', undefined, CONFIG);
    expect(typeof policy === 'object' && 'signPolicy' in policy && 'sessionToken' in policy.signPolicy).toBe(false);
  });
});
