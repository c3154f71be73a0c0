// An in-memory S3 for tests: answers browser POST uploads, GET and HEAD as S3 would, so a test catches
// what S3 would refuse. handle() is the single entry point (fetch-style, browser-safe); the MSW
// handlers and any HTTP server are thin adapters around it.

import type { HttpHandler } from 'msw';
import { bytesToBase64, bytesToHex } from '../src/core/codec';
import { corsHeaders, corsRule, preflight, type CorsOptions } from './cors';
import { getObject } from './get-object';
import { createMswHandlers } from './msw-handlers';
import type { EmulatedCredential, PostAuthOptions } from './post-auth';
import { postObject } from './post-object';
import { createAddressResolver, endpointPatterns, type S3Address } from './s3-address';
import {
  isS3Failure,
  methodNotAllowed,
  noSuchBucket,
  notImplemented,
  type S3Failure,
} from './s3-failure';
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
  readonly credentials: readonly EmulatedCredential[];
  /** The clock for policy expiry and Last-Modified. Default: the real time. */
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
  const store = createS3Store(options.buckets, now);
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
    switch (method) {
      case 'POST':
        // POST with a subresource (?uploads, ?uploadId=, ?delete) is another operation.
        if (query !== '') return notImplemented(`POST with the query "?${query}"`);
        // POST Object goes to the bucket's URL; the key travels in the form.
        if (key !== '') return methodNotAllowed('POST', 'OBJECT');
        return postObject(request, { bucket, address, store, auth, now: now() });
      case 'GET':
      case 'HEAD':
        if (key === '') return notImplemented(`${method} on a bucket (ListObjects)`);
        return getObject(method, bucket, key, store);
      default:
        return notImplemented(`${method} on ${key === '' ? 'a bucket' : 'an object'}`);
    }
  }

  return { handle, handlers: createMswHandlers(endpointPatterns(options.endpoint), handle), store, requests };
}

/** The same emulator, under the name MSW users look for. */
export const createS3Handlers: (options: S3EmulatorOptions) => S3Emulator = createS3Emulator;

function errorResponse(failure: S3Failure, ids: RequestIds, method: string): Response {
  // S3 answers a failed HEAD with the status alone.
  const body = method === 'HEAD' ? null : errorDocument(failure, ids);
  return new Response(body, { status: failure.status, headers: { 'Content-Type': 'application/xml' } });
}

function newRequestIds(): RequestIds {
  const random = (length: number) => crypto.getRandomValues(new Uint8Array(length));
  return { requestId: bytesToHex(random(8)).toUpperCase(), hostId: bytesToBase64(random(56)) };
}
