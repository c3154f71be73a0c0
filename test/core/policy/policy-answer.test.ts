import { S3Client } from '@aws-sdk/client-s3';
import { createPresignedPost } from '@aws-sdk/s3-presigned-post';
import { describe, expect, it } from 'vitest';
import { parsePolicyAnswer } from '../../../src/core/policy/policy-answer';
import { PolicyAnswerError } from '../../../src/core/errors/PolicyAnswerError';
import { CREDENTIALS, flatAnswer } from '../../support/aws-signer';

const URL_EU = 'https://photos.s3.eu-west-1.amazonaws.com/';
const SIGNED_AT = new Date('2025-06-01T12:00:00Z');

function parseError(raw: unknown, options = {}): PolicyAnswerError {
  try {
    parsePolicyAnswer(raw, options);
  } catch (error) {
    if (error instanceof PolicyAnswerError) return error;
    throw error;
  }
  throw new Error('expected parsePolicyAnswer to throw');
}

function boto3Answer() {
  const flat = flatAnswer({ url: URL_EU, key: 'uploads/cat.png', region: 'eu-west-1', bucket: 'photos', now: SIGNED_AT });
  return {
    url: flat.url,
    fields: {
      key: flat.key,
      'x-amz-algorithm': flat.algorithm,
      'x-amz-credential': flat.credential,
      'x-amz-date': flat.date,
      policy: flat.policy,
      'x-amz-signature': flat.signature,
    },
  };
}

describe('parsePolicyAnswer: the accepted shapes', () => {
  it('reads the AWS SDK v3 createPresignedPost answer', async () => {
    const client = new S3Client({ region: 'eu-west-1', credentials: CREDENTIALS });
    const sdk = await createPresignedPost(client, {
      Bucket: 'photos',
      Key: 'uploads/cat.png',
      Fields: { acl: 'private' },
      Conditions: [['content-length-range', 1, 1000]],
    });
    const post = parsePolicyAnswer(sdk);
    expect(post.shape).toBe('aws-sdk');
    expect(post.url).toBe(sdk.url);
    expect(post.key).toBe('uploads/cat.png');
    expect(post.signature).toBe(sdk.fields['X-Amz-Signature']);
    expect(post.scope).toMatchObject({ accessKeyId: CREDENTIALS.accessKeyId, region: 'eu-west-1' });
    expect(post.fields).toEqual(expect.arrayContaining([['bucket', 'photos'], ['acl', 'private']]));
    expect(post.document.conditions).toContainEqual({ kind: 'content-length-range', min: 1, max: 1000 });
  });

  it('reads the boto3 generate_presigned_post answer with lowercase names', () => {
    const post = parsePolicyAnswer(boto3Answer());
    expect(post.shape).toBe('boto3');
    expect(post.bucket).toBe('photos');
    expect(post.warnings).toEqual([]);
  });

  it('reads the flat shape, and field names in any case', () => {
    const flat = flatAnswer({ url: URL_EU, key: 'k', region: 'eu-west-1', fields: { acl: 'private' } });
    const shouting = {
      URL: flat.url,
      KEY: flat.key,
      Policy: flat.policy,
      Signature: flat.signature,
      Credential: flat.credential,
      DATE: flat.date,
      fields: { ACL: 'private' },
    };
    const post = parsePolicyAnswer(shouting);
    expect(post.shape).toBe('flat');
    expect(post.fields).toEqual([['acl', 'private']]);
    expect(post.algorithm).toBe('AWS4-HMAC-SHA256');
  });

  it('accepts the answer as JSON text', () => {
    expect(parsePolicyAnswer(JSON.stringify(boto3Answer())).key).toBe('uploads/cat.png');
  });
});

describe('parsePolicyAnswer: signatures', () => {
  const answer = (signature: string) => ({ ...boto3Answer(), fields: { ...boto3Answer().fields, 'x-amz-signature': signature } });

  it('lowers uppercase hex and says so', () => {
    const good = boto3Answer().fields['x-amz-signature'];
    const post = parsePolicyAnswer(answer(good.toUpperCase()));
    expect(post.signature).toBe(good);
    expect(post.warnings).toEqual([expect.objectContaining({ code: 'signature-uppercase-hex' })]);
  });

  it('converts base64 of the 32-byte digest to hex and says so', () => {
    const good = boto3Answer().fields['x-amz-signature'];
    const post = parsePolicyAnswer(answer(Buffer.from(good, 'hex').toString('base64')));
    expect(post.signature).toBe(good);
    expect(post.warnings).toEqual([expect.objectContaining({ code: 'signature-base64' })]);
  });

  it('refuses a V2 HMAC-SHA1 signature in hex or base64', () => {
    const sha1 = 'a94a8fe5ccb19ba61c4c0873d391e987982fbbd3';
    expect(parseError(answer(sha1))).toMatchObject({ code: 'v2-signature', message: expect.stringContaining('HMAC-SHA1') });
    expect(parseError(answer(Buffer.from(sha1, 'hex').toString('base64')))).toMatchObject({ code: 'v2-signature' });
  });

  it('refuses anything else, without echoing it', () => {
    const error = parseError(answer('not-a-signature'));
    expect(error.code).toBe('bad-signature');
    expect(error.hint).toContain('lowercase hex');
  });
});

describe('parsePolicyAnswer: Signature Version 2 names', () => {
  it('explains the V2/V4 mix of the C# thread (AWSAccessKeyId and Signature beside X-Amz-Credential)', () => {
    const { fields, url } = boto3Answer();
    const mixed = { url, fields: { ...fields, AWSAccessKeyId: CREDENTIALS.accessKeyId, Signature: fields['x-amz-signature'] } };
    const error = parseError(mixed);
    expect(error.code).toBe('v2-field-names');
    expect(error.message).toContain('AWSAccessKeyId, Signature');
    expect(error.message).toContain('Signature Version 2');
    expect(error.hint).toContain('X-Amz-Signature');
  });
});

describe('parsePolicyAnswer: credential, date, region, algorithm', () => {
  const withFields = (fields: Record<string, string>) => ({ ...boto3Answer(), fields: { ...boto3Answer().fields, ...fields } });

  it('refuses another algorithm', () => {
    expect(parseError(withFields({ 'x-amz-algorithm': 'AWS4-HMAC-SHA1' })).code).toBe('bad-algorithm');
  });

  it.each([
    ['AKID/20250601/eu-west-1/s3', 'parts'],
    ['AKID/2025-06-01/eu-west-1/s3/aws4_request', 'real yyyymmdd'],
    ['AKID/20250601/eu-west-1/ec2/aws4_request', '"ec2" instead of "s3"'],
    ['AKID/20250601/eu-west-1/s3/aws4_requests', 'aws4_request'],
  ])('says what is wrong with the credential %s', (credential, why) => {
    const error = parseError(withFields({ 'x-amz-credential': credential }));
    expect(error.code).toBe('bad-credential');
    expect(error.message).toContain(why);
  });

  it('refuses a date not in yyyymmddTHHMMSSZ', () => {
    expect(parseError(withFields({ 'x-amz-date': '2025-06-01T12:00:00Z' })).code).toBe('bad-date');
  });

  it('refuses a date on another day than the credential scope', () => {
    const error = parseError(withFields({ 'x-amz-date': '20250602T000000Z' }));
    expect(error.code).toBe('date-mismatch');
  });

  it('refuses a credential for another region than the endpoint', () => {
    const flat = flatAnswer({ url: URL_EU, key: 'k', region: 'us-east-1' });
    const error = parseError(flat);
    expect(error.code).toBe('region-mismatch');
    expect(error.message).toContain("the region 'us-east-1' is wrong; expecting 'eu-west-1'");
  });
});

describe('parsePolicyAnswer: missing and malformed pieces', () => {
  it('names every missing piece and the shape received, without values', () => {
    const { fields, url } = boto3Answer();
    const error = parseError({ url, fields: { key: fields.key, 'x-amz-signature': fields['x-amz-signature'] } });
    expect(error.code).toBe('missing-field');
    expect(error.message).toContain('Policy, X-Amz-Credential, X-Amz-Date');
    expect(error.received).toBe('{ url, fields: { key, x-amz-signature } }');
    expect(error.message).not.toContain(fields['x-amz-signature']);
  });

  it('asks for a url', () => {
    const { fields } = boto3Answer();
    expect(parseError({ fields })).toMatchObject({ code: 'missing-field', message: expect.stringContaining('no url') });
  });

  it('refuses non-object answers and says an HTML page is one', () => {
    expect(parseError('<!doctype html><html><body>Sign in</body></html>')).toMatchObject({
      code: 'wrong-type',
      received: 'an HTML page',
    });
    expect(parseError(null).code).toBe('wrong-type');
    expect(parseError({ ...boto3Answer(), fields: 'key=a' }).code).toBe('wrong-type');
    expect(parseError({ ...boto3Answer(), fields: { ...boto3Answer().fields, 'x-amz-date': 20250601 } }).code).toBe('wrong-type');
  });

  it('says which layer of the policy is broken', () => {
    const notBase64 = { ...boto3Answer(), fields: { ...boto3Answer().fields, policy: '{"expiration":"x"}' } };
    expect(parseError(notBase64)).toMatchObject({ code: 'bad-policy', message: expect.stringContaining('base64') });
    const notJson = { ...boto3Answer(), fields: { ...boto3Answer().fields, policy: btoa('hello') } };
    expect(parseError(notJson)).toMatchObject({ code: 'bad-policy', message: expect.stringContaining('not JSON') });
  });

  it('refuses javascript: and other non-http URLs, and hosts outside allowedHosts', () => {
    expect(parseError({ ...boto3Answer(), url: 'javascript:alert(1)' }).code).toBe('bad-url');
    expect(parseError({ ...boto3Answer(), url: 'ftp://photos.example/' }).code).toBe('bad-url');
    const error = parseError(boto3Answer(), { allowedHosts: ['uploads.example.com', '.amazonaws.example'] });
    expect(error).toMatchObject({ code: 'bad-url', message: expect.stringContaining('photos.s3.eu-west-1.amazonaws.com') });
    expect(parsePolicyAnswer(boto3Answer(), { allowedHosts: ['.amazonaws.com'] }).url).toBe(URL_EU);
  });
});

describe('parsePolicyAnswer: the same field twice', () => {
  it('sends one copy when the values agree, and refuses when they differ', () => {
    const { url, fields } = boto3Answer();
    const same = parsePolicyAnswer({ url, fields: { ...fields, acl: 'private', ACL: 'private' } });
    expect(same.fields).toEqual([['acl', 'private']]);
    expect(same.warnings).toEqual([expect.objectContaining({ code: 'duplicate-field' })]);
    expect(parseError({ url, fields: { ...fields, acl: 'private', ACL: 'public-read' } }).code).toBe('conflicting-fields');
    expect(parseError({ url, fields: { ...fields, Policy: 'eyJ9' } }).code).toBe('conflicting-fields');
  });
});
