// End to end through the public API: a backend answers in one of the accepted shapes, the kit checks and
// sends the form, and the S3 emulator (which verifies signatures and policies as S3 does) stores the bytes.
import { createHash } from 'node:crypto';
import { http, HttpResponse, delay } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  NetworkError,
  PolicyViolationError,
  S3ResponseError,
  UploadAbortedError,
  prepareUpload,
  preparePost,
  requestSignedPost,
  reusePost,
  sendUpload,
  uploadFile,
  type PolicySource,
  type UploadProgress,
} from '../../src/index';
import { createS3Emulator } from '../../mocks/index';
import { CREDENTIALS, flatAnswer } from '../support/aws-signer';
import { APP, BUCKET, BUCKET_URL, ENDPOINT, REGION, backendHandlers, boto3Answer } from '../support/backends';

const s3 = createS3Emulator({ endpoint: ENDPOINT, region: REGION, buckets: [BUCKET], credentials: [CREDENTIALS] });
const server = setupServer(...s3.handlers, ...backendHandlers());
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
beforeEach(() => s3.store.clear());
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

function photo(bytes = 'PNG bytes \u{1F431}', name = 'cat.png'): File {
  return new File([bytes], name, { type: 'image/png' });
}

async function storedBytes(key: string): Promise<string> {
  const response = await fetch(`${ENDPOINT}/${BUCKET}/${key}`);
  expect(response.status).toBe(200);
  return new TextDecoder().decode(await response.arrayBuffer());
}

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => {
      throw new Error('expected the upload to fail');
    },
    (error: unknown) => error,
  );
}

describe('each backend shape uploads end to end', () => {
  it.each([
    ['aws-sdk', `${APP}/api/policy/aws-sdk`, 'uploads/cat.png'],
    ['boto3', `${APP}/api/policy/boto3`, 'uploads/cat.png'],
    ['flat', `${APP}/api/policy/flat`, 'flat/cat.png'],
  ])('%s', async (shape, url, key) => {
    const file = photo();
    const result = await uploadFile(file, { policy: url });
    expect(result).toMatchObject({ bucket: BUCKET, key, warnings: [] });
    expect(result.etag).toBe(createHash('md5').update(Buffer.from(await file.arrayBuffer())).digest('hex'));
    expect(await storedBytes(key)).toBe('PNG bytes \u{1F431}');
    expect(s3.store.getObject(BUCKET, key)?.contentType).toBe('image/png');
    const prepared = await prepareUpload(file, { policy: url });
    expect(prepared.shape).toBe(shape);
  });

  it('sign-my-policy, signed by the Python backend of the seed thread behind a CSRF-protected endpoint', async () => {
    const file = photo();
    const result = await uploadFile(file, {
      key: 'avatars/${filename}',
      metadata: { Owner: 'ana' },
      policy: {
        signPolicy: {
          signatureEndpoint: { url: `${APP}/s3/signature`, headers: { 'X-CSRF-Token': 'csrf-1' } },
          bucket: BUCKET,
          region: REGION,
          accessKeyId: CREDENTIALS.accessKeyId,
          acl: 'private',
          maxSize: 1024,
        },
      },
    });
    expect(result).toMatchObject({ bucket: BUCKET, key: 'avatars/cat.png', status: 201, warnings: [] });
    expect(s3.store.getObject(BUCKET, 'avatars/cat.png')?.metadata).toEqual({ owner: 'ana' });
    expect(await storedBytes('avatars/cat.png')).toBe('PNG bytes \u{1F431}');
  });

  it('a policy function of the app', async () => {
    let asked: unknown;
    const policy: PolicySource = async (file, request) => {
      asked = { name: file.name, request: { ...request, signal: undefined } };
      return boto3Answer(request);
    };
    const file = photo();
    const result = await uploadFile(file, { policy, key: 'wanted/${filename}' });
    expect(result.key).toBe('uploads/cat.png');
    expect(asked).toEqual({
      name: 'cat.png',
      request: { filename: 'cat.png', contentType: 'image/png', size: file.size, key: 'wanted/${filename}', signal: undefined },
    });
  });
});

describe('one signed policy, several files', () => {
  it('reusePost carries another file under a ${filename} policy', async () => {
    const post = await requestSignedPost(photo(), { policy: `${APP}/api/policy/boto3` });
    const dog = reusePost(post, photo('woof', 'dog.png'));
    expect(dog?.key).toBe('uploads/dog.png');
    if (dog) await sendUpload(dog);
    expect(await storedBytes('uploads/dog.png')).toBe('woof');
  });

  it('reusePost refuses a policy chosen for the first file, or close to expiry', async () => {
    const sdkPost = await requestSignedPost(photo(), { policy: `${APP}/api/policy/aws-sdk` });
    expect(reusePost(sdkPost, photo('woof', 'cat.png'))).toBeUndefined(); // exact key
    const boto3Post = await requestSignedPost(photo(), { policy: `${APP}/api/policy/boto3` });
    expect(reusePost(boto3Post, photo(), { now: new Date(boto3Post.document.expiration.getTime() - 60_000) })).toBeUndefined();
    const small = await requestSignedPost(photo(), { policy: `${APP}/api/policy/flat` });
    expect(reusePost(small, new File(['x'], 'notes.txt', { type: 'text/plain' }))).toBeUndefined(); // Content-Type fixed
  });

  it('preparePost checks the new file against the policy', async () => {
    const post = await requestSignedPost(photo(), { policy: `${APP}/api/policy/boto3` });
    expect(() => preparePost(post, new File([new Uint8Array(11 * 1024 * 1024)], 'big.bin'))).toThrow(PolicyViolationError);
  });
});

describe('keys from file names', () => {
  it('a name that tries to leave the folder, or hides its extension, stays one safe name under the prefix', async () => {
    const result = await uploadFile(photo('x', '../../etc/passwd\u202Egnp.sh'), { policy: `${APP}/api/policy/boto3` });
    expect(result.key).toBe('uploads/.._.._etc_passwdgnp.sh');
    expect(s3.store.getObject(BUCKET, 'uploads/.._.._etc_passwdgnp.sh')).toBeDefined();
  });

  it('a macOS (NFD) name is stored under the same key as the NFC one', async () => {
    const result = await uploadFile(photo('x', 'Re\u0301sume\u0301.png'), { policy: `${APP}/api/policy/boto3` });
    expect(result.key).toBe('uploads/R\u00e9sum\u00e9.png');
  });
});

describe('repairs it makes, and says so', () => {
  function answerWith(signature: (hex: string) => string) {
    return () => {
      const answer = flatAnswer({ url: BUCKET_URL, key: 'k.png', region: REGION, bucket: BUCKET });
      return Promise.resolve({ ...answer, signature: signature(answer.signature) });
    };
  }

  it('uppercase hex is lowered (the emulator, like S3, would refuse it as sent)', async () => {
    const result = await uploadFile(photo(), { policy: answerWith((hex) => hex.toUpperCase()) });
    expect(result.warnings[0]?.code).toBe('signature-uppercase-hex');
    expect(s3.store.getObject(BUCKET, 'k.png')).toBeDefined();
  });

  it('a base64 signature is converted to hex', async () => {
    const result = await uploadFile(photo(), { policy: answerWith((hex) => Buffer.from(hex, 'hex').toString('base64')) });
    expect(result.warnings[0]?.code).toBe('signature-base64');
    expect(s3.store.getObject(BUCKET, 'k.png')).toBeDefined();
  });
});

// Every check before sending, one bad backend answer each: test/core/policy/bad-backend-answers.test.ts.

describe('errors only S3 can find come back parsed, with a hint', () => {
  it('a wrong secret: SignatureDoesNotMatch, StringToSign equal to the policy sent', async () => {
    const answer = flatAnswer({
      url: BUCKET_URL,
      key: 'k',
      region: REGION,
      bucket: BUCKET,
      credentials: { ...CREDENTIALS, secretAccessKey: 'not-the-secret' },
    });
    const error = await rejection(uploadFile(photo(), { policy: async () => answer }));
    expect(error).toBeInstanceOf(S3ResponseError);
    const s3Error = error as S3ResponseError;
    expect(s3Error.code).toBe('SignatureDoesNotMatch');
    expect(s3Error.status).toBe(403);
    expect(s3Error.s3.stringToSign).toBe(answer.policy);
    expect(s3Error.hint).toContain('secret');
    expect(s3Error.message).toContain('SignatureDoesNotMatch');
  });

  it('an unknown access key id', async () => {
    const answer = flatAnswer({ url: BUCKET_URL, key: 'k', region: REGION, credentials: { ...CREDENTIALS, accessKeyId: 'AKIANOTKNOWN' } });
    const error = await rejection(uploadFile(photo(), { policy: async () => answer }));
    expect(error).toMatchObject({ code: 'InvalidAccessKeyId', hint: expect.stringContaining('AKIANOTKNOWN') });
  });

  it('a bucket that does not exist', async () => {
    const url = `https://videos.s3.${REGION}.amazonaws.com/`;
    const answer = flatAnswer({ url, key: 'k', region: REGION, bucket: 'videos' });
    const error = await rejection(uploadFile(photo(), { policy: async () => answer }));
    expect(error).toMatchObject({ code: 'NoSuchBucket', hint: expect.stringContaining('videos') });
  });

  it('a policy that S3 finds expired while this device allowed for clock skew', async () => {
    const answer = flatAnswer({ url: BUCKET_URL, key: 'k', region: REGION, now: new Date(Date.now() - 120_000), expiresInSeconds: 60 });
    const error = await rejection(uploadFile(photo(), { policy: async () => answer }));
    expect(error).toMatchObject({ code: 'AccessDenied', s3: { message: 'Invalid according to Policy: Policy expired.' } });
    expect((error as S3ResponseError).hint).toMatch(/expir/i);
  });
});

describe('sending', () => {
  it('reports progress ending at 100%', async () => {
    const seen: UploadProgress[] = [];
    await uploadFile(photo(), { policy: `${APP}/api/policy/boto3`, onProgress: (p) => seen.push(p) });
    const last = seen.at(-1);
    expect(last && last.loaded === last.total && last.total > 0).toBe(true);
  });

  it('settles at once when aborted mid-upload, and a retry then succeeds', async () => {
    server.use(
      http.post(BUCKET_URL, async () => {
        await delay('infinite');
        return new HttpResponse(null, { status: 204 });
      }),
    );
    const controller = new AbortController();
    const prepared = await prepareUpload(photo(), { policy: `${APP}/api/policy/boto3` });
    const pending = sendUpload(prepared, { signal: controller.signal });
    await delay(20);
    controller.abort();
    expect(await rejection(pending)).toBeInstanceOf(UploadAbortedError);
    server.resetHandlers();
    await expect(sendUpload(prepared)).resolves.toMatchObject({ key: 'uploads/cat.png' });
  });

  it('settles when aborted while asking the backend for the policy', async () => {
    server.use(
      http.post(`${APP}/api/policy/slow`, async () => {
        await delay('infinite');
        return HttpResponse.json({});
      }),
    );
    const controller = new AbortController();
    const sentBefore = s3.requests.length;
    const pending = uploadFile(photo(), { policy: `${APP}/api/policy/slow`, signal: controller.signal });
    await delay(10);
    controller.abort();
    expect(await rejection(pending)).toMatchObject({ name: 'UploadAbortedError', message: expect.stringContaining('policy') });
    expect(s3.requests.length).toBe(sentBefore);
  });

  it('fails with a timeout as a network error', async () => {
    server.use(
      http.post(BUCKET_URL, async () => {
        await delay('infinite');
        return new HttpResponse(null, { status: 204 });
      }),
    );
    const error = await rejection(uploadFile(photo(), { policy: `${APP}/api/policy/boto3`, timeoutMs: 30 }));
    expect(error).toBeInstanceOf(NetworkError);
    expect(error).toMatchObject({ code: 'timeout' });
  });
});
