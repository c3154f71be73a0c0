// The presigned contract (presigned-contract.ts) as the engine's MultipartBackend: JSON endpoints or the
// app's functions, every answer parsed at this edge.

import { UPLOAD_CORS_METHODS } from '../../transport/cors-rule';
import { isS3UploadError } from '../../errors/S3UploadError';
import { PolicyAnswerError } from '../../errors/PolicyAnswerError';
import { UploadAbortedError } from '../../errors/UploadAbortedError';
import { postJson } from '../../policy/policy-source';
import type { ChecksumAlgorithm, MultipartBackend } from './backend';
import { parseCompleted, parseCreated, parseListed, parseSigned } from './presigned-answers';
import type {
  CompleteMultipartRequest,
  CreateMultipartRequest,
  MultipartEndpoint,
  MultipartUploadRef,
  PresignedMultipartContract,
  SignPartsRequest,
} from './presigned-contract';
import { withRetries, type RetryPolicy } from '../../retry/retry';
import { raceAbort } from '../../transport/signals';

// URLs stay good for the presigner's expiry (minutes to hours): keep up to 8 parts signed ahead of the
// workers (part-signer.ts), so that none waits for the backend between parts.
const SIGN_AHEAD = 8;

/** The five operations, each answering what the backend sent, not yet parsed. */
interface Calls {
  create(body: CreateMultipartRequest, signal: AbortSignal): Promise<unknown>;
  signParts(body: SignPartsRequest, signal: AbortSignal): Promise<unknown>;
  listParts(body: MultipartUploadRef, signal: AbortSignal): Promise<unknown>;
  complete(body: CompleteMultipartRequest, signal: AbortSignal): Promise<unknown>;
  abort(body: MultipartUploadRef, signal: AbortSignal): Promise<unknown>;
}

export function presignedBackend(
  source: PresignedMultipartContract | MultipartEndpoint,
  options: {
    readonly checksumAlgorithm: ChecksumAlgorithm | undefined;
    readonly allowedHosts: readonly string[] | undefined;
    readonly retry: RetryPolicy;
  },
): MultipartBackend {
  // ListParts, Complete and Abort may be sent again safely; a backend that failed in passing (5xx, not
  // reached) should not cost an upload whose parts are all in S3. Create is not sent again: the
  // backend's S3 client already retries S3's passing failures, and a create sent twice after an answer
  // lost on the way would start a second upload that nobody completes.
  const retried = <T>(signal: AbortSignal, run: () => Promise<T>): Promise<T> =>
    withRetries(async () => ({ ok: true, value: await run() }), { policy: options.retry, signal });
  const calls = 'url' in source ? endpointCalls(source) : functionCalls(source);
  const algorithm = options.checksumAlgorithm === undefined ? {} : { checksumAlgorithm: options.checksumAlgorithm };
  let objectUrl: string | undefined;
  const identity = 'url' in source ? `presigned ${absolute(source.url)}` : `presigned functions ${globalThis.location?.origin ?? ''}`;

  return {
    identity,
    // Part PUTs, and the POST Object of files below the multipart threshold.
    corsMethods: UPLOAD_CORS_METHODS,
    // A checksum is signed into each part's URL, so a part can be signed only once it is read.
    signAhead: options.checksumAlgorithm === undefined ? SIGN_AHEAD : 0,
    async create(input, { signal }) {
      return parseCreated(await calls.create(input, signal));
    },
    async signParts(upload, parts, { signal }) {
      const body = { uploadId: upload.uploadId, key: upload.key, parts, ...algorithm };
      const signed = parseSigned(await calls.signParts(body, signal), parts, options.allowedHosts);
      // The object's URL is the part URL without its query: the location to report if Complete's answer has none.
      const first = signed[0];
      if (first && objectUrl === undefined) objectUrl = first.url.replace(/[?#].*$/, '');
      return signed;
    },
    async listParts(upload, { signal }) {
      try {
        return parseListed(await retried(signal, () => calls.listParts({ uploadId: upload.uploadId, key: upload.key }, signal)));
      } catch (error) {
        if (isNoSuchUpload(error)) return undefined;
        throw error;
      }
    },
    async complete(upload, parts, { signal }) {
      const body = { uploadId: upload.uploadId, key: upload.key, parts: [...parts], ...algorithm };
      const completed = parseCompleted(await retried(signal, () => calls.complete(body, signal)));
      return { ...completed, location: completed.location ?? objectUrl };
    },
    async abort(upload, { signal }) {
      try {
        await retried(signal, () => calls.abort({ uploadId: upload.uploadId, key: upload.key }, signal));
      } catch (error) {
        // Already gone (completed, aborted, expired by a lifecycle rule): nothing is left to bill.
        if (!isNoSuchUpload(error)) throw error;
      }
    },
  };
}

function endpointCalls(endpoint: MultipartEndpoint): Calls {
  const base = endpoint.url.replace(/\/+$/, '');
  const post = (operation: string) => (body: unknown, signal: AbortSignal) =>
    postJson({ ...endpoint, url: `${base}/${operation}` }, body, signal, `multipart ${operation}`);
  return {
    create: post('create'),
    signParts: post('sign-parts'),
    listParts: post('list-parts'),
    complete: post('complete'),
    abort: post('abort'),
  };
}

function functionCalls(contract: PresignedMultipartContract): Calls {
  return {
    create: (body, signal) => guard('createMultipartUpload', signal, () => contract.createMultipartUpload(body, { signal })),
    signParts: (body, signal) => guard('signParts', signal, () => contract.signParts(body, { signal })),
    listParts: (body, signal) => guard('listParts', signal, () => contract.listParts(body, { signal })),
    complete: (body, signal) => guard('completeMultipartUpload', signal, () => contract.completeMultipartUpload(body, { signal })),
    abort: (body, signal) => guard('abortMultipartUpload', signal, () => contract.abortMultipartUpload(body, { signal })),
  };
}

/** The app's function settles at once on abort, and its own failures are told as its own. */
async function guard(name: string, signal: AbortSignal, run: () => Promise<unknown>): Promise<unknown> {
  try {
    return await raceAbort(run(), signal);
  } catch (error) {
    if (signal.aborted || error instanceof UploadAbortedError) throw error;
    if (isNoSuchUpload(error) || isS3UploadError(error)) throw error;
    throw new PolicyAnswerError('policy-function-failed', `The app's multipart ${name} function failed: ${error instanceof Error ? error.message : String(error)}.`,
      `See the cause of this error; ${name} must resolve to the answer of the multipart contract.`, { cause: error });
  }
}

/**
 * NoSuchUpload as each contract says it: a JSON endpoint answers 404, a function throws S3's error
 * (the AWS SDK v3 names its exception NoSuchUpload).
 */
function isNoSuchUpload(error: unknown): boolean {
  if (error instanceof PolicyAnswerError) return error.code === 'backend-http-error' && error.status === 404;
  return error instanceof Error && (error.name === 'NoSuchUpload' || ('Code' in error && error.Code === 'NoSuchUpload'));
}

function absolute(url: string): string {
  const base = globalThis.location?.href;
  return URL.canParse(url, base) ? new URL(url, base).href : url;
}
