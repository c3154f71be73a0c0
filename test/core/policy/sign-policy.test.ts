import { describe, expect, it } from 'vitest';
import { composePolicy, signComposedPolicy, type SignPolicyOptions } from '../../../src/core/policy/sign-policy';
import { parsePolicyAnswer } from '../../../src/core/policy/policy-answer';
import { CREDENTIALS, signPolicy } from '../../support/aws-signer';
import { runSeedSigner } from '../../support/seed-backend';

const OPTIONS: SignPolicyOptions = {
  signatureEndpoint: '/s3/signature',
  bucket: 'photos',
  region: 'cn-north-1',
  accessKeyId: CREDENTIALS.accessKeyId,
  acl: 'private',
  maxSize: 10_000,
};
const NOW = new Date('2025-06-01T12:34:56.789Z');

describe('composePolicy', () => {
  it('composes the policy a Fine Uploader v4 backend expects', () => {
    const composed = composePolicy(OPTIONS, {
      key: 'uploads/42/${filename}',
      contentType: 'image/png',
      metadata: { Owner: 'ana' },
      now: NOW,
    });
    expect(composed.url).toBe('https://photos.s3.cn-north-1.amazonaws.com/');
    expect(composed.date).toBe('20250601T123456Z');
    expect(composed.credential).toBe(`${CREDENTIALS.accessKeyId}/20250601/cn-north-1/s3/aws4_request`);
    expect(composed.document).toEqual({
      expiration: '2025-06-01T12:44:56.789Z',
      conditions: [
        { bucket: 'photos' },
        { 'x-amz-algorithm': 'AWS4-HMAC-SHA256' },
        { 'x-amz-credential': composed.credential },
        { 'x-amz-date': '20250601T123456Z' },
        { acl: 'private' },
        { success_action_status: '201' },
        { 'Content-Type': 'image/png' },
        { 'x-amz-meta-owner': 'ana' },
        ['starts-with', '$key', 'uploads/42/'],
        ['content-length-range', 0, 10_000],
      ],
    });
  });

  it('asks for the exact key when it has no ${filename}', () => {
    const { maxSize: _unused, ...unbounded } = OPTIONS;
    const { document } = composePolicy(unbounded, {
      key: 'a/b.txt',
      contentType: '',
      metadata: {},
      now: NOW,
    });
    expect(document.conditions).toContainEqual({ key: 'a/b.txt' });
    expect(JSON.stringify(document.conditions)).not.toContain('content-length-range');
    expect(JSON.stringify(document.conditions)).not.toContain('Content-Type');
  });
});

describe('signComposedPolicy with the backend from the seed thread', () => {
  it('gets a policy and signature S3 accepts from the Python sign_policy of that answer', async () => {
    const composed = composePolicy(OPTIONS, { key: 'uploads/${filename}', contentType: 'image/png', metadata: {}, now: NOW });
    const answer = await signComposedPolicy(
      { ...OPTIONS, signatureEndpoint: async (document) => runSeedSigner(JSON.stringify(document), CREDENTIALS, 'cn-north-1') },
      composed,
      'uploads/${filename}',
      new AbortController().signal,
    );
    const post = parsePolicyAnswer(answer, { shape: 'signed-policy' });
    expect(post.shape).toBe('signed-policy');
    // json.dumps re-encodes the document with other spacing; the signature must be over that text.
    expect(post.document.text).not.toBe(JSON.stringify(composed.document));
    expect(JSON.parse(post.document.text)).toEqual(composed.document);
    expect(post.signature).toBe(signPolicy(post.policy, CREDENTIALS.secretAccessKey, '20250601', 'cn-north-1'));
  });

  it('says what a signature endpoint must answer when it answers something else', async () => {
    const composed = composePolicy(OPTIONS, { key: 'k', contentType: '', metadata: {}, now: NOW });
    const signer = async () => ({ signature: 'abc' });
    await expect(
      signComposedPolicy({ ...OPTIONS, signatureEndpoint: signer }, composed, 'k', new AbortController().signal),
    ).rejects.toMatchObject({ code: 'missing-field', message: expect.stringContaining('{ policy, signature }') });
  });
});
