// Node's http objects to and from fetch's Request and Response, so the S3 emulator (fetch-style
// handle()) and the demo backend can sit behind a plain node:http server or Vite's connect stack.
// Bodies are streamed both ways with backpressure: a large upload is never buffered here.

import type { IncomingMessage, ServerResponse } from 'node:http';

export interface RequestOptions {
  /** Read the body no faster than this, to play a slow network (loopback is too fast to see progress). */
  readonly bytesPerSecond?: number;
}

/**
 * A Request for `req`. The URL's origin comes from the Host header (falling back to `fallbackOrigin`),
 * so a server can tell which endpoint the client addressed; every header, Origin included, is kept.
 */
export function toFetchRequest(req: IncomingMessage, fallbackOrigin: string, options: RequestOptions = {}): Request {
  const origin = req.headers.host ? `http://${req.headers.host}` : fallbackOrigin;
  const url = new URL(req.url ?? '/', URL.canParse(origin) ? origin : fallbackOrigin);
  const headers = new Headers();
  for (let i = 0; i + 1 < req.rawHeaders.length; i += 2) {
    const name = req.rawHeaders[i];
    const value = req.rawHeaders[i + 1];
    if (name !== undefined && value !== undefined) headers.append(name, value);
  }
  const method = (req.method ?? 'GET').toUpperCase();
  const hasBody = method !== 'GET' && method !== 'HEAD';
  // fetch requires duplex 'half' for a streamed request body; the DOM typings do not know the option yet.
  const init: RequestInit & { duplex: 'half' } = {
    method,
    headers,
    body: hasBody ? bodyStream(req, options.bytesPerSecond) : null,
    duplex: 'half',
  };
  return new Request(url, init);
}

function bodyStream(req: IncomingMessage, bytesPerSecond: number | undefined): ReadableStream<Uint8Array> {
  const chunks = req[Symbol.asyncIterator]();
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      const { value, done }: IteratorResult<unknown> = await chunks.next();
      if (done) return controller.close();
      const bytes = value instanceof Uint8Array ? value : new TextEncoder().encode(String(value));
      // Not reading lets TCP flow control push back on the sender, as a slow link would.
      if (bytesPerSecond) await new Promise((resolve) => setTimeout(resolve, (bytes.length / bytesPerSecond) * 1000));
      controller.enqueue(bytes);
    },
    cancel() {
      req.destroy();
    },
  });
}

/** Writes `response` to `res`: status, every header, and the body unless the request was HEAD. */
export async function writeFetchResponse(res: ServerResponse, response: Response, method: string): Promise<void> {
  res.statusCode = response.status;
  if (response.statusText) res.statusMessage = response.statusText;
  const cookies = response.headers.getSetCookie();
  response.headers.forEach((value, name) => {
    if (name !== 'set-cookie') res.setHeader(name, value);
  });
  if (cookies.length > 0) res.setHeader('set-cookie', cookies);
  if (!response.body || method.toUpperCase() === 'HEAD') {
    res.end();
    return;
  }
  const reader = response.body.getReader();
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      if (res.destroyed) {
        await reader.cancel();
        return;
      }
      if (!res.write(value)) await drained(res);
    }
    res.end();
  } catch (error) {
    res.destroy(error instanceof Error ? error : new Error(String(error)));
  }
}

// 'drain' never comes when the client goes away mid-body, so 'close' ends the wait too.
function drained(res: ServerResponse): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      res.off('drain', done);
      res.off('close', done);
      resolve();
    };
    res.on('drain', done);
    res.on('close', done);
  });
}
