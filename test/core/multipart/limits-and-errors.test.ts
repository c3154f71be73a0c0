// What S3's limits mean for a file (5 GiB for one POST, 10,000 parts, 5 MiB parts), and the failures a
// multipart upload explains: an ETag hidden by CORS, and S3's refusals of CompleteMultipartUpload.
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createS3Emulator } from '../../../mocks/index';
import {
  MultipartError,
  S3ResponseError,
  planParts,
  startMultipartUpload,
  uploadFile,
  type MultipartOptions,
  type PresignedMultipartContract,
} from '../../../src/index';
import { CREDENTIALS } from '../../support/aws-signer';
import { APP, BUCKET, ENDPOINT, REGION } from '../../support/backends';
import { beforeParts, isolateXhrResponseHeaders, memoryStorage, MIB, OBJECTS, PART_SIZE, randomFile, threePartFile } from '../../support/multipart-fixtures';
import { sameBytes } from '../../mocks/multipart-fixtures';
import { MULTIPART_API, presignedBackend } from '../../support/multipart-presigned-backend';
import { SIGN_HEADERS_URL, signingHandler } from '../../support/multipart-signing-backend';

const GIB = 1024 * MIB;
const s3 = createS3Emulator({ endpoint: ENDPOINT, region: REGION, buckets: [BUCKET], credentials: [CREDENTIALS] });
const backend = presignedBackend();
let policyRequests = 0;
const server = setupServer(
  ...s3.handlers,
  ...backend.handlers,
  signingHandler(),
  http.post(`${APP}/api/policy`, () => {
    policyRequests += 1;
    return HttpResponse.json({ error: 'not expected' }, { status: 500 });
  }),
);
beforeAll(() => {
  isolateXhrResponseHeaders();
  server.listen({ onUnhandledRequest: 'error' });
});
beforeEach(() => {
  s3.store.clear();
  backend.calls.length = 0;
  policyRequests = 0;
});
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

const options = (extra: Partial<MultipartOptions> = {}): MultipartOptions => ({
  backend: { presigned: { url: MULTIPART_API } },
  partSize: PART_SIZE,
  resume: false,
  retry: { baseDelayMs: 1 },
  ...extra,
});

/** A file that says it is `size` bytes long, without holding them (no test machine has 6 GiB to spare). */
function fileOfSize(size: number): File {
  const file = new File(['tiny'], 'backup.tar', { type: 'application/x-tar' });
  Object.defineProperty(file, 'size', { value: size });
  return file;
}

describe('files larger than one POST can carry (5 GiB)', () => {
  it('are refused before anything is sent when multipart is not configured, saying how to configure it', async () => {
    const from = s3.requests.length;
    const error = await uploadFile(fileOfSize(6 * GIB), { policy: `${APP}/api/policy` }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(MultipartError);
    expect(error).toMatchObject({ code: 'multipart-required' });
    expect(String(error)).toContain(`backup.tar is ${6 * GIB} bytes, more than the ${5 * GIB} bytes (5 GiB) one POST can carry`);
    expect(error instanceof MultipartError ? error.hint : '').toContain('multipart: { backend:');
    expect(policyRequests).toBe(0);
    expect(s3.requests.length).toBe(from);
  });

  it('go by multipart upload whatever the threshold, when it is configured', async () => {
    const created: number[] = [];
    const spy: PresignedMultipartContract = {
      ...backend.contract,
      createMultipartUpload: async (request) => {
        created.push(request.size);
        throw new Error('stop here');
      },
    };
    const task = uploadFile(fileOfSize(6 * GIB), { policy: `${APP}/api/policy`, multipart: options({ threshold: 10 * GIB, backend: { presigned: spy } }) });
    await expect(task).rejects.toThrow('stop here');
    expect(created).toEqual([6 * GIB]);
    expect(policyRequests).toBe(0);
  });
});

describe('the part plan', () => {
  it('grows the part size for a 60 GB file: at most 10,000 parts, at least 5 MiB, a whole number of MiB', () => {
    const size = 60 * 1000 ** 3;
    const plan = planParts(size, { partSize: 5 * MIB });
    expect(plan.partCount).toBeLessThanOrEqual(10_000);
    expect(plan.partSize).toBeGreaterThanOrEqual(5 * MIB);
    expect(plan.partSize % MIB).toBe(0);
    expect((plan.partCount - 1) * plan.partSize + plan.lastPartSize).toBe(size);
    expect(plan.lastPartSize).toBeGreaterThan(0);
    expect(plan.lastPartSize).toBeLessThanOrEqual(plan.partSize);
    // The smallest such size: one MiB less would need more than 10,000 parts.
    expect(Math.ceil(size / (plan.partSize - MIB))).toBeGreaterThan(10_000);
    expect(plan).toEqual({ size, partSize: 6 * MIB, partCount: 9537, lastPartSize: size - 9536 * 6 * MIB });
  });

  it('is what a task for that file reports, before anything is sent', async () => {
    const failing: PresignedMultipartContract = { ...backend.contract, createMultipartUpload: async () => Promise.reject(new Error('stop')) };
    const task = startMultipartUpload(fileOfSize(60 * 1000 ** 3), { multipart: options({ backend: { presigned: failing } }) });
    await task.promise.catch(() => undefined);
    expect(task.state.parts).toMatchObject({ total: 9537, size: 6 * MIB, done: 0 });
  });

  it('defaults to 8 MiB parts, and refuses a part size S3 would refuse', () => {
    expect(planParts(100 * MIB)).toEqual({ size: 100 * MIB, partSize: 8 * MIB, partCount: 13, lastPartSize: 4 * MIB });
    expect(planParts(0)).toEqual({ size: 0, partSize: 8 * MIB, partCount: 1, lastPartSize: 0 });
    expect(() => planParts(100 * MIB, { partSize: 4 * MIB })).toThrow(MultipartError);
    expect(() => planParts(100 * MIB, { partSize: 4 * MIB })).toThrow(/5 MiB.*EntityTooSmall/);
    expect(() => planParts(60 * 1024 * GIB)).toThrow(expect.objectContaining({ code: 'file-too-large' }));
  });
});

describe('metadata a multipart upload cannot send (it travels in HTTP headers, ASCII only)', () => {
  const headerSigning = { signHeaders: { signatureEndpoint: SIGN_HEADERS_URL, bucket: BUCKET, region: REGION, accessKeyId: CREDENTIALS.accessKeyId } };

  it.each([
    ['a non-ASCII value', { owner: 'Zoë 日本' }, 'Metadata "owner" is "Zoë 日本"'],
    ['a line break', { note: 'line\nbreak' }, 'Metadata "note" is "line\\nbreak"'],
    ['a name that is not a header name', { 'my owner': 'ada' }, 'Metadata name "my owner"'],
  ])('%s: bad-metadata before anything is sent, by either contract', async (_, metadata, says) => {
    for (const backendOption of [{ presigned: { url: MULTIPART_API } }, headerSigning]) {
      const from = s3.requests.length;
      const { file } = threePartFile();
      const error = await startMultipartUpload(file, { metadata, multipart: options({ backend: backendOption }) }).promise.catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(MultipartError);
      expect(error).toMatchObject({ code: 'bad-metadata' });
      expect(String(error)).toContain(says);
      expect(error instanceof MultipartError ? error.hint : '').toContain('encodeURIComponent');
      expect(s3.requests.length - from).toBe(0);
    }
    expect(backend.calls).toEqual([]);
  });

  it('printable ASCII, spaces and tabs included, goes through', async () => {
    const { file, bytes } = threePartFile();
    await startMultipartUpload(file, { key: 'uploads/${filename}', metadata: { owner: 'Ada  Lovelace\t(1815)' }, multipart: options() }).promise;
    const stored = s3.store.getObject(BUCKET, 'uploads/movie.mp4');
    expect(sameBytes(stored?.body, bytes)).toBe(true);
    expect(stored?.metadata).toEqual({ owner: 'Ada  Lovelace\t(1815)' });
  });
});

describe('an ETag hidden by the bucket CORS rule', () => {
  it('fails at once with the part, the cause and the rule to apply', async () => {
    // A bucket whose CORS rule exposes no header: a browser then reads null for a part's ETag. In
    // happy-dom under MSW no browser applies CORS to the answer (no Origin is sent, and nothing hides
    // headers), so a handler in front of this emulator strips the ETag the way the browser would.
    const hidden = createS3Emulator({ endpoint: ENDPOINT, region: REGION, buckets: [BUCKET], credentials: [CREDENTIALS], cors: { exposeHeaders: [] } });
    const sent: number[] = [];
    server.use(
      http.put(OBJECTS, async ({ request }) => {
        sent.push(Number(new URL(request.url).searchParams.get('partNumber')));
        const answer = await hidden.handle(request);
        answer?.headers.delete('ETag');
        return answer;
      }),
      ...hidden.handlers,
    );
    const { file, bytes } = threePartFile();
    const storage = memoryStorage();
    const task = startMultipartUpload(file, { multipart: options({ concurrency: 1, resume: { storage } }) });
    const error = await task.promise.catch((caught: unknown) => caught);

    expect(error).toBeInstanceOf(MultipartError);
    const failure = error instanceof MultipartError ? error : undefined;
    expect(failure?.code).toBe('etag-not-exposed');
    expect(failure?.partNumber).toBe(1);
    expect(failure?.message).toMatch(/^S3 stored part 1 \(PUT answered 200\) but the browser hid its ETag: add ETag to ExposeHeaders in the bucket's CORS rule\./);
    expect(JSON.parse(failure?.corsRule ?? '[]')).toEqual([
      { AllowedOrigins: [location.origin], AllowedMethods: ['POST', 'PUT'], AllowedHeaders: ['*'], ExposeHeaders: ['ETag', 'Location'], MaxAgeSeconds: 3000 },
    ]);
    expect(failure?.hint).toContain(failure?.corsRule ?? '-');
    // Not retried: the part is in S3, and sending it again would hide its ETag again.
    expect(sent).toEqual([1]);
    expect(hidden.store.listMultipartUploads(BUCKET)[0]?.parts).toHaveLength(1);

    // With the rule fixed, the same file resumes: ListParts gives part 1's ETag, which is not sent again.
    server.use(http.put(OBJECTS, async ({ request }) => {
      sent.push(Number(new URL(request.url).searchParams.get('partNumber')));
      return hidden.handle(request);
    }));
    const result = await startMultipartUpload(new File([new Uint8Array(bytes)], file.name, { type: file.type, lastModified: file.lastModified }), {
      multipart: options({ resume: { storage } }),
    }).promise;
    expect(sent.slice(1).sort()).toEqual([2, 3]);
    expect(sameBytes(hidden.store.getObject(BUCKET, result.key)?.body, bytes)).toBe(true);
  });

  it('names GET and DELETE too in header-signing mode, where the page also lists and aborts', async () => {
    server.use(beforeParts(s3, async (_, __, request) => {
      const answer = await s3.handle(request);
      answer?.headers.delete('ETag');
      return answer;
    }).handler);
    const { file } = threePartFile();
    const error = await startMultipartUpload(file, {
      key: 'uploads/${filename}',
      multipart: options({ backend: { signHeaders: { signatureEndpoint: SIGN_HEADERS_URL, bucket: BUCKET, region: REGION, accessKeyId: CREDENTIALS.accessKeyId } } }),
    }).promise.catch((caught: unknown) => caught);
    const rule: unknown = JSON.parse(error instanceof MultipartError ? (error.corsRule ?? '[]') : '[]');
    expect(rule).toEqual([expect.objectContaining({ AllowedMethods: ['GET', 'PUT', 'POST', 'DELETE'] })]);
  });
});

describe("S3's refusals of CompleteMultipartUpload, explained (header signing: the kit sends it)", () => {
  const refusals: Array<[code: string, extra: string, hint: RegExp]> = [
    ['InvalidPart', '<UploadId>u</UploadId><PartNumber>2</PartNumber><ETag>"abc"</ETag>', /listed part 2 with ETag "abc", which S3 does not hold/],
    ['InvalidPartOrder', '<UploadId>u</UploadId><PartNumber>1</PartNumber>', /ascending part number order, and part 1 came out of order/],
    ['EntityTooSmall', '<ProposedSize>1024</ProposedSize><MinSizeAllowed>5242880</MinSizeAllowed><PartNumber>1</PartNumber>', /Part 1 of the multipart upload is 1024 bytes.*at least 5242880 bytes/],
    ['NoSuchUpload', '<UploadId>gone-id</UploadId>', /no longer knows the multipart upload gone-id/],
  ];
  it.each(refusals)('%s', async (code, extra, hint) => {
    server.use(
      http.post(OBJECTS, ({ request }) => {
        if (!new URL(request.url).searchParams.has('uploadId')) return undefined;
        const body = `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code><Message>refused</Message>${extra}<RequestId>1</RequestId></Error>`;
        return new HttpResponse(body, { status: code === 'NoSuchUpload' ? 404 : 400, headers: { 'Content-Type': 'application/xml' } });
      }),
    );
    const { file } = randomFile(2 * PART_SIZE);
    const error = await startMultipartUpload(file, {
      key: 'uploads/${filename}',
      multipart: options({
        resume: {},
        backend: { signHeaders: { signatureEndpoint: SIGN_HEADERS_URL, bucket: BUCKET, region: REGION, accessKeyId: CREDENTIALS.accessKeyId } },
      }),
    }).promise.catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(S3ResponseError);
    expect(error).toMatchObject({ code, method: 'POST' });
    expect(error instanceof S3ResponseError ? error.hint : '').toMatch(hint);
    // A Complete refused for good cannot be resumed: the upload is aborted rather than left billed.
    expect(s3.store.listMultipartUploads(BUCKET)).toEqual([]);
  });
});
