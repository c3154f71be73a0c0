// Who may upload: SigV4 fields, credential scope, access keys, session tokens, and the signature.
// https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-authentication-HTTPPOST.html

import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createS3Emulator } from '../../mocks';
import {
  ACCESS_KEY_ID,
  BUCKET,
  emulatorOptions,
  fieldValue,
  formData,
  post,
  s3Error,
  SECRET,
  signedForm,
  withField,
  withoutField,
} from './fixtures';
import { encodePolicy, signPolicyV2 } from '../support/aws-signer';

const s3 = createS3Emulator(emulatorOptions());
const server = setupServer(...s3.handlers);
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => {
  server.resetHandlers();
  s3.store.clear();
});
afterAll(() => server.close());

function use(options: Parameters<typeof emulatorOptions>[0]) {
  const emulator = createS3Emulator(emulatorOptions(options));
  server.use(...emulator.handlers);
  return emulator;
}

describe('SigV4 signature', () => {
  it('accepts a form signed with the right secret', async () => {
    const response = await post(formData(signedForm()));
    expect(response.status).toBe(204);
    expect(s3.store.getObject(BUCKET, 'photos/cat.png')).toBeDefined();
  });

  it('refuses a wrong secret with SignatureDoesNotMatch carrying the policy as StringToSign', async () => {
    const fields = signedForm({ secret: 'not-the-secret' });
    const response = await post(formData(fields));

    expect(response.status).toBe(403);
    const error = await s3Error(response);
    expect(error.code).toBe('SignatureDoesNotMatch');
    expect(error.message).toBe(
      'The request signature we calculated does not match the signature you provided. Check your key and signing method.',
    );
    const policy = fieldValue(fields, 'policy');
    expect(error.elements['AWSAccessKeyId']).toBe(ACCESS_KEY_ID);
    expect(error.elements['StringToSign']).toBe(policy);
    expect(error.elements['SignatureProvided']).toBe(fieldValue(fields, 'x-amz-signature'));
    expect(error.elements['StringToSignBytes']).toBe(
      [...Buffer.from(policy)].map((byte) => byte.toString(16).padStart(2, '0')).join(' '),
    );
    expect(error.elements['RequestId']).toBe(response.headers.get('x-amz-request-id'));
    expect(error.elements['HostId']).toBe(response.headers.get('x-amz-id-2'));
    expect(s3.store.listObjects(BUCKET)).toEqual([]);
  });

  it('refuses the right signature in upper-case hex: S3 compares the strings exactly', async () => {
    const fields = signedForm();
    const upper = withField(fields, 'x-amz-signature', fieldValue(fields, 'x-amz-signature').toUpperCase());
    const response = await post(formData(upper));

    expect(response.status).toBe(403);
    expect((await s3Error(response)).code).toBe('SignatureDoesNotMatch');
  });

  it('refuses a policy changed after signing', async () => {
    const fields = signedForm();
    const tampered = encodePolicy({ expiration: '2030-01-01T00:00:00Z', conditions: [{ bucket: BUCKET }] });
    const response = await post(formData(withField(fields, 'policy', tampered)));

    expect(response.status).toBe(403);
    expect((await s3Error(response)).elements['StringToSign']).toBe(tampered);
  });

  it('names the first missing SigV4 field, as S3 does', async () => {
    const response = await post(formData(withoutField(signedForm(), 'x-amz-signature')));

    expect(response.status).toBe(400);
    const error = await s3Error(response);
    expect(error.code).toBe('InvalidArgument');
    expect(error.message).toBe(
      "Bucket POST must contain a field named 'X-Amz-Signature'.  If it is specified, please check the order of the fields.",
    );
    expect(error.elements['ArgumentName']).toBe('X-Amz-Signature');
  });

  it('refuses an algorithm other than AWS4-HMAC-SHA256', async () => {
    const response = await post(formData(withField(signedForm(), 'x-amz-algorithm', 'AWS4-HMAC-SHA512')));

    expect(response.status).toBe(400);
    const error = await s3Error(response);
    expect(error.code).toBe('InvalidArgument');
    expect(error.elements['ArgumentName']).toBe('X-Amz-Algorithm');
  });

  it('refuses a malformed credential, naming its fault', async () => {
    const fields = withField(signedForm(), 'x-amz-credential', `${ACCESS_KEY_ID}/20250601/us-east-1/s4/aws4_request`);
    const response = await post(formData(fields));

    expect(response.status).toBe(400);
    const error = await s3Error(response);
    expect(error.code).toBe('InvalidArgument');
    expect(error.message).toBe('incorrect service "s4". This endpoint belongs to "s3".');
    expect(error.elements['ArgumentName']).toBe('X-Amz-Credential');
  });

  it('refuses a credential scoped to another region, saying which region the bucket is in', async () => {
    const fields = signedForm({ region: 'eu-west-1' });
    const response = await post(formData(fields));

    expect(response.status).toBe(400);
    const error = await s3Error(response);
    expect(error.code).toBe('InvalidArgument');
    expect(error.message).toBe("the region 'eu-west-1' is wrong; expecting 'us-east-1'");
    expect(error.elements['Region']).toBe('us-east-1');
    expect(error.elements['ArgumentValue']).toBe(fieldValue(fields, 'x-amz-credential'));
  });

  it('refuses an access key it does not know', async () => {
    const response = await post(formData(signedForm({ accessKeyId: 'AKIAUNKNOWN' })));

    expect(response.status).toBe(403);
    const error = await s3Error(response);
    expect(error.code).toBe('InvalidAccessKeyId');
    expect(error.message).toBe('The AWS Access Key Id you provided does not exist in our records.');
    expect(error.elements['AWSAccessKeyId']).toBe('AKIAUNKNOWN');
  });

  it('treats a form without signing fields as anonymous, which a private bucket refuses', async () => {
    const response = await post(formData([['key', 'a.txt']]));

    expect(response.status).toBe(403);
    const error = await s3Error(response);
    expect([error.code, error.message]).toEqual(['AccessDenied', 'Access Denied']);
  });
});

describe('session credentials', () => {
  const TOKEN = 'FwoGZXIvYXdzEXAMPLETOKEN==';
  function useTemporaryCredential() {
    return use({ credentials: [{ accessKeyId: 'ASIATEMPORARY', secretAccessKey: SECRET, sessionToken: TOKEN }] });
  }

  it('accepts the form when it carries the session token and the policy covers it', async () => {
    const emulator = useTemporaryCredential();
    const response = await post(formData(signedForm({ accessKeyId: 'ASIATEMPORARY', sessionToken: TOKEN })));

    expect(response.status).toBe(204);
    expect(emulator.store.getObject(BUCKET, 'photos/cat.png')).toBeDefined();
  });

  it('does not know the temporary key id without its token', async () => {
    useTemporaryCredential();
    const response = await post(formData(signedForm({ accessKeyId: 'ASIATEMPORARY' })));

    expect(response.status).toBe(403);
    expect((await s3Error(response)).code).toBe('InvalidAccessKeyId');
  });

  it('refuses a wrong token', async () => {
    useTemporaryCredential();
    const response = await post(formData(signedForm({ accessKeyId: 'ASIATEMPORARY', sessionToken: 'stale' })));

    expect(response.status).toBe(400);
    expect((await s3Error(response)).code).toBe('InvalidToken');
  });
});

describe('SigV2 (AWSAccessKeyId + signature)', () => {
  function v2Form(secret = SECRET) {
    const policy = encodePolicy({
      expiration: '2025-06-01T13:00:00.000Z',
      conditions: [{ bucket: BUCKET }, { key: 'old/way.txt' }],
    });
    return formData([
      ['key', 'old/way.txt'],
      ['AWSAccessKeyId', ACCESS_KEY_ID],
      ['policy', policy],
      ['signature', signPolicyV2(policy, secret)],
    ]);
  }

  it('is refused by default, like a region that only speaks SigV4', async () => {
    const response = await post(v2Form());

    expect(response.status).toBe(400);
    const error = await s3Error(response);
    expect(error.code).toBe('InvalidRequest');
    expect(error.message).toBe(
      'The authorization mechanism you have provided is not supported. Please use AWS4-HMAC-SHA256.',
    );
  });

  it('is verified as base64 HMAC-SHA1 when allowSignatureV2 is set; its credential fields need no condition', async () => {
    const emulator = use({ allowSignatureV2: true });

    expect((await post(v2Form())).status).toBe(204);
    expect(emulator.store.getObject(BUCKET, 'old/way.txt')).toBeDefined();
    const wrong = await post(v2Form('wrong secret'));
    expect(wrong.status).toBe(403);
    expect((await s3Error(wrong)).code).toBe('SignatureDoesNotMatch');
  });
});
