// An in-memory S3 for tests: answers browser POST uploads, multipart uploads, GET, HEAD and DELETE as
// S3 would, so a test catches what S3 would refuse. handle() is the single entry point (fetch-style,
// browser-safe); the MSW handlers and any HTTP server are thin adapters around it.
//
// Authentication: a POST form by its policy signature (post-auth.ts); every other request by SigV4,
// in the Authorization header or in a presigned URL's query (sigv4-request.ts), verified exactly.
// The multipart operations must be signed, as for a private bucket. GET and HEAD may also come
// unsigned (a test reads back what it uploaded without signing); a signed one is verified all the same,
// so a presigned GET URL that S3 would refuse is refused here too.

import type { HttpHandler } from 'msw';
import { bytesToBase64, bytesToHex } from '../src/core/codec';
import type { EmulatedCredential } from './access-keys';
import { completeMultipartUpload } from './complete-multipart-upload';
import { corsHeaders, corsRule, preflight, type CorsOptions } from './cors';
import { deleteObject } from './delete-object';
import { getObject } from './get-object';
import { createMswHandlers } from './msw-handlers';
import { createMultipartUploads } from './multipart-store';
import {
  abortMultipartUpload,
  createMultipartUpload,
  listParts,
  uploadPart,
  type MultipartContext,
} from './multipart-upload';
import type { PostAuthOptions } from './post-auth';
import { postObject } from './post-object';
import { createAddressResolver, endpointPatterns, type S3Address } from './s3-address';
import {
  accessDenied,
  isS3Failure,
  methodNotAllowed,
  noSuchBucket,
  notImplemented,
  s3Failure,
  type S3Failure,
} from './s3-failure';
import { authorizeRequest } from './sigv4-request';
import { errorDocument, type RequestIds } from './s3-xml';
import { createS3Store, type S3Store } from './store';

export interface S3EmulatorOptions {
  /**
   * 'https://s3.us-east-1.amazonaws.com' or 'http://127.0.0.1:9000'. Path-style URLs (endpoint/bucket/key)
   * are served, and for a host name also virtual-hosted ones (https://bucket.s3.us-east-1.amazonaws.com/key).
   */
  readonly endpoint: string;
  /** The region the buckets live in; a credential scoped to another is refused. Default 'us-east-1'. */
  readonly region?: string;
  /** The buckets that exist; any other is NoSuchBucket. All are private: uploads must be signed. */
  readonly buckets: readonly string[];
  /** The access keys S3 knows; a request signed with any other is InvalidAccessKeyId. */
  readonly credentials: readonly EmulatedCredential[];
  /**
   * The clock for policy expiry, Last-Modified, a signed request's 15 minutes of allowed skew and a
   * presigned URL's expiry. Default: the real time. (An AWS SDK client signing against a fixed clock
   * needs `systemClockOffset: now.getTime() - Date.now()`.)
   */
  readonly now?: () => Date;
  /** Accept SigV2 POST (AWSAccessKeyId + signature). Default false: refused like a SigV4-only region. */
  readonly allowSignatureV2?: boolean;
  /**
   * The bucket's CORS rule. Default: every origin, exposing ETag, Location and x-amz-request-id.
   * `false`: no CORS configuration, so no CORS headers at all (a browser then sees status 0).
   */
  readonly cors?: CorsOptions | false;
}

export interface EmulatedRequest {
  readonly method: string;
  readonly url: string;
  readonly status: number;
  /** S3's error Code, when the answer was an error. */
  readonly code?: string;
}

export interface S3Emulator {
  /** Answers one request as S3 would; undefined when the URL is not for this endpoint. */
  handle(request: Request): Promise<Response | undefined>;
  /** MSW 2 handlers around handle(): setupServer(...s3.handlers) or setupWorker(...s3.handlers). */
  readonly handlers: HttpHandler[];
  readonly store: S3Store;
  /** Every request the emulator answered, in order; lets a test prove that nothing reached S3. */
  readonly requests: ReadonlyArray<EmulatedRequest>;
}

export function createS3Emulator(options: S3EmulatorOptions): S3Emulator {
  const now = options.now ?? (() => new Date());
  const resolve = createAddressResolver(options.endpoint);
  const cors = corsRule(options.cors);
  const uploads = createMultipartUploads(now);
  const store = createS3Store(options.buckets, now, uploads);
  const auth: PostAuthOptions = {
    region: options.region ?? 'us-east-1',
    credentials: options.credentials,
    allowSignatureV2: options.allowSignatureV2 ?? false,
  };
  const requests: EmulatedRequest[] = [];

  async function handle(request: Request): Promise<Response | undefined> {
    const address = resolve(request.url);
    if (!address) return undefined;
    const method = request.method.toUpperCase();
    const answer = await route(request, method, address);
    const ids = newRequestIds();
    const response = isS3Failure(answer) ? errorResponse(answer, ids, method) : answer;
    response.headers.set('x-amz-request-id', ids.requestId);
    response.headers.set('x-amz-id-2', ids.hostId);
    // S3 dates every answer; the AWS SDKs correct their clock skew from it.
    response.headers.set('Date', now().toUTCString());
    response.headers.set('Server', 'AmazonS3');
    // A preflight carries its own CORS headers, or deliberately none.
    if (method !== 'OPTIONS') {
      for (const [name, value] of Object.entries(corsHeaders(request, cors))) response.headers.set(name, value);
    }
    const base = { method, url: request.url, status: response.status };
    requests.push(isS3Failure(answer) ? { ...base, code: answer.code } : base);
    return response;
  }

  async function route(request: Request, method: string, address: S3Address): Promise<Response | S3Failure> {
    const { bucket, key, query } = address;
    if (method === 'OPTIONS') return preflight(request, cors, key === '' ? 'BUCKET' : 'OBJECT');
    if (bucket === undefined) return notImplemented(`${method} on the service endpoint`);
    if (!store.hasBucket(bucket)) return noSuchBucket(bucket);
    if (key !== '') return objectRoute(request, method, bucket, address);
    // POST Object goes to the bucket's URL and signs its policy, not the request.
    if (method === 'POST' && query === '') return postObject(request, { bucket, address, store, auth, now: now() });
    return notImplemented(`${method} on a bucket${query === '' ? '' : ` with the query "?${query}"`}`);
  }

  // An object's URL: the multipart operations by their query (?uploads, ?uploadId=, ?partNumber=), and
  // GET/HEAD. The body is read once, for the signature's payload hash and for the operation.
  async function objectRoute(
    request: Request,
    method: string,
    bucket: string,
    address: S3Address,
  ): Promise<Response | S3Failure> {
    const body = new Uint8Array(await request.arrayBuffer());
    const authorization = authorizeRequest(request, body, { ...auth, now: now() });
    if (isS3Failure(authorization)) return authorization;
    const signed = (operation: () => Response | S3Failure): Response | S3Failure =>
      authorization.kind === 'signed' ? operation() : accessDenied();
    const params = new URLSearchParams(address.query);
    const context: MultipartContext = { bucket, address, params, uploads, now: now() };

    if (params.has('uploadId')) {
      switch (method) {
        case 'PUT':
          if (params.has('partNumber')) return signed(() => uploadPart(request, body, context));
          break;
        case 'GET':
          return signed(() => listParts(context));
        case 'POST':
          return signed(() => completeMultipartUpload(body, { ...context, store }));
        case 'DELETE':
          return signed(() => abortMultipartUpload(context));
      }
      // Captured: a PUT with an uploadId and no partNumber (versity/versitygw#1236).
      return methodNotAllowed(method, 'UPLOAD', ['DELETE', 'POST', 'GET']);
    }
    switch (method) {
      case 'POST':
        if (params.has('uploads')) return signed(() => createMultipartUpload(request, context));
        // A POST form to an object's URL: POST Object goes to the bucket's.
        if (address.query === '') return methodNotAllowed('POST', 'OBJECT');
        return notImplemented(`POST with the query "?${address.query}"`);
      case 'PUT':
        if (params.has('partNumber')) {
          // Captured, ArgumentValue included (versity/versitygw#1237).
          return s3Failure(400, 'InvalidArgument', 'This operation does not accept partNumber without uploadId', [
            ['ArgumentName', 'partNumber'],
            ['ArgumentValue', 'partNumber'],
          ]);
        }
        return notImplemented('PUT Object (upload with POST, or by multipart upload)');
      case 'GET':
      case 'HEAD':
        return getObject(method, bucket, address.key, store);
      case 'DELETE':
        // The AWS SDK adds x-id=DeleteObject; a presigned URL its X-Amz-* parameters. Any other
        // (?tagging, ?versionId) names another operation.
        if ([...params.keys()].every((name) => name === 'x-id' || name.startsWith('X-Amz-'))) {
          return signed(() => deleteObject(bucket, address.key, store));
        }
        return notImplemented(`DELETE with the query "?${address.query}"`);
      default:
        return notImplemented(`${method} on an object`);
    }
  }

  return { handle, handlers: createMswHandlers(endpointPatterns(options.endpoint), handle), store, requests };
}

/** The same emulator, under the name MSW users look for. */
export const createS3Handlers: (options: S3EmulatorOptions) => S3Emulator = createS3Emulator;

function errorResponse(failure: S3Failure, ids: RequestIds, method: string): Response {
  // S3 answers a failed HEAD with the status alone.
  const body = method === 'HEAD' ? null : errorDocument(failure, ids);
  return new Response(body, {
    status: failure.status,
    headers: { ...failure.headers, 'Content-Type': 'application/xml' },
  });
}

function newRequestIds(): RequestIds {
  const random = (length: number) => crypto.getRandomValues(new Uint8Array(length));
  return { requestId: bytesToHex(random(8)).toUpperCase(), hostId: bytesToBase64(random(56)) };
}
