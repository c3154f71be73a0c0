// Header signing, as Fine Uploader's v4 chunking does it: the kit builds each S3 request of the
// multipart upload and its SigV4 canonical request, the app's backend checks that canonical request and
// signs the string to sign, and S3 (the emulator, which verifies SigV4 exactly) accepts or refuses.
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createS3Emulator } from '../../../../mocks/index';
import {
  PolicyAnswerError,
  S3ResponseError,
  startMultipartUpload,
  type HeaderSigningOptions,
  type HeaderSigningRequest,
  type MultipartOptions,
} from '../../../../src/index';
import { multipartEtag, sameBytes } from '../../../mocks/multipart-fixtures';
import { CREDENTIALS } from '../../../support/aws-signer';
import { BUCKET, ENDPOINT, REGION } from '../../../support/backends';
import { isolateXhrResponseHeaders, PART_SIZE, requestLog, threePartFile } from '../../../support/multipart-fixtures';
import { SIGN_HEADERS_URL, signingHandler, verifyAndSign, type Verdict } from '../../../support/multipart-signing-backend';

const s3 = createS3Emulator({ endpoint: ENDPOINT, region: REGION, buckets: [BUCKET], credentials: [CREDENTIALS] });
const verdicts: Verdict[] = [];
const server = setupServer(...s3.handlers, signingHandler({}, verdicts));
beforeAll(() => {
  isolateXhrResponseHeaders();
  server.listen({ onUnhandledRequest: 'error' });
});
beforeEach(() => {
  s3.store.clear();
  verdicts.length = 0;
});
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

const signing: HeaderSigningOptions = {
  signatureEndpoint: { url: SIGN_HEADERS_URL, headers: { 'X-CSRF-Token': 'csrf-1' } },
  bucket: BUCKET,
  region: REGION,
  accessKeyId: CREDENTIALS.accessKeyId,
};

function options(overrides: Partial<HeaderSigningOptions> = {}, extra: Partial<MultipartOptions> = {}): MultipartOptions {
  return { backend: { signHeaders: { ...signing, ...overrides } }, partSize: PART_SIZE, resume: false, retry: { baseDelayMs: 1 }, ...extra };
}

const parts = (bytes: Uint8Array) => [bytes.subarray(0, PART_SIZE), bytes.subarray(PART_SIZE, 2 * PART_SIZE), bytes.subarray(2 * PART_SIZE)];

describe('with the verifying backend of test/support', () => {
  it('uploads three parts: every request built by the kit, checked and signed by the backend, accepted by S3', async () => {
    const { file, bytes } = threePartFile();
    const from = s3.requests.length;
    const result = await startMultipartUpload(file, { multipart: options(), key: 'uploads/${filename}', metadata: { Owner: 'ada' } }).promise;

    expect(result).toMatchObject({ bucket: BUCKET, key: 'uploads/movie.mp4', etag: multipartEtag(parts(bytes)).slice(1, -1), status: 200, warnings: [] });
    expect(result.location).toBe(`https://${BUCKET}.s3.${REGION}.amazonaws.com/uploads%2Fmovie.mp4`);
    const stored = s3.store.getObject(BUCKET, 'uploads/movie.mp4');
    expect(sameBytes(stored?.body, bytes)).toBe(true);
    expect(stored).toMatchObject({ contentType: 'video/mp4', metadata: { owner: 'ada' } });
    expect(requestLog(s3.requests, from).sort()).toEqual(
      ['POST ?uploads 200', 'PUT ?partNumber&uploadId 200', 'PUT ?partNumber&uploadId 200', 'PUT ?partNumber&uploadId 200', 'POST ?uploadId 200'].sort(),
    );
    expect(verdicts).toHaveLength(5);
    expect(verdicts.every((verdict) => verdict.ok)).toBe(true);
  });

  it('the backend refuses a key outside its prefix, and nothing reaches S3', async () => {
    const { file } = threePartFile();
    const from = s3.requests.length;
    const error = await startMultipartUpload(file, { multipart: options(), key: 'private/${filename}' }).promise.catch((caught: unknown) => caught);

    expect(error).toBeInstanceOf(PolicyAnswerError);
    expect(error).toMatchObject({ code: 'backend-http-error', status: 403 });
    expect(String(error)).toContain('the key private/movie.mp4 is outside uploads/');
    expect(s3.requests.length).toBe(from);
  });

  it('the backend refuses another bucket', async () => {
    const { file } = threePartFile();
    const error = await startMultipartUpload(file, { multipart: options({ bucket: 'invoices' }), key: 'uploads/${filename}' }).promise.catch((caught: unknown) => caught);
    expect(error).toMatchObject({ code: 'backend-http-error', status: 403 });
    expect(String(error)).toContain('is not in the bucket photos');
  });

  it('the backend refuses a string to sign that is not the hash of the canonical request sent with it', () => {
    const verdict = verifyAndSign({
      stringToSign: `AWS4-HMAC-SHA256\n20250601T120000Z\n20250601/${REGION}/s3/aws4_request\n${'0'.repeat(64)}`,
      canonicalRequest: `POST\n/uploads/a\nuploads=\nhost:${BUCKET}.s3.${REGION}.amazonaws.com\n\nhost\nx`,
      headers: '',
    });
    expect(verdict).toEqual({ ok: false, reason: 'the string to sign is not the hash of the canonical request' });
  });

  it('path-style, when the endpoint names the bucket in its path', async () => {
    const { file, bytes } = threePartFile();
    const from = s3.requests.length;
    await startMultipartUpload(file, { multipart: options({ endpoint: `${ENDPOINT}/${BUCKET}` }), key: 'uploads/a b+c.mp4' }).promise;
    expect(sameBytes(s3.store.getObject(BUCKET, 'uploads/a b+c.mp4')?.body, bytes)).toBe(true);
    expect(s3.requests.slice(from).every(({ url }) => url.startsWith(`${ENDPOINT}/${BUCKET}/uploads/a%20b%2Bc.mp4?`))).toBe(true);
  });

  it('a signing function of the app, given the string to sign, the canonical request and the Fine Uploader headers', async () => {
    const { file, bytes } = threePartFile();
    const seen: HeaderSigningRequest[] = [];
    const signer = async (request: HeaderSigningRequest) => {
      seen.push(request);
      const verdict = verifyAndSign(request);
      if (!verdict.ok) throw new Error(verdict.reason);
      return { signature: verdict.signature };
    };
    await startMultipartUpload(file, { multipart: options({ signatureEndpoint: signer }), key: 'uploads/${filename}' }).promise;
    expect(sameBytes(s3.store.getObject(BUCKET, 'uploads/movie.mp4')?.body, bytes)).toBe(true);

    const create = seen.find((request) => request.canonicalRequest.startsWith('POST\n/uploads/movie.mp4\nuploads=\n'));
    expect(create?.canonicalRequest.split('\n').slice(3, -3)).toEqual([
      'content-type:video/mp4',
      `host:${BUCKET}.s3.${REGION}.amazonaws.com`,
      'x-amz-content-sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
      expect.stringMatching(/^x-amz-date:\d{8}T\d{6}Z$/),
    ]);
    const part = seen.find((request) => request.canonicalRequest.startsWith('PUT\n'));
    expect(part?.canonicalRequest.split('\n').at(-1)).toBe('UNSIGNED-PAYLOAD');
    // Fine Uploader's "headers": the string to sign with the canonical request in place of its hash.
    expect(part?.headers).toBe(`${part?.stringToSign.split('\n').slice(0, 3).join('\n')}\n${part?.canonicalRequest}`);
  });

  it('an uppercase hex signature is lowered, with a warning', async () => {
    server.use(signingHandler({ uppercase: true }));
    const { file } = threePartFile();
    const result = await startMultipartUpload(file, { multipart: options(), key: 'uploads/${filename}' }).promise;
    expect(result.warnings).toEqual([expect.objectContaining({ code: 'signature-uppercase-hex' })]);
  });

  it.each(['crc32', 'sha256'] as const)('%s checksums: declared, signed into each part, listed at complete', async (checksum) => {
    const { file, bytes } = threePartFile();
    await startMultipartUpload(file, { multipart: options({}, { checksum }), key: 'uploads/${filename}' }).promise;
    expect(sameBytes(s3.store.getObject(BUCKET, 'uploads/movie.mp4')?.body, bytes)).toBe(true);
  });

  it('a backend signing with the wrong secret: S3 refuses, and the error carries the canonical request S3 checked', async () => {
    server.use(signingHandler({ credentials: { accessKeyId: CREDENTIALS.accessKeyId, secretAccessKey: 'not-the-secret' } }));
    const { file } = threePartFile();
    const error = await startMultipartUpload(file, { multipart: options(), key: 'uploads/${filename}' }).promise.catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(S3ResponseError);
    const s3Error = error instanceof S3ResponseError ? error : undefined;
    expect(s3Error?.code).toBe('SignatureDoesNotMatch');
    expect(s3Error?.s3.canonicalRequest).toMatch(/^POST\n\/uploads\/movie\.mp4\nuploads=\n/);
    expect(s3Error?.hint).toContain('header-signed request');
  });
});

describe("a device clock S3 finds too far off", () => {
  it('corrects it from S3\'s ServerTime and signs again (RequestTimeTooSkewed)', async () => {
    const ahead = createS3Emulator({
      endpoint: ENDPOINT,
      region: REGION,
      buckets: [BUCKET],
      credentials: [CREDENTIALS],
      now: () => new Date(Date.now() + 60 * 60 * 1000),
    });
    server.use(...ahead.handlers);
    const { file, bytes } = threePartFile();
    await startMultipartUpload(file, { multipart: options(), key: 'uploads/${filename}' }).promise;
    expect(sameBytes(ahead.store.getObject(BUCKET, 'uploads/movie.mp4')?.body, bytes)).toBe(true);
    expect(requestLog(ahead.requests)[0]).toBe('POST ?uploads 403 RequestTimeTooSkewed');
    expect(requestLog(ahead.requests).filter((line) => line.includes('403'))).toHaveLength(1);
  });
});
