// Shared pieces of the multipart tests: files of real bytes, a storage for the resume store, and
// what the emulator's request log says about the part PUTs.
import { randomBytes } from 'node:crypto';
import { http, HttpResponse } from 'msw';
import type { EmulatedRequest, S3Emulator } from '../../mocks/index';
import type { ResumeStorage } from '../../src/index';
import { BUCKET, REGION } from './backends';

export const MIB = 1024 * 1024;
/** S3's smallest part but the last, and the part size of these tests: 3 parts stay fast. */
export const PART_SIZE = 5 * MIB;
/** The virtual-hosted URLs the kit's parts go to, as MSW patterns. */
export const OBJECTS = `https://${BUCKET}.s3.${REGION}.amazonaws.com/*`;

/**
 * Works around a test-environment bug that would give every concurrent part the ETag of the last one to
 * answer. MSW's XMLHttpRequest interceptor mocks a response by assigning getResponseHeader and
 * getAllResponseHeaders on the request, and defines them where it finds the property: it first copies
 * the methods of XMLHttpRequest.prototype onto each instance, but happy-dom declares them one class up
 * (its global XMLHttpRequest is a per-window subclass), so the assignment lands on the shared prototype,
 * and every XHR then reads the headers of the latest mocked response. Declaring them on the subclass
 * makes the interceptor copy them onto each instance, where its assignment stays. Browsers are not
 * concerned: there no interceptor rewrites XHR.
 */
export function isolateXhrResponseHeaders(): void {
  const prototype = XMLHttpRequest.prototype;
  if (Object.hasOwn(prototype, 'getResponseHeader')) return;
  const { getResponseHeader, getAllResponseHeaders } = prototype;
  Object.defineProperties(prototype, {
    getResponseHeader: {
      value(this: XMLHttpRequest, name: string) {
        return getResponseHeader.call(this, name);
      },
      writable: true,
      configurable: true,
    },
    getAllResponseHeaders: {
      value(this: XMLHttpRequest) {
        return getAllResponseHeaders.call(this);
      },
      writable: true,
      configurable: true,
    },
  });
}

/** A file of `size` random bytes, and those bytes. */
export function randomFile(size: number, name = 'movie.mp4', type = 'video/mp4'): { file: File; bytes: Uint8Array } {
  const bytes = new Uint8Array(randomBytes(size));
  return { file: new File([bytes], name, { type, lastModified: 1_750_000_000_000 }), bytes };
}

/** Three parts: 5 MiB, 5 MiB and a little. */
export function threePartFile(name?: string): { file: File; bytes: Uint8Array } {
  return randomFile(2 * PART_SIZE + 12_345, name);
}

/** A Storage in memory, as localStorage behaves. */
export function memoryStorage(): ResumeStorage & { readonly entries: Map<string, string> } {
  const entries = new Map<string, string>();
  return {
    entries,
    get length() {
      return entries.size;
    },
    key: (index) => [...entries.keys()][index] ?? null,
    getItem: (key) => entries.get(key) ?? null,
    setItem: (key, value) => void entries.set(key, String(value)),
    removeItem: (key) => void entries.delete(key),
  };
}

/** The part number of an UploadPart request, undefined for any other request. */
export function partNumberOf(url: string): number | undefined {
  const value = new URL(url).searchParams.get('partNumber');
  return value === null ? undefined : Number(value);
}

/** How many PUTs reached S3 for each part number, from the emulator's log since index `from`. */
export function putsPerPart(s3: S3Emulator, from = 0): Record<number, number> {
  const counts: Record<number, number> = {};
  for (const request of s3.requests.slice(from)) {
    const partNumber = request.method === 'PUT' ? partNumberOf(request.url) : undefined;
    if (partNumber !== undefined) counts[partNumber] = (counts[partNumber] ?? 0) + 1;
  }
  return counts;
}

/** "METHOD ?query-names status" for each request since `from`, to read what went to S3 in order. */
export function requestLog(requests: readonly EmulatedRequest[], from = 0): string[] {
  return requests.slice(from).map(({ method, url, status, code }) => {
    const names = [...new URL(url).searchParams.keys()].filter((name) => !name.startsWith('X-Amz-') && name !== 'x-id');
    return `${method} ${names.length ? `?${names.join('&')}` : '/'} ${status}${code ? ` ${code}` : ''}`;
  });
}

/** S3's XML error, as a handler in front of the emulator answers it. */
export function s3ErrorResponse(status: number, code: string, message: string, headers: Record<string, string> = {}): Response {
  const body = `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code><Message>${message}</Message><RequestId>4442587FB7D0A2F9</RequestId><HostId>host-id</HostId></Error>`;
  return new HttpResponse(body, { status, headers: { 'Content-Type': 'application/xml', ...headers } });
}

/**
 * A handler in front of the emulator for part PUTs: `decide` sees each (with its part number and how
 * many PUTs that part has had, this one included) and answers, or returns undefined to let S3 answer.
 * `sent` counts the PUTs the page sent per part number, whoever answered them.
 */
export function beforeParts(
  s3: S3Emulator,
  decide: (partNumber: number, attempt: number, request: Request) => Response | undefined | Promise<Response | undefined>,
) {
  const sent = new Map<number, number>();
  const handler = http.put(OBJECTS, async ({ request }) => {
    const partNumber = partNumberOf(request.url);
    if (partNumber === undefined) return s3.handle(request);
    const attempt = (sent.get(partNumber) ?? 0) + 1;
    sent.set(partNumber, attempt);
    return (await decide(partNumber, attempt, request)) ?? s3.handle(request);
  });
  return { handler, sent };
}
