// The demo's signing backend: JSON endpoints under /api/, as a fetch-style handle() and as a
// Connect-style middleware for Vite's dev server (server.middlewares.use) or a plain node:http server.
//
//   GET  /api/config                          { mode, bucket, region, accessKeyId, endpoint, maxSize,
//                                               multipartThreshold, multipartMaxSize, sessionToken? }
//   POST /api/policy/aws-sdk|boto3|flat       { filename, contentType, size, key?, metadata? } -> a policy answer
//   POST /api/sign-policy                     <policy document JSON> -> { policy, signature }
//   POST /api/read-url                        { key } -> { url, expiresIn }
//   ?mistake=<name> on the policy endpoints commits a classic mistake (demo/mistakes.ts).
//
// Multipart upload, the kit's two backend contracts (src/core/multipart/):
//   POST /api/multipart/create                { filename, contentType, size, metadata?, checksumAlgorithm? } -> { uploadId, key, bucket }
//   POST /api/multipart/sign-parts            { uploadId, key, parts: [{ partNumber, size, checksum? }], checksumAlgorithm? }
//                                               -> { parts: [{ partNumber, url, headers? }] }
//   POST /api/multipart/list-parts            { uploadId, key } -> { parts: [{ partNumber, etag, size, checksum? }] } (404: no such upload)
//   POST /api/multipart/complete              { uploadId, key, parts: [{ partNumber, etag, checksum? }], checksumAlgorithm? }
//                                               -> { location, bucket, key, etag }
//   POST /api/multipart/abort                 { uploadId, key } -> { aborted: true } (404: no such upload)
//   POST /api/sign-headers                    { stringToSign, canonicalRequest, headers } -> { signature } (403: not a
//                                               multipart operation on this bucket under uploads/)
// After an upload (Fine Uploader's "upload success" and "delete file"):
//   POST /api/upload-finished                 { key, bucket, etag } -> { key, bucket, etag, size, contentType } (404, 409)
//   POST /api/delete                          { key, bucket } -> { key, deleted: true }
// Every failure is JSON { error: <a sentence> } (demo/server/json-api.ts).
//
// Without S3_BUCKET / S3_ENDPOINT in the environment it starts the embedded S3 (demo/s3-server.ts);
// DEMO_S3_PORT chooses its port and DEMO_S3_THROTTLE (bytes per second) slows its uploads down, so the
// progress bar has something to show on loopback.

import type { IncomingMessage, ServerResponse } from 'node:http';
import { isMistake, MISTAKES, type Mistake } from './mistakes';
import { DEFAULT_S3_PORT, portFromEnv, startS3Server, type S3Server } from './s3-server';
import {
  generateDemoCredentials,
  publicConfig,
  readS3Settings,
  type DemoConfig,
  type Env,
  type S3Target,
} from './server/config';
import { createAfterUpload } from './server/after-upload';
import { ApiError, errorResponse, jsonResponse, readJsonBody } from './server/json-api';
import { createPresignedMultipart } from './server/multipart-presigned';
import { toFetchRequest, writeFetchResponse } from './server/node-http';
import { ANSWER_SHAPES, policyAnswer } from './server/policy-answers';
import { parsePolicyRequest } from './server/policy-request';
import { createReadUrlSigner } from './server/read-url';
import { createS3Client } from './server/s3-client';
import { signHeaders } from './server/sign-headers';
import { signPolicyDocument } from './server/sign-policy';

export type ConnectMiddleware = (req: IncomingMessage, res: ServerResponse, next: (error?: unknown) => void) => void;

export interface DemoApi {
  /** Answers a request under /api/; undefined for any other path. */
  handle(request: Request): Promise<Response | undefined>;
  /** The same, for connect (Vite) and node:http; other paths go to next(). */
  readonly middleware: ConnectMiddleware;
  readonly config: DemoConfig;
  close(): void;
}

const API_PREFIX = '/api/';

/** The endpoints for one S3 target; starts nothing, so a test can point it at any target. */
export function createDemoApi(target: S3Target, log: (message: string) => void = console.error): DemoApi {
  const config = publicConfig(target);
  const readUrls = createReadUrlSigner(target);
  const s3 = createS3Client(target);
  const multipart = createPresignedMultipart(target, s3);
  const afterUpload = createAfterUpload(target, s3);
  const post = (run: (body: unknown) => Promise<unknown>): Route => ({ method: 'POST', run: async (request) => run(await readJsonBody(request)) });

  type Route = { readonly method: 'GET' | 'POST'; run(request: Request, url: URL): Promise<unknown> };
  const routes = new Map<string, Route>([
    ['/api/config', { method: 'GET', run: async () => config }],
    ...ANSWER_SHAPES.map((shape): [string, Route] => [
      `/api/policy/${shape}`,
      {
        method: 'POST',
        run: async (request, url) =>
          policyAnswer(shape, { request: parsePolicyRequest(await readJsonBody(request)), target, mistake: readMistake(url) }),
      },
    ]),
    [
      '/api/sign-policy',
      {
        method: 'POST',
        run: async (request, url) => signPolicyDocument({ document: await readJsonBody(request), target, mistake: readMistake(url) }),
      },
    ],
    ['/api/read-url', post((body) => readUrls.sign(body))],
    ['/api/multipart/create', post((body) => multipart.create(body))],
    ['/api/multipart/sign-parts', post((body) => multipart.signParts(body))],
    ['/api/multipart/list-parts', post((body) => multipart.listParts(body))],
    ['/api/multipart/complete', post((body) => multipart.complete(body))],
    ['/api/multipart/abort', post((body) => multipart.abort(body))],
    ['/api/sign-headers', post(async (body) => signHeaders({ body, target }))],
    ['/api/upload-finished', post((body) => afterUpload.uploadFinished(body))],
    ['/api/delete', post((body) => afterUpload.deleteObject(body))],
  ]);

  async function handle(request: Request): Promise<Response | undefined> {
    const url = new URL(request.url);
    if (!url.pathname.startsWith(API_PREFIX)) return undefined;
    const route = routes.get(url.pathname);
    if (!route) {
      return errorResponse(404, `No endpoint ${url.pathname}. The demo backend serves ${[...routes.keys()].join(', ')}.`);
    }
    if (request.method !== route.method) {
      const response = errorResponse(405, `${url.pathname} answers ${route.method}, not ${request.method}.`);
      response.headers.set('Allow', route.method);
      return response;
    }
    try {
      return jsonResponse(200, await route.run(request, url));
    } catch (error) {
      if (error instanceof ApiError) return errorResponse(error.status, error.message);
      log(`[demo backend] ${request.method} ${url.pathname} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
      return errorResponse(500, `The demo backend failed: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  const middleware: ConnectMiddleware = (req, res, next) => {
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    if (!path.startsWith(API_PREFIX)) return next();
    const method = req.method ?? 'GET';
    handle(toFetchRequest(req, 'http://127.0.0.1'))
      .then((response) => (response ? writeFetchResponse(res, response, method) : next()))
      .catch(next);
  };

  return {
    handle,
    middleware,
    config,
    close: () => {
      readUrls.close();
      s3.destroy();
    },
  };
}

function readMistake(url: URL): Mistake | undefined {
  const name = url.searchParams.get('mistake');
  if (name === null || name === '' || name === 'none') return undefined;
  if (!isMistake(name)) throw new ApiError(400, `Unknown mistake ${JSON.stringify(name)}; known: ${MISTAKES.join(', ')}.`);
  return name;
}

export interface DemoBackendOptions {
  /** Default process.env. */
  readonly env?: Env;
  /** The embedded S3's port. Default DEMO_S3_PORT, else 9100, else (when 9100 is taken) any free port. */
  readonly s3Port?: number;
  /** The embedded S3 reads uploads at most this fast. Default DEMO_S3_THROTTLE (bytes per second), else no limit. */
  readonly s3UploadBytesPerSecond?: number;
  /**
   * Origins the embedded bucket's CORS rule allows. Default: any port on 127.0.0.1 and localhost, because
   * the dev server moves to the next free port when 5173 is taken (strictPort false).
   */
  readonly allowedOrigins?: readonly string[];
  readonly log?: (message: string) => void;
}

export interface DemoBackend extends DemoApi {
  readonly target: S3Target;
  /** The embedded S3, when no real one is configured. */
  readonly s3: S3Server | undefined;
  /** Stops the embedded S3 (closing its connections). */
  stop(): Promise<void>;
}

export async function startDemoBackend(options: DemoBackendOptions = {}): Promise<DemoBackend> {
  const env = options.env ?? process.env;
  const log = options.log ?? console.error;
  const settings = readS3Settings(env);
  if (settings.mode === 'external') {
    const api = createDemoApi(settings.target, log);
    return { ...api, target: settings.target, s3: undefined, stop: async () => api.close() };
  }

  const credentials = generateDemoCredentials();
  const throttle = options.s3UploadBytesPerSecond ?? settings.uploadBytesPerSecond;
  const s3 = await startEmbeddedS3({
    port: options.s3Port ?? portFromEnv(env),
    ...(throttle !== undefined ? { uploadBytesPerSecond: throttle } : {}),
    buckets: [settings.bucket],
    region: settings.region,
    credentials: [credentials],
    cors: {
      allowedOrigins: options.allowedOrigins ?? ['http://127.0.0.1:*', 'http://localhost:*'],
      // x-amz-bucket-region too: the kit reads it from an error answer, and a browser logs a console
      // error for every header it is asked for that CORS does not expose.
      exposeHeaders: ['ETag', 'Location', 'x-amz-request-id', 'x-amz-bucket-region'],
    },
    log,
  });
  const target: S3Target = {
    mode: 'embedded',
    bucket: settings.bucket,
    region: settings.region,
    endpoint: s3.url,
    credentials,
    maxSize: settings.maxSize,
    multipart: settings.multipart,
  };
  const api = createDemoApi(target, log);
  return {
    ...api,
    target,
    s3,
    stop: async () => {
      api.close();
      await s3.stop();
    },
  };
}

type EmbeddedOptions = Omit<Parameters<typeof startS3Server>[0], 'port'> & {
  readonly port: number | undefined;
  readonly log: (message: string) => void;
};

async function startEmbeddedS3({ port, log, ...options }: EmbeddedOptions): Promise<S3Server> {
  if (port !== undefined) return startS3Server({ ...options, port });
  try {
    return await startS3Server({ ...options, port: DEFAULT_S3_PORT });
  } catch (error) {
    if (!(error instanceof Error && 'code' in error && error.code === 'EADDRINUSE')) throw error;
    log(`[demo backend] port ${DEFAULT_S3_PORT} is taken; the embedded S3 takes a free port instead (set DEMO_S3_PORT to choose one).`);
    return startS3Server({ ...options, port: 0 });
  }
}
