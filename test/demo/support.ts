// The demo backend (and its embedded S3) on real 127.0.0.1 sockets for the demo tests, and the one
// thing the kit does that Node lacks: sending the form. Node has no XMLHttpRequest, so the prepared
// form goes out with fetch + FormData, fields in the order the kit prepared, the file last.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { PreparedUpload } from '../../src/index';
import { startDemoBackend, type DemoBackend } from '../../demo/backend';

export interface RunningBackend {
  readonly backend: DemoBackend;
  /** http://127.0.0.1:<port>, where /api/* is served. */
  readonly origin: string;
  /** The embedded S3's emulator, for reading what was stored. */
  readonly s3: NonNullable<DemoBackend['s3']>;
  stop(): Promise<void>;
}

export async function startBackendServer(): Promise<RunningBackend> {
  const backend = await startDemoBackend({ env: {}, s3Port: 0, log: () => {} });
  const server = createServer((req, res) =>
    backend.middleware(req, res, (error) => {
      res.statusCode = error ? 500 : 404;
      res.end(error ? 'middleware error' : 'not an /api/ path');
    }),
  );
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { s3 } = backend;
  if (!s3) throw new Error('The demo backend started without the embedded S3.');
  return {
    backend,
    origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    s3,
    stop: async () => {
      await closeServer(server);
      await backend.stop();
    },
  };
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve, reject) => {
    server.close((error) => (error ? reject(error) : resolve()));
    server.closeAllConnections();
  });
}

export function postPrepared(prepared: PreparedUpload, origin?: string): Promise<Response> {
  const form = new FormData();
  for (const [name, value] of prepared.fields) form.append(name, value);
  form.append('file', prepared.file, prepared.filename);
  return fetch(prepared.url, { method: 'POST', body: form, ...(origin ? { headers: { Origin: origin } } : {}) });
}

export async function postJson(url: string, body: unknown): Promise<{ status: number; json: unknown }> {
  const response = await fetch(url, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
  return { status: response.status, json: await response.json() };
}

/** S3's error Code in an XML error body. */
export function s3Code(xml: string): string | undefined {
  return /<Code>([^<]*)<\/Code>/.exec(xml)?.[1];
}

export function pngBytes(): Uint8Array<ArrayBuffer> {
  // Any bytes will do; a PNG signature followed by every byte value catches encoding slips.
  return new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, ...Array.from({ length: 256 }, (_, i) => i)]);
}
