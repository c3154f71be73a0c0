import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { NetworkError } from '../../../src/core/errors/NetworkError';
import { S3ResponseError } from '../../../src/core/errors/S3ResponseError';
import { isS3UploadError } from '../../../src/core/errors/S3UploadError';
import { UploadAbortedError } from '../../../src/core/errors/UploadAbortedError';
import { sendPost, type SendPostRequest } from '../../../src/core/transport/xhr-transport';

const BUCKET_URL = 'https://photos.s3.eu-west-1.amazonaws.com/';
const POLICY = btoa('{"expiration":"2025-06-01T13:00:00.000Z","conditions":[]}');
const FIELDS: ReadonlyArray<readonly [string, string]> = [
  ['key', 'uploads/${filename}'],
  ['Content-Type', 'image/png'],
  ['Policy', POLICY],
  ['X-Amz-Algorithm', 'AWS4-HMAC-SHA256'],
  ['X-Amz-Credential', 'AKIAIOSFODNN7EXAMPLE/20250601/eu-west-1/s3/aws4_request'],
  ['X-Amz-Date', '20250601T120000Z'],
  ['X-Amz-Signature', 'b1f6f1a5c0a9c1e4b5d44c6c8b7a9f0e3d2c1b0a99887766554433221100ffee'],
];
const BYTES = 'PNG bytes \u2713';
const ETAG = '"6805f2cfc46c0f04559748bb039d69ae"';

interface Stored {
  readonly fields: ReadonlyArray<readonly [string, string]>;
  readonly filename: string;
  readonly bytes: string;
}

/** What the fake bucket holds, by key. */
const bucket = new Map<string, Stored>();

type Answer = (key: string) => Response | Promise<Response>;

/**
 * A POST Object handler that reads the form the way S3 does (the file must be the last part, fields
 * before it, ${filename} replaced by the file part's filename), stores the object, then answers.
 */
function s3Post(answer: Answer) {
  return http.post(BUCKET_URL, async ({ request }) => {
    const entries = [...(await request.formData()).entries()];
    const last = entries.at(-1);
    if (!last || last[0] !== 'file' || typeof last[1] === 'string') {
      return s3ErrorResponse(400, 'MalformedPOSTRequest', 'The body of your POST request is not well-formed multipart/form-data.');
    }
    const file = last[1];
    const fields = entries.slice(0, -1).map(([name, value]) => [name, String(value)] as const);
    const key = (fields.find(([name]) => name === 'key')?.[1] ?? '').split('${filename}').join(file.name);
    bucket.set(key, { fields, filename: file.name, bytes: await file.text() });
    return answer(key);
  });
}

function s3ErrorResponse(status: number, code: string, message: string, extra = ''): Response {
  const body = `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code><Message>${message}</Message>${extra}<RequestId>4442587FB7D0A2F9</RequestId><HostId>host-id</HostId></Error>`;
  return new HttpResponse(body, { status, headers: { 'Content-Type': 'application/xml' } });
}

const server = setupServer();
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => {
  server.resetHandlers();
  bucket.clear();
});
afterAll(() => server.close());

function upload(overrides: Partial<SendPostRequest> = {}): SendPostRequest {
  return {
    url: BUCKET_URL,
    fields: FIELDS,
    file: new Blob([BYTES], { type: 'image/png' }),
    filename: 'cat photo.png',
    bucket: 'photos',
    key: 'uploads/cat photo.png',
    ...overrides,
  };
}

function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve = (): void => {};
  const promise = new Promise<void>((done) => {
    resolve = done;
  });
  return { promise, resolve };
}

describe('sendPost: what S3 stores', () => {
  it('sends the fields in order and the file last, with its filename and bytes', async () => {
    server.use(s3Post(() => new HttpResponse(null, { status: 204, headers: { ETag: ETAG } })));
    await sendPost(upload());
    const stored = bucket.get('uploads/cat photo.png');
    expect(stored?.fields).toEqual(FIELDS);
    expect(stored?.filename).toBe('cat photo.png');
    expect(stored?.bytes).toBe(BYTES);
  });
});

describe('sendPost: reading success answers', () => {
  it('204 with ETag and Location exposed: takes both, ETag without its quotes', async () => {
    const location = 'https://photos.s3.eu-west-1.amazonaws.com/uploads%2Fcat+photo.png';
    server.use(s3Post(() => new HttpResponse(null, { status: 204, headers: { ETag: ETAG, Location: location } })));
    await expect(sendPost(upload())).resolves.toEqual({
      bucket: 'photos',
      key: 'uploads/cat photo.png',
      location,
      etag: '6805f2cfc46c0f04559748bb039d69ae',
      status: 204,
      warnings: [],
    });
  });

  it('204 with the headers hidden by CORS: computes the location and says what to expose', async () => {
    server.use(s3Post(() => new HttpResponse(null, { status: 204 })));
    const result = await sendPost(upload());
    expect(result.location).toBe('https://photos.s3.eu-west-1.amazonaws.com/uploads/cat%20photo.png');
    expect(result.etag).toBeUndefined();
    expect(result.warnings.map((warning) => warning.code)).toEqual(['etag-not-exposed', 'location-not-exposed']);
    for (const warning of result.warnings) expect(warning.message).toContain('ExposeHeaders');
  });

  it('201: reads the PostResponse document, where S3 says which key it stored', async () => {
    server.use(
      s3Post((key) =>
        HttpResponse.xml(
          `<?xml version="1.0" encoding="UTF-8"?>\n<PostResponse><Location>https://photos.s3.eu-west-1.amazonaws.com/uploads%2Fcat+photo.png</Location><Bucket>photos</Bucket><Key>${key}</Key><ETag>&quot;6805f2cfc46c0f04559748bb039d69ae&quot;</ETag></PostResponse>`,
          { status: 201 },
        ),
      ),
    );
    const result = await sendPost(upload({ key: 'uploads/${filename}' }));
    expect(result).toEqual({
      bucket: 'photos',
      key: 'uploads/cat photo.png',
      location: 'https://photos.s3.eu-west-1.amazonaws.com/uploads%2Fcat+photo.png',
      etag: '6805f2cfc46c0f04559748bb039d69ae',
      status: 201,
      warnings: [],
    });
  });

  it('200: reads the headers, as for 204', async () => {
    server.use(s3Post(() => new HttpResponse(null, { status: 200, headers: { ETag: ETAG } })));
    const result = await sendPost(upload());
    expect(result).toMatchObject({ status: 200, etag: '6805f2cfc46c0f04559748bb039d69ae' });
    expect(result.warnings.map((warning) => warning.code)).toEqual(['location-not-exposed']);
  });

  it('303 to success_action_redirect: reads bucket, key and etag from the redirect URL', async () => {
    server.use(
      s3Post((key) => {
        const page = new URL('https://app.example/uploaded');
        page.search = new URLSearchParams({ bucket: 'photos', key, etag: ETAG }).toString();
        return new HttpResponse(null, { status: 303, headers: { Location: page.href } });
      }),
    );
    const result = await sendPost(upload({ bucket: undefined, key: 'uploads/${filename}' }));
    expect(result).toMatchObject({
      bucket: 'photos',
      key: 'uploads/cat photo.png',
      etag: '6805f2cfc46c0f04559748bb039d69ae',
      location: 'https://photos.s3.eu-west-1.amazonaws.com/uploads/cat%20photo.png',
    });
  });
});

describe('sendPost: failures', () => {
  it('S3 XML error: S3ResponseError with S3 evidence and a hint read from the fields sent', async () => {
    server.use(
      s3Post(() =>
        s3ErrorResponse(
          403,
          'SignatureDoesNotMatch',
          'The request signature we calculated does not match the signature you provided. Check your key and signing method.',
          `<AWSAccessKeyId>AKIAIOSFODNN7EXAMPLE</AWSAccessKeyId><StringToSign>${POLICY}</StringToSign><SignatureProvided>${FIELDS[6]?.[1]}</SignatureProvided>`,
        ),
      ),
    );
    const error = await sendPost(upload()).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(S3ResponseError);
    if (!(error instanceof S3ResponseError)) return;
    expect(isS3UploadError(error)).toBe(true);
    expect(error.name).toBe('S3ResponseError');
    expect(error.code).toBe('SignatureDoesNotMatch');
    expect(error.status).toBe(403);
    expect(error.message).toBe(
      `S3 refused the upload: SignatureDoesNotMatch (403) on POST ${BUCKET_URL}: The request signature we calculated does not match the signature you provided. Check your key and signing method.`,
    );
    expect(error.s3).toMatchObject({ stringToSign: POLICY, requestId: '4442587FB7D0A2F9', awsAccessKeyId: 'AKIAIOSFODNN7EXAMPLE' });
    expect(error.hint).toContain('exactly the policy sent');
    expect(error.hint).toContain('date (20250601)');
    expect(error.hint).toContain('region (eu-west-1)');
  });

  it('an answer that is not S3 XML: http-<status> with an excerpt of the body', async () => {
    server.use(s3Post(() => HttpResponse.html('<html><body><h1>502 Bad Gateway</h1></body></html>', { status: 502 })));
    const error = await sendPost(upload()).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(S3ResponseError);
    expect(error).toMatchObject({ code: 'http-502', status: 502, s3: { message: '502 Bad Gateway' } });
  });

  it('the bucket region from x-amz-bucket-region when the XML does not say', async () => {
    server.use(
      s3Post(() => {
        const response = s3ErrorResponse(301, 'PermanentRedirect', 'The bucket you are attempting to access must be addressed using the specified endpoint.', '<Bucket>photos</Bucket><Endpoint>photos.s3.ap-northeast-1.amazonaws.com</Endpoint>');
        response.headers.set('x-amz-bucket-region', 'ap-northeast-1');
        return response;
      }),
    );
    const error = await sendPost(upload()).catch((caught: unknown) => caught);
    expect(error).toMatchObject({ code: 'PermanentRedirect', s3: { region: 'ap-northeast-1' } });
    expect(error).toHaveProperty('hint', expect.stringContaining('https://photos.s3.ap-northeast-1.amazonaws.com/'));
  });

  it('network failure: NetworkError naming both causes, with the CORS rule for this origin', async () => {
    server.use(http.post(BUCKET_URL, () => HttpResponse.error()));
    const error = await sendPost(upload()).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(NetworkError);
    if (!(error instanceof NetworkError)) return;
    expect(error.code).toBe('network-or-cors');
    expect(error.message).toContain(`POST ${BUCKET_URL}`);
    expect(error.message).toContain(`does not allow ${location.origin}`);
    expect(JSON.parse(error.corsRule)).toEqual([
      {
        AllowedOrigins: [location.origin],
        AllowedMethods: ['POST', 'PUT'],
        AllowedHeaders: ['*'],
        ExposeHeaders: ['ETag', 'Location'],
        MaxAgeSeconds: 3000,
      },
    ]);
    expect(error.hint).toContain(error.corsRule);
  });

  it('timeout: NetworkError "timeout" once timeoutMs passes without an answer', async () => {
    const release = deferred();
    server.use(s3Post(async () => {
      await release.promise;
      return new HttpResponse(null, { status: 204 });
    }));
    const error = await sendPost(upload({ timeoutMs: 30 })).catch((caught: unknown) => caught);
    release.resolve();
    expect(error).toBeInstanceOf(NetworkError);
    expect(error).toMatchObject({ code: 'timeout', message: expect.stringContaining('within 30 ms') });
  });
});

describe('sendPost: cancel and progress', () => {
  it('an already aborted signal rejects at once and sends nothing', async () => {
    server.use(s3Post(() => new HttpResponse(null, { status: 204 })));
    const controller = new AbortController();
    controller.abort();
    await expect(sendPost(upload({ signal: controller.signal }))).rejects.toBeInstanceOf(UploadAbortedError);
    expect(bucket.size).toBe(0);
  });

  it('abort mid-request settles at once, and later events from the request are ignored', async () => {
    const arrived = deferred();
    const release = deferred();
    server.use(s3Post(async () => {
      arrived.resolve();
      await release.promise;
      return new HttpResponse(null, { status: 204, headers: { ETag: ETAG } });
    }));
    const answered = new Promise<void>((done) => server.events.on('response:mocked', () => done()));
    const onProgress = vi.fn();
    const controller = new AbortController();
    const pending = sendPost(upload({ signal: controller.signal, onProgress }));

    await arrived.promise;
    controller.abort();
    // Settled while the request is still open: the handler has not answered yet.
    await expect(pending).rejects.toMatchObject({ name: 'UploadAbortedError', code: 'aborted' });

    release.resolve();
    await answered;
    await new Promise((done) => setTimeout(done, 20));
    expect(onProgress).not.toHaveBeenCalled();
  });

  it('reports progress, ending with loaded === total', async () => {
    server.use(s3Post(() => new HttpResponse(null, { status: 204, headers: { ETag: ETAG } })));
    const seen: Array<{ loaded: number; total: number }> = [];
    await sendPost(upload({ onProgress: (progress) => seen.push(progress) }));
    const last = seen.at(-1);
    expect(last?.loaded).toBe(last?.total);
    // The whole multipart body: the fields and the file.
    expect(last?.total).toBeGreaterThan(new Blob([BYTES]).size);
  });
});
