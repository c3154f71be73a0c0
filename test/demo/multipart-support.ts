// The demo backend (createDemoApi) and the embedded S3 (demo/s3-server.ts), each on a real 127.0.0.1
// port, for the multipart tests, and a page for the kit: happy-dom's XMLHttpRequest, which goes over
// the network as a browser's does, CORS included. The page is at http://localhost:3000, so S3 must allow
// that origin and expose ETag, or the part PUTs fail as they would in a browser.
//
// The tests run in Node's environment, with only XMLHttpRequest (and the File it sends) taken from a
// happy-dom window: under the happy-dom environment the servers' Request would be happy-dom's, which
// drops the headers a browser may not set (Origin, Access-Control-Request-Method), so the emulator would
// see preflights without them.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Window } from 'happy-dom';
import { createDemoApi, type DemoApi } from '../../demo/backend';
import { startS3Server, type S3Server } from '../../demo/s3-server';
import { EMBEDDED_BUCKET, EMBEDDED_REGION, generateDemoCredentials, type MultipartLimits, type S3Target } from '../../demo/server/config';

export const MIB = 1024 * 1024;
export const PART_SIZE = 5 * MIB;

export interface MultipartDemo {
  readonly api: DemoApi;
  /** http://127.0.0.1:<port>: POST `${apiOrigin}/api/...`. */
  readonly apiOrigin: string;
  readonly s3: S3Server;
  readonly target: S3Target;
  stop(): Promise<void>;
}

export async function startMultipartDemo(multipart?: MultipartLimits): Promise<MultipartDemo> {
  const credentials = generateDemoCredentials();
  const s3 = await startS3Server({
    port: 0,
    buckets: [EMBEDDED_BUCKET],
    region: EMBEDDED_REGION,
    credentials: [credentials],
    // What demo/backend.ts gives the embedded S3.
    cors: { allowedOrigins: ['http://127.0.0.1:*', 'http://localhost:*'], exposeHeaders: ['ETag', 'Location', 'x-amz-request-id', 'x-amz-bucket-region'] },
  });
  const target: S3Target = {
    mode: 'embedded',
    bucket: EMBEDDED_BUCKET,
    region: EMBEDDED_REGION,
    endpoint: s3.url,
    credentials,
    maxSize: 10 * MIB,
    ...(multipart ? { multipart } : {}),
  };
  const api = createDemoApi(target, () => {});
  const server = createServer((req, res) => {
    const origin = req.headers.origin;
    if (origin !== undefined) {
      res.setHeader('Access-Control-Allow-Origin', origin);
      res.setHeader('Vary', 'Origin');
    }
    if (req.method === 'OPTIONS') {
      res.setHeader('Access-Control-Allow-Methods', 'GET, POST');
      res.setHeader('Access-Control-Allow-Headers', req.headers['access-control-request-headers'] ?? '');
      res.statusCode = 204;
      res.end();
      return;
    }
    api.middleware(req, res, (error) => {
      res.statusCode = error ? 500 : 404;
      res.end(error ? 'middleware error' : 'not an /api/ path');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    api,
    apiOrigin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    s3,
    target,
    stop: async () => {
      await closeServer(server);
      api.close();
      await s3.stop();
    },
  };
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve, reject) => {
    server.close((error) => (error ? reject(error) : resolve()));
    server.closeAllConnections();
  });
}

/** POST JSON to the demo API; the status and the JSON answer. */
export async function postApi(demo: MultipartDemo, path: string, body: unknown): Promise<{ status: number; json: Record<string, unknown> }> {
  const response = await fetch(`${demo.apiOrigin}${path}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
  });
  const json: unknown = await response.json();
  return { status: response.status, json: typeof json === 'object' && json !== null ? Object.fromEntries(Object.entries(json)) : {} };
}

export const PAGE_ORIGIN = 'http://localhost:3000';

export interface BrowserPage {
  /** A file of `size` bytes that differ from part to part (a happy-dom File, which its XHR can send), and those bytes. */
  file(size: number, name?: string, type?: string): { file: File; bytes: Uint8Array };
  close(): Promise<void>;
}

/** Makes XMLHttpRequest a page's at PAGE_ORIGIN, until close(). */
export function openBrowserPage(): BrowserPage {
  const window = new Window({ url: `${PAGE_ORIGIN}/` });
  const previous = Object.getOwnPropertyDescriptor(globalThis, 'XMLHttpRequest');
  Object.defineProperty(globalThis, 'XMLHttpRequest', { value: window.XMLHttpRequest, configurable: true, writable: true });
  return {
    file(size, name = 'movie.mp4', type = 'video/mp4') {
      const bytes = new Uint8Array(size);
      for (let i = 0; i < size; i++) bytes[i] = (i * 31 + (i >>> 20) * 7) & 0xff;
      return { file: pageFile(new window.File([bytes], name, { type })), bytes };
    },
    async close() {
      if (previous) Object.defineProperty(globalThis, 'XMLHttpRequest', previous);
      else Reflect.deleteProperty(globalThis, 'XMLHttpRequest');
      await window.happyDOM.close();
    },
  };
}

// happy-dom's File lacks a few members of the DOM typings (webkitRelativePath, bytes) that the kit never uses.
function pageFile(value: unknown): File {
  if (isFileLike(value)) return value;
  throw new TypeError('happy-dom did not make a File.');
}

function isFileLike(value: unknown): value is File {
  return typeof value === 'object' && value !== null && 'name' in value && 'slice' in value && 'size' in value && 'lastModified' in value;
}

/** Byte-for-byte equality without a megabyte-sized diff on failure. */
export function sameBytes(actual: Uint8Array | undefined, expected: Uint8Array): boolean {
  return actual !== undefined && Buffer.from(actual).equals(Buffer.from(expected));
}
