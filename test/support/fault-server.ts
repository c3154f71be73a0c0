// The S3 emulator behind a real HTTP server on 127.0.0.1 (a random port), with faults injected in front
// of it: a connection dropped after N bytes of the body, or an answer S3 gives in bad moments (500, 503
// SlowDown with Retry-After, "Policy expired", RequestTimeTooSkewed). The kit's XHRs go over a real
// socket (happy-dom's XMLHttpRequest does real HTTP; no MSW in these tests), so a dropped connection is
// a real one. The server counts what reached it, and how many body bytes, per request.
//
// happy-dom's XMLHttpRequest fires no upload progress events; installUploadProgress() makes it fire
// them from the bytes this server has received, which is what a browser reports too.

import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { corsHeaders, corsRule, type CorsOptions } from '../../mocks/cors';
import { createS3Emulator, type S3Emulator } from '../../mocks/index';
import { CREDENTIALS } from './aws-signer';

export const FAULT_BUCKET = 'uploads';
export const FAULT_REGION = 'us-east-1';
// Retry-After and Date exposed: the bucket's CORS rule a page needs to honour S3's Retry-After and to
// read S3's clock from its Date header.
const CORS: CorsOptions = { exposeHeaders: ['ETag', 'Location', 'x-amz-request-id', 'Retry-After', 'Date'] };

/** A request as this server saw it. */
export interface ReceivedRequest {
  readonly method: string;
  /** Path and query. */
  readonly path: string;
  /** Body bytes that arrived before the request ended or was cut. */
  bytes: number;
  /** The fault played on it, if any. */
  fault?: string;
  /** The status answered; undefined when the connection was cut. */
  status?: number;
}

export type FaultAction =
  /** Read this many body bytes, then destroy the socket: the browser sees a network error. */
  | { readonly kind: 'drop'; readonly afterBytes: number }
  /**
   * Read the whole body, then answer this instead of S3 (CORS headers are added as S3 adds them), or
   * undefined to let S3 answer.
   */
  | { readonly kind: 'answer'; readonly response: (request: { readonly body: Buffer; readonly url: URL }) => Response | undefined }
  /** Never answer (until the server stops). */
  | { readonly kind: 'hang' };

export interface Fault {
  readonly name: string;
  readonly when: (request: { readonly method: string; readonly path: string; readonly url: URL }) => boolean;
  /** How many matching requests get it. Default 1. */
  readonly times?: number;
  readonly action: FaultAction;
}

export interface FaultServerOptions {
  /** The emulator's clock (S3's). Default the real time. */
  readonly now?: () => Date;
  /** Answers POST /api/policy (JSON in, JSON out), with CORS for the page. */
  readonly policy?: (body: Record<string, unknown>) => unknown | Promise<unknown>;
}

export interface FaultServer {
  /** http://127.0.0.1:<port> */
  readonly url: string;
  /** The bucket's URL, path-style, where a POST upload goes. */
  readonly bucketUrl: string;
  readonly s3: S3Emulator;
  /** Every request but CORS preflights, in arrival order. */
  readonly received: ReceivedRequest[];
  inject(fault: Fault): void;
  /** Calls `listener` with the bytes received so far as the body of the next request to `path` arrives. */
  watchUpload(path: string, listener: (loaded: number) => void): void;
  stop(): Promise<void>;
}

export async function startFaultServer(options: FaultServerOptions = {}): Promise<FaultServer> {
  const faults: Array<{ fault: Fault; left: number }> = [];
  const received: ReceivedRequest[] = [];
  const watchers = new Map<string, Array<(loaded: number) => void>>();
  const sockets = new Set<Socket>();
  let url = '';
  let s3: S3Emulator | undefined;

  const server = createServer((req, res) => void answer(req, res));
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });

  async function answer(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const method = req.method ?? 'GET';
    const path = req.url ?? '/';
    const full = new URL(path, url);
    if (method === 'OPTIONS' && full.pathname.startsWith('/api/')) return write(res, appPreflight(req), method);
    const seen: ReceivedRequest = { method, path, bytes: 0 };
    if (method !== 'OPTIONS') received.push(seen);
    const entry = method === 'OPTIONS' ? undefined : faults.find(({ fault, left }) => left > 0 && fault.when({ method, path, url: full }));
    if (entry) {
      entry.left -= 1;
      seen.fault = entry.fault.name;
    }
    const action = entry?.fault.action;
    const watcher = method === 'OPTIONS' ? undefined : watchers.get(path)?.shift();

    const chunks: Buffer[] = [];
    const cut = await new Promise<boolean>((resolve) => {
      req.on('data', (chunk: Buffer) => {
        if (action?.kind === 'drop' && seen.bytes + chunk.length >= action.afterBytes) {
          const keep = action.afterBytes - seen.bytes;
          seen.bytes += keep;
          watcher?.(seen.bytes);
          req.socket.destroy();
          resolve(true);
          return;
        }
        seen.bytes += chunk.length;
        chunks.push(chunk);
        watcher?.(seen.bytes);
      });
      req.on('end', () => resolve(false));
      req.on('close', () => resolve(true));
    });
    if (cut || action?.kind === 'hang') return;

    const body = chunks.length > 0 && method !== 'GET' && method !== 'HEAD' ? Buffer.concat(chunks) : undefined;
    const request = new Request(full, { method, ...(body ? { body } : {}) });
    // Set after construction: a DOM Request (happy-dom's, in these tests) drops Origin, Host and the
    // other headers a page may not set, which S3 reads.
    for (const [name, value] of Object.entries(req.headers)) {
      if (typeof value === 'string') request.headers.set(name, value);
      else if (Array.isArray(value)) request.headers.set(name, value.join(', '));
    }

    let response: Response;
    const injected = action?.kind === 'answer' ? action.response({ body: body ?? Buffer.alloc(0), url: full }) : undefined;
    if (entry && action?.kind === 'answer' && !injected) {
      // Passed on to S3: not played.
      entry.left += 1;
      delete seen.fault;
    }
    if (injected) {
      response = injected;
      response.headers.set('Date', (options.now?.() ?? new Date()).toUTCString());
      for (const [name, value] of Object.entries(corsHeaders(request, corsRule(CORS)))) response.headers.set(name, value);
    } else if (full.pathname === '/api/policy' && options.policy) {
      const json: unknown = JSON.parse(body?.toString('utf8') ?? '{}');
      response = new Response(JSON.stringify(await options.policy(isRecord(json) ? json : {})), {
        headers: { 'Content-Type': 'application/json', ...appCors(req) },
      });
    } else {
      response = (await s3?.handle(request)) ?? new Response('not found', { status: 404 });
    }
    seen.status = response.status;
    await write(res, response, method);
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  s3 = createS3Emulator({
    endpoint: url,
    region: FAULT_REGION,
    buckets: [FAULT_BUCKET],
    credentials: [CREDENTIALS],
    cors: CORS,
    ...(options.now ? { now: options.now } : {}),
  });
  const emulator = s3;

  return {
    url,
    bucketUrl: `${url}/${FAULT_BUCKET}/`,
    s3: emulator,
    received,
    inject: (fault) => void faults.push({ fault, left: fault.times ?? 1 }),
    watchUpload(path, listener) {
      const list = watchers.get(path) ?? [];
      list.push(listener);
      watchers.set(path, list);
    },
    stop: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

/**
 * Makes happy-dom's XMLHttpRequest fire upload progress events as `server` receives the body, the way
 * a browser reports the bytes it has sent. A FormData body is encoded first (by happy-dom, as its XHR
 * would) so that the total is known, as it is to a browser. Returns the function that puts the
 * original XMLHttpRequest back.
 */
export function installUploadProgress(server: FaultServer): () => void {
  const Original = globalThis.XMLHttpRequest;
  class ProgressReportingXhr extends Original {
    #path = '';
    #aborted = false;
    override open(method: string, url: string | URL, async?: boolean, username?: string | null, password?: string | null): void {
      const parsed = new URL(url, globalThis.location.href);
      this.#path = parsed.pathname + parsed.search;
      super.open(method, url, async ?? true, username, password);
    }
    override abort(): void {
      this.#aborted = true;
      super.abort();
    }
    override send(body?: Document | XMLHttpRequestBodyInit | null): void {
      if (!(body instanceof FormData)) {
        const total = body instanceof Blob ? body.size : 0;
        this.#watch(total);
        super.send(body);
        return;
      }
      void (async () => {
        const encoded = new Response(body);
        const type = encoded.headers.get('content-type');
        const bytes = await encoded.blob();
        if (this.#aborted) return;
        if (type !== null) this.setRequestHeader('Content-Type', type);
        this.#watch(bytes.size);
        super.send(bytes);
      })();
    }
    #watch(total: number): void {
      server.watchUpload(this.#path, (loaded) => {
        this.upload.dispatchEvent(new ProgressEvent('progress', { lengthComputable: total > 0, loaded, total }));
      });
    }
  }
  globalThis.XMLHttpRequest = ProgressReportingXhr;
  return () => {
    globalThis.XMLHttpRequest = Original;
  };
}

async function write(res: ServerResponse, response: Response, method: string): Promise<void> {
  const headers: Record<string, string> = {};
  response.headers.forEach((value, name) => (headers[name] = value));
  const body = method === 'HEAD' || response.body === null ? undefined : Buffer.from(await response.arrayBuffer());
  res.writeHead(response.status, { ...headers, ...(body ? { 'Content-Length': String(body.length) } : {}) });
  res.end(body);
}

function appCors(req: IncomingMessage): Record<string, string> {
  return { 'Access-Control-Allow-Origin': req.headers.origin ?? '*', 'Access-Control-Allow-Credentials': 'true' };
}

function appPreflight(req: IncomingMessage): Response {
  return new Response(null, {
    status: 204,
    headers: {
      ...appCors(req),
      'Access-Control-Allow-Methods': 'POST',
      'Access-Control-Allow-Headers': req.headers['access-control-request-headers'] ?? '*',
    },
  });
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** S3's XML error, as S3 writes it. */
export function s3Error(status: number, code: string, message: string, extra: Record<string, string> = {}, headers: Record<string, string> = {}): Response {
  const elements = Object.entries(extra).map(([name, value]) => `<${name}>${value}</${name}>`).join('');
  const body = `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code><Message>${message}</Message>${elements}<RequestId>FAULT0REQUEST0ID</RequestId><HostId>fault-host-id</HostId></Error>`;
  return new Response(body, { status, headers: { 'Content-Type': 'application/xml', ...headers } });
}
