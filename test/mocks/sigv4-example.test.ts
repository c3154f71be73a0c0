// AWS's published SigV4 POST example, byte for byte: the emulator must accept its form.
// https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-post-example.html

import { setupServer } from 'msw/node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createS3Emulator } from '../../mocks';
import { s3Error, type Fields } from './fixtures';
import { md5Hex, signPolicy } from '../support/aws-signer';

const SECRET = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';
// The page's base64 policy (648 bytes of JSON with CRLF line ends), as signed.
const POLICY =
  'eyAiZXhwaXJhdGlvbiI6ICIyMDE1LTEyLTMwVDEyOjAwOjAwLjAwMFoiLA0KICAiY29uZGl0aW9ucyI6IFsNCiAgICB7ImJ1Y2tldCI6ICJzaWd2NGV4YW1wbGVidWNrZXQifSwNCiAgICBbInN0YXJ0cy13aXRoIiwgIiRrZXkiLCAidXNlci91c2VyMS8iXSwNCiAgICB7ImFjbCI6ICJwdWJsaWMtcmVhZCJ9LA0KICAgIHsic3VjY2Vzc19hY3Rpb25fcmVkaXJlY3QiOiAiaHR0cDovL3NpZ3Y0ZXhhbXBsZWJ1Y2tldC5zMy5hbWF6b25hd3MuY29tL3N1Y2Nlc3NmdWxfdXBsb2FkLmh0bWwifSwNCiAgICBbInN0YXJ0cy13aXRoIiwgIiRDb250ZW50LVR5cGUiLCAiaW1hZ2UvIl0sDQogICAgeyJ4LWFtei1tZXRhLXV1aWQiOiAiMTQzNjUxMjM2NTEyNzQifSwNCiAgICB7IngtYW16LXNlcnZlci1zaWRlLWVuY3J5cHRpb24iOiAiQUVTMjU2In0sDQogICAgWyJzdGFydHMtd2l0aCIsICIkeC1hbXotbWV0YS10YWciLCAiIl0sDQoNCiAgICB7IngtYW16LWNyZWRlbnRpYWwiOiAiQUtJQUlPU0ZPRE5ON0VYQU1QTEUvMjAxNTEyMjkvdXMtZWFzdC0xL3MzL2F3czRfcmVxdWVzdCJ9LA0KICAgIHsieC1hbXotYWxnb3JpdGhtIjogIkFXUzQtSE1BQy1TSEEyNTYifSwNCiAgICB7IngtYW16LWRhdGUiOiAiMjAxNTEyMjlUMDAwMDAwWiIgfQ0KICBdDQp9';
const SIGNATURE = '8afdbf4008c03f22c2cd3cdb72e4afbb1f6a588f3255ac628749a66d7f09699e';
const REDIRECT = 'http://sigv4examplebucket.s3.amazonaws.com/successful_upload.html';

// The page's form, in its order and spelling (X-Amz-* capitalised against lower-case conditions).
function exampleFields(signature = SIGNATURE): Fields {
  return [
    ['key', 'user/user1/${filename}'],
    ['acl', 'public-read'],
    ['success_action_redirect', REDIRECT],
    ['Content-Type', 'image/jpeg'],
    ['x-amz-meta-uuid', '14365123651274'],
    ['x-amz-server-side-encryption', 'AES256'],
    ['X-Amz-Credential', 'AKIAIOSFODNN7EXAMPLE/20151229/us-east-1/s3/aws4_request'],
    ['X-Amz-Algorithm', 'AWS4-HMAC-SHA256'],
    ['X-Amz-Date', '20151229T000000Z'],
    ['x-amz-meta-tag', ''],
    ['Policy', POLICY],
    ['X-Amz-Signature', signature],
  ];
}

function exampleForm(signature?: string): FormData {
  const form = new FormData();
  for (const [name, value] of exampleFields(signature)) form.append(name, value);
  form.append('file', new File(['JPEG bytes'], 'photo.jpg', { type: 'image/jpeg' }));
  form.append('submit', 'Upload to Amazon S3'); // after the file: S3 ignores it, so the policy need not cover it
  return form;
}

const s3 = createS3Emulator({
  endpoint: 'https://s3.us-east-1.amazonaws.com',
  buckets: ['sigv4examplebucket'],
  credentials: [{ accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: SECRET }],
  now: () => new Date('2015-12-29T12:00:00Z'),
});
const server = setupServer(...s3.handlers);
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterAll(() => server.close());

const BUCKET_URL = 'https://sigv4examplebucket.s3.us-east-1.amazonaws.com/';

describe("AWS's SigV4 POST example", () => {
  it('has the published signature under an independent HMAC', () => {
    expect(signPolicy(POLICY, SECRET, '20151229', 'us-east-1')).toBe(SIGNATURE);
  });

  it('is accepted with the published signature and stored under the expanded key', async () => {
    const response = await fetch(BUCKET_URL, { method: 'POST', body: exampleForm(), redirect: 'manual' });

    expect(response.status).toBe(303);
    const etag = `"${md5Hex('JPEG bytes')}"`;
    expect(response.headers.get('location')).toBe(
      `${REDIRECT}?bucket=sigv4examplebucket&key=user%2Fuser1%2Fphoto.jpg&etag=${encodeURIComponent(etag)}`,
    );
    const stored = s3.store.getObject('sigv4examplebucket', 'user/user1/photo.jpg');
    expect(stored).toMatchObject({
      contentType: 'image/jpeg',
      metadata: { uuid: '14365123651274', tag: '' },
      etag,
    });
    expect(new TextDecoder().decode(stored?.body)).toBe('JPEG bytes');
  });

  it('is refused when one hex digit of the signature differs', async () => {
    const wrong = `${SIGNATURE.slice(0, -1)}f`;
    const response = await fetch(BUCKET_URL, { method: 'POST', body: exampleForm(wrong), redirect: 'manual' });

    expect(response.status).toBe(403);
    const error = await s3Error(response);
    expect(error.code).toBe('SignatureDoesNotMatch');
    expect(error.elements['StringToSign']).toBe(POLICY);
    expect(error.elements['SignatureProvided']).toBe(wrong);
  });

  it('is refused a day after the policy expired', async () => {
    const later = createS3Emulator({
      endpoint: 'https://s3.us-east-1.amazonaws.com',
      buckets: ['sigv4examplebucket'],
      credentials: [{ accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: SECRET }],
      now: () => new Date('2015-12-31T00:00:00Z'),
    });
    const response = await later.handle(new Request(BUCKET_URL, { method: 'POST', body: exampleForm() }));

    expect(response?.status).toBe(403);
    expect(response && (await s3Error(response)).message).toBe('Invalid according to Policy: Policy expired.');
  });
});
