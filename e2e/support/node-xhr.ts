// The part of XMLHttpRequest the kit uses (src/core/transport/xhr-request.ts), over node:http, for suites that run
// the core in Node against a real S3. happy-dom's XMLHttpRequest sends a Blob body chunked, without a
// Content-Length, which S3 refuses for UploadPart (411 MissingContentLength); browsers always send the
// length of a Blob, and so does this. Upload progress is reported per chunk written, as a browser does.

import { request as httpRequest, type IncomingMessage } from 'node:http';

type Listener = (event: { loaded: number; total: number; lengthComputable: boolean }) => void;

class Listeners {
  readonly #byType = new Map<string, Listener[]>();
  addEventListener(type: string, listener: Listener): void {
    this.#byType.set(type, [...(this.#byType.get(type) ?? []), listener]);
  }
  removeEventListener(type: string, listener: Listener): void {
    this.#byType.set(type, (this.#byType.get(type) ?? []).filter((each) => each !== listener));
  }
  emit(type: string, loaded = 0, total = 0): void {
    for (const listener of this.#byType.get(type) ?? []) listener({ loaded, total, lengthComputable: total > 0 });
  }
}

const CHUNK = 256 * 1024;

export class NodeXMLHttpRequest extends Listeners {
  readonly upload = new Listeners();
  status = 0;
  responseText = '';
  responseURL = '';
  #method = 'GET';
  #url = '';
  #headers: Record<string, string> = {};
  #response: IncomingMessage | undefined;
  #abort: (() => void) | undefined;

  open(method: string, url: string): void {
    this.#method = method;
    this.#url = url;
    this.responseURL = url;
  }

  setRequestHeader(name: string, value: string): void {
    this.#headers[name] = value;
  }

  getResponseHeader(name: string): string | null {
    const value = this.#response?.headers[name.toLowerCase()];
    return value === undefined ? null : Array.isArray(value) ? value.join(', ') : value;
  }

  getAllResponseHeaders(): string {
    return Object.entries(this.#response?.headers ?? {})
      .map(([name, value]) => `${name}: ${Array.isArray(value) ? value.join(', ') : (value ?? '')}\r\n`)
      .join('');
  }

  abort(): void {
    this.#abort?.();
  }

  send(body?: Blob | string | null): void {
    void this.#send(body ?? null);
  }

  async #send(body: Blob | string | null): Promise<void> {
    const bytes = body === null ? new Uint8Array() : typeof body === 'string' ? new TextEncoder().encode(body) : new Uint8Array(await body.arrayBuffer());
    const request = httpRequest(this.#url, { method: this.#method, headers: { ...this.#headers, 'content-length': String(bytes.length) } });
    let done = false;
    const finish = (type: 'load' | 'error' | 'abort'): void => {
      if (done) return;
      done = true;
      this.emit(type);
    };
    this.#abort = () => {
      request.destroy();
      finish('abort');
    };
    request.on('error', () => finish('error'));
    request.on('response', (response) => {
      this.#response = response;
      this.status = response.statusCode ?? 0;
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => {
        this.responseText = Buffer.concat(chunks).toString('utf8');
        finish('load');
      });
      response.on('error', () => finish('error'));
    });
    for (let offset = 0; offset < bytes.length; offset += CHUNK) {
      const chunk = bytes.subarray(offset, Math.min(bytes.length, offset + CHUNK));
      if (!request.write(chunk)) await new Promise((resolve) => request.once('drain', resolve));
      if (done) return;
      this.upload.emit('progress', offset + chunk.length, bytes.length);
    }
    request.end();
  }
}
