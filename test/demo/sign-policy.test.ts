// @vitest-environment node
// POST /api/sign-policy checks a policy document before signing it: signing is handing out write access.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { amzDate, signPolicy } from '../support/aws-signer';
import { postJson, startBackendServer, type RunningBackend } from './support';

let running: RunningBackend;
beforeAll(async () => {
  running = await startBackendServer();
});
afterAll(async () => {
  await running.stop();
});

type Condition = Record<string, string> | [string, string | number, string | number];

/** A document as the kit composes it for the demo bucket, with `change` applied to its conditions. */
function policyDocument(change: (conditions: Condition[]) => Condition[] = (c) => c, expiresInMs = 10 * 60_000) {
  const now = new Date();
  const date = amzDate(now);
  const { accessKeyId } = running.backend.target.credentials;
  const conditions: Condition[] = [
    { bucket: 'demo-bucket' },
    { 'x-amz-algorithm': 'AWS4-HMAC-SHA256' },
    { 'x-amz-credential': `${accessKeyId}/${date.slice(0, 8)}/us-east-1/s3/aws4_request` },
    { 'x-amz-date': date },
    { success_action_status: '201' },
    { 'Content-Type': 'image/png' },
    ['starts-with', '$key', 'uploads/3f2a/'],
    ['content-length-range', 0, 1024],
  ];
  return { expiration: new Date(now.getTime() + expiresInMs).toISOString(), conditions: change(conditions) };
}

const sign = (body: unknown) => postJson(`${running.origin}/api/sign-policy`, body);
const without = (field: string) => (conditions: Condition[]) =>
  conditions.filter((c) => (Array.isArray(c) ? c[1] !== `$${field}` && c[0] !== field : !(field in c)));

describe('POST /api/sign-policy', () => {
  it('signs a document inside its bucket, prefix, size and lifetime: { policy: base64(JSON), signature: hex }', async () => {
    const document = policyDocument();
    const { status, json } = await sign(document);
    expect(status).toBe(200);
    const { policy, signature } = json as { policy: string; signature: string };
    expect(JSON.parse(Buffer.from(policy, 'base64').toString('utf8'))).toEqual(document);
    // Checked with the tests' own signer, not the demo's.
    const { secretAccessKey } = running.backend.target.credentials;
    const day = (document.conditions[3] as Record<string, string>)['x-amz-date']?.slice(0, 8) ?? '';
    expect(signature).toBe(signPolicy(policy, secretAccessKey, day, 'us-east-1'));
    expect(json).toEqual({ policy, signature });
  });

  it.each([
    ['another bucket', (c: Condition[]) => [{ bucket: 'someone-elses' }, ...without('bucket')(c)], 'is not {"bucket": "demo-bucket"}'],
    ['no bucket condition', without('bucket'), 'has no bucket condition'],
    ['a key outside uploads/', (c: Condition[]) => [...without('key')(c), ['starts-with', '$key', 'private/']] as Condition[], 'does not keep keys under "uploads/"'],
    ['any key at all', (c: Condition[]) => [...without('key')(c), ['starts-with', '$key', '']] as Condition[], 'does not keep keys under "uploads/"'],
    ['no key condition', without('key'), 'has no key condition'],
    ['no size limit', without('content-length-range'), 'has no content-length-range'],
    ['a size limit above the demo maximum', (c: Condition[]) => [...without('content-length-range')(c), ['content-length-range', 0, 11 * 1024 * 1024]] as Condition[], 'allows more than 10485760 bytes'],
    ['a public acl', (c: Condition[]) => [...c, { acl: 'public-read' }], 'public ACL'],
    ['another access key', (c: Condition[]) => c.map((x) => ('x-amz-credential' in x ? { 'x-amz-credential': 'AKIAOTHER/20260101/us-east-1/s3/aws4_request' } : x)), 'for access key AKIAOTHER'],
  ])('refuses a document with %s, with 403 and the reason', async (_, change, reason) => {
    const { status, json } = await sign(policyDocument(change));
    expect(status).toBe(403);
    expect(json).toEqual({ error: expect.stringContaining(reason) });
    expect((json as { error: string }).error).toMatch(/^Refused to sign: /);
  });

  it('refuses a document that lives longer than an hour', async () => {
    const { status, json } = await sign(policyDocument(undefined, 2 * 60 * 60_000));
    expect(status).toBe(403);
    expect(json).toEqual({ error: expect.stringContaining('more than an hour ahead') });
  });

  it('refuses a credential scoped to another region than the bucket', async () => {
    const { accessKeyId } = running.backend.target.credentials;
    const document = policyDocument((c) =>
      c.map((x) => ('x-amz-credential' in x ? { 'x-amz-credential': `${accessKeyId}/${amzDate(new Date()).slice(0, 8)}/eu-west-1/s3/aws4_request` } : x)),
    );
    const { status, json } = await sign(document);
    expect(status).toBe(403);
    expect(json).toEqual({ error: expect.stringContaining('scoped to region eu-west-1; the bucket demo-bucket is in us-east-1') });
  });

  it.each([
    ['a list', () => []],
    ['conditions that are not a list', () => ({ expiration: '2030-01-01T00:00:00.000Z', conditions: {} })],
    ['a condition S3 does not know', () => ({ expiration: '2030-01-01T00:00:00.000Z', conditions: [['gt', '$size', '1']] })],
    ['an expiration that is not ISO 8601', () => ({ ...policyDocument(), expiration: 'tomorrow' })],
  ])('answers 400 to a body that is not a policy document: %s', async (_, body) => {
    const { status, json } = await sign(body());
    expect(status).toBe(400);
    expect(json).toEqual({ error: expect.stringMatching(/^Not a policy document: /) });
  });
});
