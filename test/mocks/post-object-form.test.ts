// The POST form itself and S3's answers to a good one.
// https://docs.aws.amazon.com/AmazonS3/latest/API/RESTObjectPOST.html

import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createS3Emulator } from '../../mocks';
import {
  BUCKET,
  BUCKET_URL,
  emulatorOptions,
  ENDPOINT,
  formData,
  post,
  s3Error,
  signedForm,
  signingConditions,
  withField,
  type Fields,
} from './fixtures';
import { md5Base64, md5Hex } from '../support/aws-signer';

const s3 = createS3Emulator(emulatorOptions());
const server = setupServer(...s3.handlers);
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => s3.store.clear());
afterAll(() => server.close());

/** A form whose policy covers `fields` exactly. */
function form(fields: Fields, file = {}) {
  return formData(signedForm({ fields }), file);
}

describe('the form', () => {
  it('needs a key field before the file', async () => {
    const signed = signedForm({ fields: [['key', 'late.txt']] }).filter(([name]) => name !== 'key');
    const response = await post(formData(signed, {}, [['key', 'late.txt']]));

    expect(response.status).toBe(400);
    const error = await s3Error(response);
    expect(error.code).toBe('InvalidArgument');
    expect(error.message).toBe(
      "Bucket POST must contain a field named 'key'.  If it is specified, please check the order of the fields.",
    );
    expect(error.elements['ArgumentName']).toBe('key');
  });

  it('needs a file', async () => {
    const response = await post(formData(signedForm(), null));

    expect(response.status).toBe(400);
    const error = await s3Error(response);
    expect([error.code, error.message]).toEqual(['InvalidArgument', 'POST requires exactly one file upload per request.']);
    expect(error.elements).toMatchObject({ ArgumentName: 'file', ArgumentValue: '0' });
  });

  it('must be multipart/form-data: anything else fails a precondition (412)', async () => {
    const body = new URLSearchParams(signedForm());
    const response = await fetch(BUCKET_URL, { method: 'POST', body });

    expect(response.status).toBe(412);
    const error = await s3Error(response);
    expect(error.code).toBe('PreconditionFailed');
    expect(error.elements['Condition']).toBe('Bucket POST must be of the enclosure-type multipart/form-data');
  });

  it('must be well-formed multipart', async () => {
    const response = await fetch(BUCKET_URL, {
      method: 'POST',
      headers: { 'Content-Type': 'multipart/form-data; boundary=abc' },
      body: 'this is not multipart',
    });

    expect(response.status).toBe(400);
    expect((await s3Error(response)).code).toBe('MalformedPOSTRequest');
  });

  it('must go to a bucket that exists', async () => {
    const response = await post(form([['key', 'a.txt']]), `${ENDPOINT}/no-such-bucket`);

    expect(response.status).toBe(404);
    const error = await s3Error(response);
    expect(error.code).toBe('NoSuchBucket');
    expect(error.elements['BucketName']).toBe('no-such-bucket');
  });

  it("must go to the bucket's URL, not the object's", async () => {
    const response = await post(form([['key', 'a.txt']]), `${BUCKET_URL}/a.txt`);

    expect(response.status).toBe(405);
    expect((await s3Error(response)).code).toBe('MethodNotAllowed');
  });

  it('keeps empty fields: a policy that does not cover one refuses it', async () => {
    const response = await post(formData([['x-amz-meta-empty', ''], ...signedForm()]));

    expect(response.status).toBe(403);
    expect((await s3Error(response)).message).toBe('Invalid according to Policy: Extra input fields: x-amz-meta-empty');
  });
});

describe('the stored object', () => {
  describe('${filename} in the key', () => {
    // Conditions see the expanded key, so the policy constrains the prefix.
    const fields = signedForm({
      fields: [['key', 'users/42/${filename}']],
      conditions: [{ bucket: BUCKET }, ['starts-with', '$key', 'users/42/'], ...signingConditions()],
    });

    it('is replaced by the file name', async () => {
      const response = await post(formData(fields, { name: 'holiday photo.jpg', body: 'jpeg' }));

      expect(response.status).toBe(204);
      expect(s3.store.getObject(BUCKET, 'users/42/holiday photo.jpg')?.body).toEqual(new TextEncoder().encode('jpeg'));
    });

    it('is checked after expansion: an exact condition on the template fails', async () => {
      const response = await post(form([['key', 'users/42/${filename}']], { name: 'a.jpg' }));

      expect(response.status).toBe(403);
      expect((await s3Error(response)).message).toBe(
        'Invalid according to Policy: Policy Condition failed: ["eq", "$key", "users/42/${filename}"]',
      );
    });
  });

  it('takes Content-Type and x-amz-meta-* from the fields, not from the file part', async () => {
    const fields: Fields = [['key', 'doc.pdf'], ['Content-Type', 'application/pdf'], ['X-Amz-Meta-Owner', 'Ada']];
    expect((await post(form(fields, { type: 'text/plain' }))).status).toBe(204);

    expect(s3.store.getObject(BUCKET, 'doc.pdf')).toMatchObject({
      contentType: 'application/pdf',
      metadata: { owner: 'Ada' },
    });
  });

  it('defaults to binary/octet-stream without a Content-Type field', async () => {
    await post(form([['key', 'raw.bin']]));
    expect(s3.store.getObject(BUCKET, 'raw.bin')?.contentType).toBe('binary/octet-stream');
  });

  it('checks a Content-MD5 field against the bytes', async () => {
    const good = await post(form([['key', 'a.txt'], ['Content-MD5', md5Base64('abc')]], { body: 'abc' }));
    expect(good.status).toBe(204);

    const bad = await post(form([['key', 'b.txt'], ['Content-MD5', md5Base64('abd')]], { body: 'abc' }));
    expect(bad.status).toBe(400);
    expect((await s3Error(bad)).code).toBe('BadDigest');
    expect(s3.store.getObject(BUCKET, 'b.txt')).toBeUndefined();
  });
});

describe('the answer to a good upload', () => {
  const etag = `"${md5Hex('hello, bucket')}"`;

  it('is 204 with ETag and Location (the key percent-encoded, "/" included) by default', async () => {
    const response = await post(form([['key', 'photos/cat 1.png']]));

    expect(response.status).toBe(204);
    expect(await response.text()).toBe('');
    expect(response.headers.get('etag')).toBe(etag);
    expect(response.headers.get('location')).toBe(`${BUCKET_URL}/photos%2Fcat%201.png`);
  });

  it('is 200 with an empty body for success_action_status 200', async () => {
    const response = await post(form([['key', 'a.png'], ['success_action_status', '200']]));

    expect(response.status).toBe(200);
    expect(await response.text()).toBe('');
  });

  it('is 201 with a PostResponse document for success_action_status 201', async () => {
    const response = await post(form([['key', 'photos/a&b.png'], ['success_action_status', '201']]));

    expect(response.status).toBe(201);
    expect(response.headers.get('content-type')).toBe('application/xml');
    expect(await response.text()).toBe(
      '<?xml version="1.0" encoding="UTF-8"?>\n<PostResponse>' +
        `<Location>${BUCKET_URL}/photos%2Fa%26b.png</Location><Bucket>${BUCKET}</Bucket>` +
        `<Key>photos/a&amp;b.png</Key><ETag>${etag}</ETag></PostResponse>`,
    );
  });

  it('is 204 for any other success_action_status', async () => {
    expect((await post(form([['key', 'a.png'], ['success_action_status', '404']]))).status).toBe(204);
  });

  it('is a 303 to success_action_redirect with bucket, key and quoted etag appended', async () => {
    const redirect = 'https://app.example.com/done?upload=7';
    const response = await post(form([['key', 'photos/cat.png'], ['success_action_redirect', redirect]]));

    expect(response.status).toBe(303);
    expect(response.headers.get('location')).toBe(
      `${redirect}&bucket=${BUCKET}&key=photos%2Fcat.png&etag=%22${md5Hex('hello, bucket')}%22`,
    );
  });

  it('ignores a redirect S3 cannot interpret as a URL', async () => {
    const response = await post(form([['key', 'a.png'], ['success_action_redirect', '/relative/path']]));
    expect(response.status).toBe(204);
  });
});

describe('bodies FormData cannot express', () => {
  const BOUNDARY = 'emulator-test-boundary';
  function rawPost(parts: Array<{ name: string; filename?: string; value: string }>): Promise<Response> {
    const body =
      parts
        .map(({ name, filename, value }) => {
          const disposition = `form-data; name="${name}"${filename === undefined ? '' : `; filename="${filename}"`}`;
          return `--${BOUNDARY}\r\nContent-Disposition: ${disposition}\r\n\r\n${value}\r\n`;
        })
        .join('') + `--${BOUNDARY}--\r\n`;
    return fetch(BUCKET_URL, {
      method: 'POST',
      headers: { 'Content-Type': `multipart/form-data; boundary=${BOUNDARY}` },
      body,
    });
  }
  const signing = (fields: Fields, conditions: unknown[]) =>
    signedForm({ fields, conditions: [{ bucket: BUCKET }, ...conditions, ...signingConditions()] }).map(
      ([name, value]) => ({ name, value }),
    );

  it('keeps ${filename} as it is when the file part has no filename (as S3 was seen to do)', async () => {
    const parts = signing([['key', 'text-${filename}']], [['starts-with', '$key', 'text-']]);
    const response = await rawPost([...parts, { name: 'file', value: 'typed into a textarea' }]);

    expect(response.status).toBe(204);
    expect(s3.store.getObject(BUCKET, 'text-${filename}')).toBeDefined();
  });

  it('joins repeated fields with commas, which the policy must then match', async () => {
    const parts = signing(
      [['key', 'tags.txt'], ['x-amz-meta-tag', 'Ninja,Stallman']],
      [{ key: 'tags.txt' }, { 'x-amz-meta-tag': 'Ninja,Stallman' }],
    ).flatMap((part) =>
      part.name === 'x-amz-meta-tag'
        ? [{ name: 'x-amz-meta-tag', value: 'Ninja' }, { name: 'X-Amz-Meta-Tag', value: 'Stallman' }]
        : [part],
    );
    const response = await rawPost([...parts, { name: 'file', filename: 't.txt', value: 'x' }]);

    expect(response.status).toBe(204);
    expect(s3.store.getObject(BUCKET, 'tags.txt')?.metadata).toEqual({ tag: 'Ninja,Stallman' });
  });
});

describe('virtual-hosted addressing', () => {
  it('serves https://<bucket>.<endpoint host>/ like the path-style bucket URL', async () => {
    const response = await post(form([['key', 'v.txt']]), `https://${BUCKET}.s3.us-east-1.amazonaws.com/`);

    expect(response.status).toBe(204);
    expect(response.headers.get('location')).toBe(`https://${BUCKET}.s3.us-east-1.amazonaws.com/v.txt`);
    expect(s3.store.getObject(BUCKET, 'v.txt')).toBeDefined();
  });
});

it('refuses a form whose fields before the file exceed 20 KB', async () => {
  const fields = withField(signedForm(), 'x-ignore-padding', 'x'.repeat(21 * 1024));
  const response = await post(formData(fields));

  expect(response.status).toBe(400);
  expect((await s3Error(response)).code).toBe('MaxPostPreDataLengthExceeded');
});
