// The POST policy, applied as S3 applies it: expiry, conditions, coverage of every field, size range.
// https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-HTTPPOSTConstructPolicy.html

import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createS3Emulator } from '../../mocks';
import { BUCKET, emulatorOptions, formData, post, s3Error, signedForm, signingConditions, type Fields } from './fixtures';

const s3 = createS3Emulator(emulatorOptions());
const server = setupServer(...s3.handlers);
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => s3.store.clear());
afterAll(() => server.close());

async function expectRefusal(response: Response, status: number, code: string, message: string) {
  expect(response.status).toBe(status);
  const error = await s3Error(response);
  expect([error.code, error.message]).toEqual([code, message]);
  expect(s3.store.listObjects(BUCKET)).toEqual([]);
  return error;
}

const KEY: Fields = [['key', 'photos/cat.png']];

describe('expiration', () => {
  it('refuses a policy that expired before now', async () => {
    const response = await post(formData(signedForm({ expiration: '2025-06-01T11:59:59.000Z' })));
    await expectRefusal(response, 403, 'AccessDenied', 'Invalid according to Policy: Policy expired.');
  });

  it('accepts a policy until its expiration', async () => {
    const response = await post(formData(signedForm({ expiration: '2025-06-01T12:00:01Z' })));
    expect(response.status).toBe(204);
  });
});

describe('conditions', () => {
  it('refuses a field that fails an eq condition, quoting the condition as S3 does', async () => {
    const fields = signedForm({
      fields: [...KEY, ['acl', 'public-read']],
      extraConditions: [['eq', '$acl', 'private']],
    });
    await expectRefusal(
      await post(formData(fields)),
      403,
      'AccessDenied',
      'Invalid according to Policy: Policy Condition failed: ["eq", "$acl", "private"]',
    );
  });

  it('refuses a field that fails a starts-with condition', async () => {
    const fields = signedForm({
      fields: [['key', 'other/cat.png']],
      conditions: [{ bucket: BUCKET }, ['starts-with', '$key', 'photos/'], ...signingConditions()],
    });
    await expectRefusal(
      await post(formData(fields)),
      403,
      'AccessDenied',
      'Invalid according to Policy: Policy Condition failed: ["starts-with", "$key", "photos/"]',
    );
  });

  it('refuses a field that fails an exact-match object condition', async () => {
    const fields = signedForm({
      fields: [...KEY, ['Content-Type', 'text/html']],
      conditions: [{ bucket: BUCKET }, { key: 'photos/cat.png' }, { 'Content-Type': 'image/png' }, ...signingConditions()],
    });
    await expectRefusal(
      await post(formData(fields)),
      403,
      'AccessDenied',
      'Invalid according to Policy: Policy Condition failed: ["eq", "$Content-Type", "image/png"]',
    );
  });

  it('refuses an upload to a bucket other than the one the policy names', async () => {
    const emulator = createS3Emulator(emulatorOptions({ buckets: [BUCKET, 'other-bucket'] }));
    const response = await emulator.handle(
      new Request(`${emulatorOptions().endpoint}/other-bucket`, { method: 'POST', body: formData(signedForm()) }),
    );
    expect(response?.status).toBe(403);
    expect(response && (await s3Error(response)).message).toBe(
      `Invalid according to Policy: Policy Condition failed: ["eq", "$bucket", "${BUCKET}"]`,
    );
    expect(emulator.store.listObjects('other-bucket')).toEqual([]);
  });

  it('matches field names case-insensitively and values exactly', async () => {
    const fields = signedForm({
      fields: [['KEY', 'photos/cat.png'], ['content-type', 'image/png']],
      conditions: [{ bucket: BUCKET }, ['starts-with', '$Key', 'photos/'], { 'Content-Type': 'image/png' }, ...signingConditions()],
    });
    expect((await post(formData(fields))).status).toBe(204);
    expect(s3.store.getObject(BUCKET, 'photos/cat.png')?.contentType).toBe('image/png');
  });
});

describe('fields the policy does not cover', () => {
  it('refuses them, listing their names', async () => {
    const fields = signedForm();
    const form = formData([['x-amz-meta-note', 'hi'], ['Cache-Control', 'no-store'], ...fields]);
    await expectRefusal(
      await post(form),
      403,
      'AccessDenied',
      'Invalid according to Policy: Extra input fields: x-amz-meta-note, cache-control',
    );
  });

  it('ignores x-ignore- fields and everything after the file', async () => {
    const form = formData([['x-ignore-tracking', '1'], ...signedForm()], {}, [['submit', 'Upload']]);
    expect((await post(form)).status).toBe(204);
  });
});

describe('content-length-range', () => {
  function sized(size: number) {
    const fields = signedForm({ extraConditions: [['content-length-range', 10, 20]] });
    return post(formData(fields, { body: new Uint8Array(size) }));
  }

  it('accepts both bounds: they are inclusive', async () => {
    expect((await sized(10)).status).toBe(204);
    expect((await sized(20)).status).toBe(204);
  });

  it('refuses one byte over the maximum with EntityTooLarge', async () => {
    const error = await expectRefusal(
      await sized(21),
      400,
      'EntityTooLarge',
      'Your proposed upload exceeds the maximum allowed size',
    );
    expect(error.elements).toMatchObject({ ProposedSize: '21', MaxSizeAllowed: '20' });
  });

  it('refuses one byte under the minimum with EntityTooSmall', async () => {
    const error = await expectRefusal(
      await sized(9),
      400,
      'EntityTooSmall',
      'Your proposed upload is smaller than the minimum allowed size',
    );
    expect(error.elements).toMatchObject({ ProposedSize: '9', MinSizeAllowed: '10' });
  });
});

describe('the policy document', () => {
  it('refuses a signed policy that is not a valid document with InvalidPolicyDocument, saying what is wrong', async () => {
    const policy = btoa('{"expiration": "soon", "conditions": []}');
    const response = await post(formData(signedForm({ policy })));

    expect(response.status).toBe(400);
    const error = await s3Error(response);
    expect(error.code).toBe('InvalidPolicyDocument');
    expect(error.message).toMatch(/^Invalid Policy: The policy's "expiration" must be an ISO 8601 UTC time/);
  });

  it('checks the signature before reading the policy, as S3 does', async () => {
    const response = await post(formData(signedForm({ policy: btoa('not json'), secret: 'wrong' })));
    expect((await s3Error(response)).code).toBe('SignatureDoesNotMatch');
  });
});
