// multipart/form-data, parsed from the bytes (RFC 7578 over RFC 2046 §5.1.1).
// Our own parser rather than Request.formData(): environments differ (happy-dom's drops fields whose
// value is empty, and reports a part without filename differently), and S3's answers depend on exactly
// which parts were sent, in which order, with or without a filename.

export interface MultipartPart {
  readonly name: string;
  /** undefined when the Content-Disposition had no filename parameter. */
  readonly filename: string | undefined;
  readonly body: Uint8Array;
  /** Offset in the whole body where this part's delimiter starts (S3 limits what precedes the file). */
  readonly offset: number;
}

/** The boundary parameter of a multipart Content-Type; undefined when there is none. */
export function boundaryOf(contentType: string): string | undefined {
  const match = /;\s*boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(contentType);
  return match?.[1] ?? match?.[2];
}

const CR = 0x0d;
const LF = 0x0a;
const DASH = 0x2d;

/** The parts in order; undefined when the body is not well-formed multipart with this boundary. */
export function parseMultipart(body: Uint8Array, boundary: string): MultipartPart[] | undefined {
  const encoder = new TextEncoder();
  const delimiter = encoder.encode(`--${boundary}`);
  const innerDelimiter = encoder.encode(`\r\n--${boundary}`);
  // The first delimiter starts the body or follows a preamble line.
  let offset = startsWith(body, delimiter, 0) ? 0 : indexOf(body, innerDelimiter, 0) + 2;
  if (offset === 1) return undefined;

  const parts: MultipartPart[] = [];
  for (;;) {
    let cursor = offset + delimiter.length;
    if (body[cursor] === DASH && body[cursor + 1] === DASH) return parts; // close delimiter
    while (body[cursor] === 0x20 || body[cursor] === 0x09) cursor++; // transport padding
    if (body[cursor] !== CR || body[cursor + 1] !== LF) return undefined;
    cursor += 2;
    const headerEnd = indexOf(body, encoder.encode('\r\n\r\n'), cursor - 2);
    if (headerEnd === -1) return undefined;
    const headers = new TextDecoder().decode(body.subarray(cursor, headerEnd));
    const bodyStart = headerEnd + 4;
    const next = indexOf(body, innerDelimiter, headerEnd + 2);
    if (next === -1) return undefined;
    const disposition = contentDisposition(headers);
    if (!disposition) return undefined;
    parts.push({ ...disposition, body: body.subarray(bodyStart, Math.max(bodyStart, next)), offset });
    offset = next + 2;
  }
}

function contentDisposition(headers: string): { name: string; filename: string | undefined } | undefined {
  const line = headers
    .split('\r\n')
    .find((header) => header.toLowerCase().startsWith('content-disposition:'));
  if (line === undefined) return undefined;
  const parameters = new Map<string, string>();
  // name="value" (browsers percent-escape CR, LF and '"' instead of backslash-quoting; accept both)
  const parameter = /;\s*([^=;\s]+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^;]*))/g;
  for (const match of line.matchAll(parameter)) {
    const [, key = '', quoted, bare] = match;
    parameters.set(key.toLowerCase(), quoted !== undefined ? quoted.replace(/\\(.)/g, '$1') : (bare ?? '').trim());
  }
  const name = parameters.get('name');
  return name === undefined ? undefined : { name, filename: parameters.get('filename') };
}

function startsWith(haystack: Uint8Array, needle: Uint8Array, at: number): boolean {
  if (at + needle.length > haystack.length) return false;
  for (let i = 0; i < needle.length; i++) if (haystack[at + i] !== needle[i]) return false;
  return true;
}

function indexOf(haystack: Uint8Array, needle: Uint8Array, from: number): number {
  const first = needle[0];
  for (let at = haystack.indexOf(first ?? 0, from); at !== -1; at = haystack.indexOf(first ?? 0, at + 1)) {
    if (startsWith(haystack, needle, at)) return at;
  }
  return -1;
}
