// @vitest-environment node
// The demo backend's header signing (/api/sign-headers, Fine Uploader's v4 contract): the kit builds
// every S3 request of a multipart upload, the backend checks its canonical request and signs, and the
// embedded S3 verifies the signature as S3 does. Whatever is not one of the five multipart operations
// on the demo's bucket under uploads/, dated now, is refused with a 403 that says why.
import { createHmac, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startMultipartUpload, type MultipartOptions } from '../../src/index';
import { formatAmzDate } from '../../src/core/policy/credential';
import { canonicalize, fineUploaderHeaders, stringToSign, UNSIGNED_PAYLOAD } from '../../src/core/multipart/backends/canonical-request';
import type { DemoConfig } from '../../demo/server/config';
import { signingKey } from '../support/aws-signer';
import { MIB, openBrowserPage, PART_SIZE, postApi, sameBytes, startMultipartDemo, type BrowserPage, type MultipartDemo } from './multipart-support';

let demo: MultipartDemo;
let page: BrowserPage;
let config: DemoConfig;
beforeAll(async () => {
  demo = await startMultipartDemo();
  page = openBrowserPage();
  config = demo.api.config;
});
afterAll(async () => {
  await page.close();
  await demo.stop();
});
beforeEach(() => demo.s3.emulator.store.clear());

function signHeaders(extra: Partial<MultipartOptions> = {}): MultipartOptions {
  return {
    backend: {
      signHeaders: {
        signatureEndpoint: `${demo.apiOrigin}/api/sign-headers`,
        bucket: config.bucket,
        region: config.region,
        accessKeyId: config.accessKeyId,
        endpoint: config.endpoint,
      },
    },
    partSize: PART_SIZE,
    resume: false,
    retry: { baseDelayMs: 1 },
    ...extra,
  };
}

describe('POST /api/sign-headers with the kit\'s engine', () => {
  it('signs the five requests of a 12 MiB upload in three parts, S3 accepts each, and holds the same bytes', async () => {
    const { file, bytes } = page.file(12 * MIB);
    const key = `uploads/${randomUUID()}/\${filename}`;
    const result = await startMultipartUpload(file, { multipart: signHeaders(), key, metadata: { owner: 'ada' } }).promise;

    expect(result.key).toBe(key.replace('${filename}', 'movie.mp4'));
    expect(result.etag).toMatch(/^[0-9a-f]{32}-3$/);
    const stored = demo.s3.emulator.store.getObject('demo-bucket', result.key);
    expect(sameBytes(stored?.body, bytes)).toBe(true);
    expect(stored).toMatchObject({ contentType: 'video/mp4', metadata: { owner: 'ada' } });

    // The page then tells the backend, which checks the object S3 holds (Fine Uploader's "upload success").
    const finished = await postApi(demo, '/api/upload-finished', { key: result.key, bucket: result.bucket, etag: result.etag });
    expect(finished).toEqual({
      status: 200,
      json: { key: result.key, bucket: 'demo-bucket', etag: result.etag, size: 12 * MIB, contentType: 'video/mp4' },
    });
  });

  it('signs the part checksums the kit declares, and S3 checks the parts against them', async () => {
    const { file, bytes } = page.file(11 * MIB);
    const result = await startMultipartUpload(file, { multipart: signHeaders({ checksum: 'crc32' }), key: `uploads/${randomUUID()}/\${filename}` }).promise;
    expect(sameBytes(demo.s3.emulator.store.getObject('demo-bucket', result.key)?.body, bytes)).toBe(true);
  });

  it('refuses a key outside uploads/ before anything reaches S3', async () => {
    const { file } = page.file(6 * MIB);
    const from = demo.s3.emulator.requests.length;
    const error = await startMultipartUpload(file, { multipart: signHeaders(), key: 'private/${filename}' }).promise.catch((caught: unknown) => caught);
    expect(error).toMatchObject({ code: 'backend-http-error', status: 403 });
    expect(String(error)).toContain('Refused to sign: the key \\"private/movie.mp4\\" is not under \\"uploads/\\"');
    expect(demo.s3.emulator.requests.length).toBe(from);
  });
});

interface Signing {
  readonly method?: string;
  readonly url?: string;
  readonly headers?: ReadonlyArray<readonly [string, string]>;
  readonly payloadHash?: string;
  readonly date?: Date;
  readonly region?: string;
}

const objectUrl = (key = 'uploads/a1/movie.mp4', query = '?partNumber=1&uploadId=u1') => `${config.endpoint}${key}${query}`;

/** What the kit would POST to have this request signed. */
async function signingRequest(signing: Signing = {}): Promise<{ stringToSign: string; canonicalRequest: string; headers: string }> {
  const payloadHash = signing.payloadHash ?? UNSIGNED_PAYLOAD;
  const amzDate = formatAmzDate(signing.date ?? new Date());
  const scope = `${amzDate.slice(0, 8)}/${signing.region ?? config.region}/s3/aws4_request`;
  const { canonicalRequest } = canonicalize({
    method: signing.method ?? 'PUT',
    url: new URL(signing.url ?? objectUrl()),
    headers: [...(signing.headers ?? []), ['x-amz-content-sha256', payloadHash], ['x-amz-date', amzDate]],
    payloadHash,
  });
  const toSign = await stringToSign(amzDate, scope, canonicalRequest);
  return { stringToSign: toSign, canonicalRequest, headers: fineUploaderHeaders(toSign, canonicalRequest) };
}

async function refusal(body: unknown): Promise<string> {
  const { status, json } = await postApi(demo, '/api/sign-headers', body);
  expect(status, JSON.stringify(json)).toBe(403);
  return String(json['error']);
}

describe('what /api/sign-headers signs and refuses', () => {
  it('signs an UploadPart with the SigV4 signing key of the demo\'s secret', async () => {
    const body = await signingRequest();
    const { status, json } = await postApi(demo, '/api/sign-headers', body);
    const day = body.stringToSign.split('\n')[1]?.slice(0, 8) ?? '';
    const expected = createHmac('sha256', signingKey(demo.target.credentials.secretAccessKey, day, config.region)).update(body.stringToSign).digest('hex');
    expect({ status, json }).toEqual({ status: 200, json: { signature: expected } });
  });

  it('refuses another bucket on the same endpoint', async () => {
    const url = `${new URL(config.endpoint).origin}/invoices/uploads/a1/movie.mp4?partNumber=1&uploadId=u1`;
    expect(await refusal(await signingRequest({ url }))).toBe('Refused to sign: it is for the bucket "invoices", not demo-bucket.');
  });

  it('refuses another host', async () => {
    const url = 'https://demo-bucket.s3.us-east-1.amazonaws.com/uploads/a1/movie.mp4?partNumber=1&uploadId=u1';
    expect(await refusal(await signingRequest({ url }))).toBe(
      `Refused to sign: it is addressed to demo-bucket.s3.us-east-1.amazonaws.com, not to the bucket's endpoint ${new URL(config.endpoint).host}.`,
    );
  });

  it('refuses a key outside uploads/', async () => {
    expect(await refusal(await signingRequest({ url: objectUrl('private/payroll.xlsx') }))).toBe(
      'Refused to sign: the key "private/payroll.xlsx" is not under "uploads/", and the demo signs only keys under "uploads/".',
    );
  });

  it('refuses a GetObject and a PutObject: not multipart operations', async () => {
    const get = await signingRequest({ method: 'GET', url: objectUrl('uploads/a1/movie.mp4', ''), payloadHash: 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855' });
    expect(await refusal(get)).toBe(
      'Refused to sign: GET without a query is not a multipart upload operation (POST ?uploads, PUT ?partNumber&uploadId, GET ?uploadId, POST ?uploadId, DELETE ?uploadId).',
    );
    const put = await signingRequest({ method: 'PUT', url: objectUrl('uploads/a1/movie.mp4', '') });
    expect(await refusal(put)).toMatch(/^Refused to sign: PUT without a query is not a multipart upload operation/);
    const deleteObject = await signingRequest({ method: 'DELETE', url: objectUrl('uploads/a1/movie.mp4', ''), payloadHash: 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855' });
    expect(await refusal(deleteObject)).toMatch(/^Refused to sign: DELETE without a query is not a multipart upload operation/);
  });

  it('refuses an UploadPartCopy (an UploadPart with x-amz-copy-source), which would read another object', async () => {
    const copy = await signingRequest({ headers: [['x-amz-copy-source', '/demo-bucket/private/payroll.xlsx']] });
    expect(await refusal(copy)).toBe('Refused to sign: UploadPart may not sign the header x-amz-copy-source.');
  });

  it('refuses a CreateMultipartUpload that would make the object public', async () => {
    const create = await signingRequest({
      method: 'POST',
      url: objectUrl('uploads/a1/movie.mp4', '?uploads='),
      headers: [['x-amz-acl', 'public-read']],
      payloadHash: 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
    });
    expect(await refusal(create)).toBe('Refused to sign: CreateMultipartUpload may not sign the header x-amz-acl.');
  });

  it('refuses a string to sign whose hash is not the canonical request\'s', async () => {
    const honest = await signingRequest();
    const other = await signingRequest({ method: 'GET', url: objectUrl('private/payroll.xlsx', ''), payloadHash: 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855' });
    // The canonical request of an allowed UploadPart, sent with the string to sign of a GetObject elsewhere.
    expect(await refusal({ ...honest, stringToSign: other.stringToSign })).toBe(
      'Refused to sign: the last line of the string to sign is not the SHA-256 of the canonical request sent with it.',
    );
  });

  it('refuses a date more than 15 minutes off, and a scope of another day or region', async () => {
    const hourAgo = await signingRequest({ date: new Date(Date.now() - 60 * 60 * 1000) });
    expect(await refusal(hourAgo)).toMatch(/^Refused to sign: its date \d{8}T\d{6}Z is more than 15 minutes from the backend's clock/);

    const otherRegion = await signingRequest({ region: 'eu-west-1' });
    expect(await refusal(otherRegion)).toMatch(/^Refused to sign: its scope "\d{8}\/eu-west-1\/s3\/aws4_request" is not \d{8}\/us-east-1\/s3\/aws4_request/);

    const honest = await signingRequest();
    const [algorithm = '', amzDate = '', , hash = ''] = honest.stringToSign.split('\n');
    const yesterday = `19990101/${config.region}/s3/aws4_request`;
    expect(await refusal({ ...honest, stringToSign: [algorithm, amzDate, yesterday, hash].join('\n'), headers: undefined })).toMatch(
      /^Refused to sign: its scope "19990101\/us-east-1\/s3\/aws4_request" is not/,
    );
  });

  it('answers 400 to a body that is not a signing request', async () => {
    const { status, json } = await postApi(demo, '/api/sign-headers', { policy: 'eyJ9' });
    expect(status).toBe(400);
    expect(json['error']).toBe('Cannot sign: "stringToSign" and "canonicalRequest" must be strings; the kit sends { stringToSign, canonicalRequest, headers }.');
  });
});
