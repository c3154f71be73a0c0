// Bad backend answers, one test each: every one ends in a specific error code with a message and a
// hint, and not one request reaches S3 (the emulator's request log stays as it was).
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { isS3UploadError, uploadFile, type PolicySource, type UploadOptions } from '../../../src/index';
import { createS3Emulator } from '../../../mocks/index';
import { CREDENTIALS, flatAnswer } from '../../support/aws-signer';
import { APP, BUCKET, BUCKET_URL, ENDPOINT, REGION, backendHandlers } from '../../support/backends';

const s3 = createS3Emulator({ endpoint: ENDPOINT, region: REGION, buckets: [BUCKET], credentials: [CREDENTIALS] });
const server = setupServer(...s3.handlers, ...backendHandlers());
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

const POLICY_URL = `${APP}/api/policy/bad`;
const photo = () => new File(['PNG bytes'], 'cat.png', { type: 'image/png' });
const signed = (input: Partial<Parameters<typeof flatAnswer>[0]> = {}) =>
  flatAnswer({ url: BUCKET_URL, key: 'uploads/${filename}', region: REGION, bucket: BUCKET, ...input });
const without = (name: string) => {
  const answer: Record<string, unknown> = { ...signed() };
  delete answer[name];
  return answer;
};
const answering = (response: () => Response) => () => server.use(http.post(POLICY_URL, response));
const returning = (answer: () => unknown): PolicySource => async () => answer();

interface Case {
  readonly policy: PolicySource;
  readonly code: string;
  readonly says: string | RegExp;
  readonly setup?: () => void;
  readonly options?: Partial<UploadOptions>;
}

const CASES: Record<string, Case> = {
  // What the endpoint answers
  'text that is not JSON': { setup: answering(() => HttpResponse.text('OK')), policy: POLICY_URL, code: 'backend-not-json', says: 'not JSON' },
  'an HTML error page': {
    setup: answering(() => HttpResponse.html('<!DOCTYPE html><html><body><h1>502 Bad Gateway</h1></body></html>')),
    policy: POLICY_URL,
    code: 'backend-not-json',
    says: 'an HTML page: "502 Bad Gateway"',
  },
  'an empty body': { setup: answering(() => new HttpResponse(null, { status: 200 })), policy: POLICY_URL, code: 'backend-not-json', says: 'empty body' },
  '401 from the signing endpoint': { setup: answering(() => HttpResponse.json({ error: 'login' }, { status: 401 })), policy: POLICY_URL, code: 'backend-http-error', says: 'answered 401' },
  '403 from the signing endpoint': { setup: answering(() => HttpResponse.text('CSRF', { status: 403 })), policy: POLICY_URL, code: 'backend-http-error', says: 'answered 403' },
  '500 from the signing endpoint': { setup: answering(() => HttpResponse.text('boom', { status: 500 })), policy: POLICY_URL, code: 'backend-http-error', says: 'answered 500' },
  'no answer at all (network error)': { setup: answering(() => HttpResponse.error()), policy: POLICY_URL, code: 'backend-unreachable', says: 'could not be reached' },
  'a policy function that throws': { policy: async () => Promise.reject(new Error('no session')), code: 'policy-function-failed', says: 'no session' },
  // Missing pieces and wrong types
  'an array instead of an object': { policy: returning(() => []), code: 'wrong-type', says: 'JSON object' },
  'no url': { policy: returning(() => without('url')), code: 'missing-field', says: 'no url' },
  // Found by the fuzzing (fuzz-backend-answers.test.ts): a blank url resolved to the page's own address.
  'a blank url': { policy: returning(() => ({ ...signed(), url: ' ' })), code: 'missing-field', says: 'no url' },
  'no policy': { policy: returning(() => without('policy')), code: 'missing-field', says: 'no Policy' },
  'no signature': { policy: returning(() => without('signature')), code: 'missing-field', says: 'no X-Amz-Signature' },
  'no credential': { policy: returning(() => without('credential')), code: 'missing-field', says: 'no X-Amz-Credential' },
  'no date': { policy: returning(() => without('date')), code: 'missing-field', says: 'no X-Amz-Date' },
  'no key': { policy: returning(() => without('key')), code: 'missing-field', says: 'no key' },
  'a date as a number': { policy: returning(() => ({ ...signed(), date: 20250601 })), code: 'wrong-type', says: 'must be a string' },
  'fields as a string': { policy: returning(() => ({ ...signed(), fields: 'acl=private' })), code: 'wrong-type', says: '"fields" must be an object' },
  // Signature Version 2 and signature formats
  'V2 field names beside V4 ones': { policy: returning(() => ({ ...signed(), fields: { AWSAccessKeyId: CREDENTIALS.accessKeyId } })), code: 'v2-field-names', says: 'Signature Version 2' },
  'a V2 signature in hex': { policy: returning(() => ({ ...signed(), signature: 'a94a8fe5ccb19ba61c4c0873d391e987982fbbd3' })), code: 'v2-signature', says: 'HMAC-SHA1' },
  'a V2 signature in base64': { policy: returning(() => ({ ...signed(), signature: 'qdA+yzeWk3Hk3O+PkNlU3cBl2JY=' })), code: 'v2-signature', says: 'HMAC-SHA1' },
  'a signature that is neither hex nor base64 of 32 bytes': { policy: returning(() => ({ ...signed(), signature: 'signed!' })), code: 'bad-signature', says: 'neither 64 hex digits' },
  // Credential, date, algorithm
  'another algorithm': { policy: returning(() => ({ ...signed(), algorithm: 'AWS4-HMAC-SHA512' })), code: 'bad-algorithm', says: 'AWS4-HMAC-SHA256' },
  'a credential with four parts': { policy: returning(() => ({ ...signed(), credential: 'AKID/eu-west-1/s3/aws4_request' })), code: 'bad-credential', says: '4 parts' },
  'a credential for another service': {
    policy: returning(() => ({ ...signed(), credential: signed().credential.replace('/s3/', '/ec2/') })),
    code: 'bad-credential',
    says: '"ec2" instead of "s3"',
  },
  'a date not in yyyymmddTHHMMSSZ': { policy: returning(() => ({ ...signed(), date: '2025-06-01T12:00:00Z' })), code: 'bad-date', says: 'yyyymmddTHHMMSSZ' },
  'a date on another day than the credential': { policy: returning(() => ({ ...signed(), date: '20000101T000000Z' })), code: 'date-mismatch', says: 'same UTC day' },
  'a credential for another region than the endpoint': { policy: returning(() => signed({ region: 'us-east-1' })), code: 'region-mismatch', says: "expecting 'eu-west-1'" },
  // The policy document
  'a policy that is not base64': { policy: returning(() => ({ ...signed(), policy: '{"expiration":1}' })), code: 'bad-policy', says: 'base64' },
  'base64 that is not JSON': { policy: returning(() => ({ ...signed(), policy: btoa('expiration=tomorrow') })), code: 'bad-policy', says: 'not JSON' },
  'JSON without an expiration': { policy: returning(() => ({ ...signed(), policy: btoa('{"conditions":[]}') })), code: 'bad-policy', says: 'expiration' },
  'an expired policy': { policy: returning(() => signed({ now: new Date(Date.now() - 3600_000), expiresInSeconds: 60 })), code: 'policy-expired', says: 'expired' },
  'conditions missing a field that is sent': { policy: returning(() => ({ ...signed(), fields: { acl: 'public-read' } })), code: 'field-not-in-policy', says: 'acl' },
  'a file over content-length-range': { policy: returning(() => signed({ conditions: [['content-length-range', 0, 4]] })), code: 'file-too-large', says: 'at most 4' },
  'a Content-Type the policy refuses': { policy: returning(() => signed({ conditions: [['eq', '$Content-Type', 'video/mp4']] })), code: 'condition-failed', says: '"image/png"' },
  'a key outside the allowed prefix': { policy: returning(() => signed({ conditions: [['starts-with', '$key', 'private/']] })), code: 'condition-failed', says: 'private/' },
  'the same field twice with different values': { policy: returning(() => ({ ...signed(), fields: { acl: 'private', ACL: 'public-read' } })), code: 'conflicting-fields', says: 'appears twice' },
  // Where it would send the file
  'a javascript: URL': { policy: returning(() => ({ ...signed(), url: 'javascript:alert(document.cookie)' })), code: 'bad-url', says: 'javascript:' },
  'a non-http URL': { policy: returning(() => ({ ...signed(), url: 'ftp://photos.example/' })), code: 'bad-url', says: 'ftp:' },
  'a host the app did not allow': { policy: returning(() => signed()), options: { allowedHosts: ['uploads.example.com'] }, code: 'bad-url', says: 'not in allowedHosts' },
  'a sign-my-policy endpoint that answers without the policy': {
    setup: answering(() => HttpResponse.json({ signature: 'ab' })),
    policy: { signPolicy: { signatureEndpoint: POLICY_URL, bucket: BUCKET, region: REGION, accessKeyId: CREDENTIALS.accessKeyId } },
    code: 'missing-field',
    says: '{ policy, signature }',
  },
};

describe('bad backend answers: a specific error, and nothing sent to S3', () => {
  it('covers at least 30 of them', () => {
    expect(Object.keys(CASES).length).toBeGreaterThanOrEqual(30);
  });

  it.each(Object.entries(CASES))('%s', async (_, { policy, code, says, setup, options }) => {
    setup?.();
    const sentBefore = s3.requests.length;
    const error = await uploadFile(photo(), { policy, ...options }).then(
      () => undefined,
      (reason: unknown) => reason,
    );
    if (!isS3UploadError(error)) throw new Error(`expected a kit error, got ${String(error)}`);
    expect(error.code).toBe(code);
    expect(error.message).toMatch(says);
    expect(error.hint.length).toBeGreaterThan(20);
    expect(s3.requests.length).toBe(sentBefore);
  });
});
