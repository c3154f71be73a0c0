// The S3 emulator (mocks/) behind a real HTTP port on 127.0.0.1, path-style:
//   http://127.0.0.1:9100/<bucket>/<key>
// A service worker (MSW in the browser) cannot report upload progress, because the browser hands it the
// whole body at once; over a real socket xhr.upload's progress events are the browser's own.

import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createS3Emulator, type S3Emulator, type S3EmulatorOptions } from '../mocks/index';
import { toFetchRequest, writeFetchResponse } from './server/node-http';

export const DEFAULT_S3_PORT = 9100;
const HOST = '127.0.0.1';

export interface S3ServerOptions extends Omit<S3EmulatorOptions, 'endpoint'> {
  /** Default: the DEMO_S3_PORT environment variable, else 9100. 0 takes any free port (tests). */
  readonly port?: number;
  /**
   * Read request bodies no faster than this many bytes per second. Over loopback even a large upload
   * takes milliseconds, too fast for a progress bar to show anything.
   */
  readonly uploadBytesPerSecond?: number;
}

export interface S3Server {
  /** The endpoint, without a trailing slash: http://127.0.0.1:<port>. A bucket is at `${url}/${bucket}/`. */
  readonly url: string;
  readonly emulator: S3Emulator;
  /** Closes the listener and every open connection, keep-alive ones included. */
  stop(): Promise<void>;
}

export async function startS3Server(options: S3ServerOptions): Promise<S3Server> {
  const { port = portFromEnv() ?? DEFAULT_S3_PORT, uploadBytesPerSecond, ...emulatorOptions } = options;
  // The emulator must know its endpoint, port included, and the port is known only once bound.
  let emulator: S3Emulator | undefined;
  let url = `http://${HOST}:${port}`;

  const server = createServer((req, res) => {
    void answer(req, res);
  });

  async function answer(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const method = req.method ?? 'GET';
    try {
      const request = toFetchRequest(req, url, uploadBytesPerSecond ? { bytesPerSecond: uploadBytesPerSecond } : {});
      const response = (await emulator?.handle(request)) ?? notServed(request.url, url);
      await writeFetchResponse(res, response, method);
    } catch (error) {
      // A bug in the emulator, not an S3 answer: say so in S3's shape so the kit still reads it.
      await writeFetchResponse(res, errorXml(500, 'InternalError', `The S3 emulator failed: ${String(error)}`), method);
    }
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, HOST, () => {
      server.off('error', reject);
      resolve();
    });
  });
  url = `http://${HOST}:${boundPort(server.address())}`;
  emulator = createS3Emulator({ ...emulatorOptions, endpoint: url });
  const bound = emulator;

  return {
    url,
    emulator: bound,
    stop: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}

function boundPort(address: AddressInfo | string | null): number {
  if (address === null || typeof address === 'string') throw new Error('The S3 emulator server is not bound to a TCP port.');
  return address.port;
}

/** DEMO_S3_PORT, checked; undefined when unset. */
export function portFromEnv(env: Readonly<Record<string, string | undefined>> = process.env): number | undefined {
  const text = env['DEMO_S3_PORT']?.trim();
  if (text === undefined || text === '') return undefined;
  const port = Number(text);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new Error(`DEMO_S3_PORT is ${JSON.stringify(text)}; it must be a port number (0 for any free port).`);
  }
  return port;
}

// The emulator answers only for its own endpoint; a request for another host (a virtual-hosted name, a
// proxy's Host header) gets S3's "not found" shape and a sentence on what this server does serve.
function notServed(requestUrl: string, endpoint: string): Response {
  return errorXml(
    404,
    'NotFound',
    `The S3 emulator at ${endpoint} does not serve ${requestUrl}; it serves path-style URLs such as ${endpoint}/<bucket>/<key>.`,
  );
}

function errorXml(status: number, code: string, message: string): Response {
  const escape = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  const body = `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code><Message>${escape(message)}</Message></Error>`;
  return new Response(body, { status, headers: { 'Content-Type': 'application/xml' } });
}
