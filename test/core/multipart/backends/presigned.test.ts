// The presigned contract end to end: the app's backend (the AWS SDK, against the S3 emulator) creates,
// presigns, lists, completes and aborts; the kit PUTs each part to its URL from the browser. As JSON
// endpoints and as functions of the app.
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createS3Emulator } from '../../../../mocks/index';
import {
  PolicyAnswerError,
  S3ResponseError,
  startMultipartUpload,
  uploadFile,
  type MultipartOptions,
  type PresignedMultipartContract,
  type UploadProgress,
} from '../../../../src/index';
import { multipartEtag, sameBytes } from '../../../mocks/multipart-fixtures';
import { CREDENTIALS } from '../../../support/aws-signer';
import { APP, BUCKET, BUCKET_URL, ENDPOINT, REGION, backendHandlers } from '../../../support/backends';
import { parseListed, parseSigned } from '../../../../src/core/multipart/backends/presigned-answers';
import { isolateXhrResponseHeaders, MIB, PART_SIZE, putsPerPart, requestLog, threePartFile } from '../../../support/multipart-fixtures';
import { MULTIPART_API, presignedBackend } from '../../../support/multipart-presigned-backend';

const s3 = createS3Emulator({ endpoint: ENDPOINT, region: REGION, buckets: [BUCKET], credentials: [CREDENTIALS] });
const backend = presignedBackend();
const server = setupServer(...s3.handlers, ...backend.handlers, ...backendHandlers());
beforeAll(() => {
  isolateXhrResponseHeaders();
  server.listen({ onUnhandledRequest: 'error' });
});
beforeEach(() => {
  s3.store.clear();
  backend.calls.length = 0;
});
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

const endpoints = (extra: Partial<MultipartOptions> = {}): MultipartOptions => ({
  backend: { presigned: { url: MULTIPART_API } },
  partSize: PART_SIZE,
  threshold: PART_SIZE,
  resume: false,
  retry: { baseDelayMs: 1 },
  ...extra,
});

/** The three parts of `bytes` as the kit cuts them. */
function parts(bytes: Uint8Array): Uint8Array[] {
  return [bytes.subarray(0, PART_SIZE), bytes.subarray(PART_SIZE, 2 * PART_SIZE), bytes.subarray(2 * PART_SIZE)];
}

describe('JSON endpoints under one base URL', () => {
  it('uploads three parts that S3 stores as the file, with the multipart ETag', async () => {
    const { file, bytes } = threePartFile();
    const progress: UploadProgress[] = [];
    const from = s3.requests.length;
    const result = await uploadFile(file, {
      policy: `${APP}/never-asked`,
      multipart: endpoints(),
      metadata: { owner: 'ada' },
      onProgress: (event) => progress.push(event),
    });

    const stored = s3.store.getObject(BUCKET, 'uploads/movie.mp4');
    expect(sameBytes(stored?.body, bytes)).toBe(true);
    expect(stored).toMatchObject({ contentType: 'video/mp4', metadata: { owner: 'ada' } });
    expect(result).toEqual({
      bucket: BUCKET,
      key: 'uploads/movie.mp4',
      location: `https://${BUCKET}.s3.${REGION}.amazonaws.com/uploads%2Fmovie.mp4`,
      etag: multipartEtag(parts(bytes)).slice(1, -1),
      status: 200,
      warnings: [],
    });
    expect(putsPerPart(s3, from)).toEqual({ 1: 1, 2: 1, 3: 1 });
    expect(requestLog(s3.requests, from).sort()).toEqual(
      ['POST ?uploads 200', 'PUT ?partNumber&uploadId 200', 'PUT ?partNumber&uploadId 200', 'PUT ?partNumber&uploadId 200', 'POST ?uploadId 200'].sort(),
    );
    // The three parts were signed in one call, as the workers asked together.
    expect(backend.calls).toEqual(['create', 'sign-parts 1,2,3', 'complete']);
    expect(progress.at(-1)).toEqual({ loaded: file.size, total: file.size });
    expect(s3.store.listMultipartUploads(BUCKET)).toEqual([]);
  });

  it('sends a file under the threshold by POST as before', async () => {
    const { file, bytes } = threePartFile();
    const from = s3.requests.length;
    const result = await uploadFile(file, { policy: `${APP}/api/policy/flat`, multipart: endpoints({ threshold: file.size + 1 }) });
    expect(result.key).toBe('flat/movie.mp4');
    expect(sameBytes(s3.store.getObject(BUCKET, 'flat/movie.mp4')?.body, bytes)).toBe(true);
    expect(requestLog(s3.requests, from)).toEqual(['POST / 204']);
    expect(backend.calls).toEqual([]);
  });

  it('asks for the key the app wants, with ${filename} replaced', async () => {
    const { file } = threePartFile('clip.mov');
    const result = await startMultipartUpload(file, { multipart: endpoints(), key: 'uploads/2025/${filename}' }).promise;
    expect(result.key).toBe('uploads/2025/clip.mov');
    expect(s3.store.getObject(BUCKET, 'uploads/2025/clip.mov')?.size).toBe(file.size);
  });
});

describe('functions of the app', () => {
  it('uploads through the same operations, each given a signal', async () => {
    const { file, bytes } = threePartFile();
    const signals: boolean[] = [];
    const spy: PresignedMultipartContract = {
      createMultipartUpload: (request, context) => (signals.push(context.signal instanceof AbortSignal), backend.contract.createMultipartUpload(request, context)),
      signParts: (request, context) => (signals.push(context.signal instanceof AbortSignal), backend.contract.signParts(request, context)),
      listParts: (request, context) => backend.contract.listParts(request, context),
      completeMultipartUpload: (request, context) => (signals.push(context.signal instanceof AbortSignal), backend.contract.completeMultipartUpload(request, context)),
      abortMultipartUpload: (request, context) => backend.contract.abortMultipartUpload(request, context),
    };
    const result = await startMultipartUpload(file, { multipart: { ...endpoints(), backend: { presigned: spy } } }).promise;

    expect(sameBytes(s3.store.getObject(BUCKET, 'uploads/movie.mp4')?.body, bytes)).toBe(true);
    expect(result.etag).toBe(multipartEtag(parts(bytes)).slice(1, -1));
    expect(signals).toEqual([true, true, true]);
  });

  it("names the app's function that failed", async () => {
    const { file } = threePartFile();
    const failing: PresignedMultipartContract = {
      ...backend.contract,
      signParts: async () => {
        throw new Error('token expired');
      },
    };
    const task = startMultipartUpload(file, { multipart: { ...endpoints(), backend: { presigned: failing }, retry: { attempts: 1 } } });
    const error = await task.promise.catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(PolicyAnswerError);
    expect(error).toMatchObject({ code: 'policy-function-failed', message: "The app's multipart signParts function failed: token expired." });
    expect(task.state.status).toBe('error');
  });
});

describe('answers that cannot work are refused at the edge', () => {
  it('a create answer without uploadId: names it and shows the shape received', async () => {
    const { file } = threePartFile();
    const broken: PresignedMultipartContract = {
      ...backend.contract,
      createMultipartUpload: async () => ({ UploadId: 'x', key: 'uploads/movie.mp4' } as never),
    };
    const error = await startMultipartUpload(file, { multipart: { ...endpoints(), backend: { presigned: broken } } }).promise.catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(PolicyAnswerError);
    expect(error).toMatchObject({ code: 'missing-field', received: '{ UploadId, key }' });
    expect(String(error)).toMatch(/uploadId is missing/);
  });

  it('a create answer with a blank uploadId (found by fuzzing): missing-field, nothing sent to S3', async () => {
    const { file } = threePartFile();
    const from = s3.requests.length;
    const blank: PresignedMultipartContract = {
      ...backend.contract,
      createMultipartUpload: async () => ({ uploadId: '  ', key: 'uploads/movie.mp4' }),
    };
    const error = await startMultipartUpload(file, { multipart: { ...endpoints(), backend: { presigned: blank } } }).promise.catch((caught: unknown) => caught);
    expect(error).toMatchObject({ code: 'missing-field' });
    expect(String(error)).toMatch(/uploadId is blank/);
    expect(putsPerPart(s3, from)).toEqual({});
  });

  it.each([0, 10_001])('a part number S3 cannot have (%i), in sign-parts or list-parts: refused with the range', (partNumber) => {
    const url = `${BUCKET_URL}uploads/movie.mp4?partNumber=${partNumber}&uploadId=x`;
    expect(() => parseSigned({ parts: [{ partNumber, url }] }, [{ partNumber: 1, size: 5 * MIB }], undefined)).toThrow(
      `partNumber is ${partNumber}; S3's part numbers run from 1 to 10,000.`,
    );
    expect(() => parseListed({ parts: [{ partNumber, etag: '"x"', size: 5 * MIB }] })).toThrow(/run from 1 to 10,000/);
  });

  it('a sign-parts answer that leaves out a part', async () => {
    const { file } = threePartFile();
    const short: PresignedMultipartContract = {
      ...backend.contract,
      signParts: async (request, context) => {
        const signed = await backend.contract.signParts(request, context);
        return { parts: signed.parts.slice(1) };
      },
    };
    const error = await startMultipartUpload(file, { multipart: { ...endpoints(), backend: { presigned: short } } }).promise.catch((caught: unknown) => caught);
    expect(error).toMatchObject({ code: 'missing-field' });
    expect(String(error)).toMatch(/no URL for part 1/);
  });

  it("a part URL with the SDK's default empty-body checksum, which S3 would check the part against", async () => {
    const careless = presignedBackend({ sdkDefaultChecksums: true });
    const { file } = threePartFile();
    const from = s3.requests.length;
    const error = await startMultipartUpload(file, { multipart: endpoints({ backend: { presigned: careless.contract } }) }).promise.catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(PolicyAnswerError);
    expect(error).toMatchObject({ code: 'bad-url' });
    expect(String(error)).toContain('carries x-amz-checksum-crc32=AAAAAA==, the checksum of an empty body');
    expect(error instanceof PolicyAnswerError ? error.hint : '').toContain("requestChecksumCalculation: 'WHEN_REQUIRED'");
    expect(putsPerPart(s3, from)).toEqual({});
  });

  it('a part URL on a host the app did not allow, before anything is sent to it', async () => {
    const { file } = threePartFile();
    const from = s3.requests.length;
    const error = await startMultipartUpload(file, { multipart: endpoints(), allowedHosts: ['.example.com'] }).promise.catch((caught: unknown) => caught);
    expect(error).toMatchObject({ code: 'bad-url' });
    expect(putsPerPart(s3, from)).toEqual({});
  });
});

describe('per-part checksums, signed by the backend', () => {
  it.each(['crc32', 'sha256'] as const)('%s: declared at create, sent with each part, listed at complete', async (checksum) => {
    const { file, bytes } = threePartFile();
    const result = await startMultipartUpload(file, { multipart: endpoints({ checksum }) }).promise;
    expect(sameBytes(s3.store.getObject(BUCKET, 'uploads/movie.mp4')?.body, bytes)).toBe(true);
    expect(result.etag).toBe(multipartEtag(parts(bytes)).slice(1, -1));
    // Nothing signed ahead: a part's checksum is known only once the part is read.
    const signed = backend.calls.filter((call) => call.startsWith('sign-parts')).flatMap((call) => call.slice('sign-parts '.length).split(','));
    expect(signed.sort()).toEqual(['1', '2', '3']);
  });

  it('a backend that does not sign the checksum header: S3 answers HeadersNotSigned, and the hint says how to sign it', async () => {
    const unsigned = presignedBackend({ unsignedChecksums: true });
    const { file } = threePartFile();
    const error = await startMultipartUpload(file, {
      multipart: endpoints({ checksum: 'crc32', backend: { presigned: unsigned.contract } }),
    }).promise.catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(S3ResponseError);
    expect(error).toMatchObject({ code: 'AccessDenied', status: 403, method: 'PUT' });
    const { hint } = error instanceof S3ResponseError ? error : { hint: '' };
    expect(hint).toContain('x-amz-checksum-crc32');
    expect(hint).toContain("unhoistableHeaders: new Set(['x-amz-checksum-crc32'])");
    expect(hint).toContain("requestChecksumCalculation: 'WHEN_REQUIRED'");
  });
});
