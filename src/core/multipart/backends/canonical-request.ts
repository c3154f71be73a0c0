// The SigV4 canonical request and string to sign for a request the kit builds itself, as S3 rebuilds
// them from what arrives: https://docs.aws.amazon.com/AmazonS3/latest/API/sig-v4-header-based-auth.html
//
//   <Method>\n<CanonicalURI>\n<CanonicalQueryString>\n<CanonicalHeaders>\n<SignedHeaders>\n<HashedPayload>
//   AWS4-HMAC-SHA256\n<x-amz-date>\n<yyyymmdd>/<region>/s3/aws4_request\n<hex SHA-256 of the canonical request>
//
// The URL is sent exactly as it is signed: the path encoded once (S3, unlike other services, does not
// encode it twice), the query already sorted and encoded. So what S3 decodes and encodes again is
// what the backend signed.

import { bytesToHex } from '../../codec';
import { SIGV4_ALGORITHM } from '../../policy/credential';
import { MultipartError } from '../../errors/MultipartError';

export interface RequestToSign {
  readonly method: string;
  readonly url: URL;
  /** Headers to sign besides host, which comes from the URL (a browser sets Host itself). */
  readonly headers: ReadonlyArray<readonly [name: string, value: string]>;
  /** x-amz-content-sha256: the hex SHA-256 of the body, or UNSIGNED-PAYLOAD. */
  readonly payloadHash: string;
}

export interface CanonicalForm {
  readonly canonicalRequest: string;
  /** Lower-case names joined by ';', as the Authorization header lists them. */
  readonly signedHeaders: string;
}

/** The hex SHA-256 of an empty body, signed for the requests that send none. */
export const EMPTY_SHA256 = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';
export const UNSIGNED_PAYLOAD = 'UNSIGNED-PAYLOAD';

export function canonicalize(request: RequestToSign): CanonicalForm {
  const headers = new Map<string, string>([['host', request.url.host]]);
  for (const [name, value] of request.headers) headers.set(name.toLowerCase(), value.trim().replace(/\s+/g, ' '));
  const names = [...headers.keys()].sort();
  const signedHeaders = names.join(';');
  const canonicalRequest = [
    request.method,
    request.url.pathname,
    request.url.search.slice(1),
    // Each canonical header ends with \n, so this part ends with an empty line.
    names.map((name) => `${name}:${headers.get(name) ?? ''}\n`).join(''),
    signedHeaders,
    request.payloadHash,
  ].join('\n');
  return { canonicalRequest, signedHeaders };
}

export async function stringToSign(amzDate: string, scope: string, canonicalRequest: string): Promise<string> {
  return [SIGV4_ALGORITHM, amzDate, scope, await sha256Hex(canonicalRequest)].join('\n');
}

/**
 * Fine Uploader's "headers" string for its v4 sign_headers request: the string to sign with the
 * canonical request itself in place of its hash (a backend written for Fine Uploader hashes it).
 */
export function fineUploaderHeaders(toSign: string, canonicalRequest: string): string {
  return [...toSign.split('\n').slice(0, 3), canonicalRequest].join('\n');
}

export async function sha256Hex(text: string): Promise<string> {
  return bytesToHex(new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text))));
}

/** UriEncode of the SigV4 spec: unreserved characters stay, every other UTF-8 byte is %XX. */
export function uriEncode(text: string): string {
  return encodeURIComponent(text).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/** The query as sent and as signed: names and values encoded, sorted by name then value. */
export function canonicalQuery(params: ReadonlyArray<readonly [string, string]>): string {
  return params
    .map(([name, value]) => [uriEncode(name), uriEncode(value)] as const)
    .sort(([a, x], [b, y]) => compare(a, b) || compare(x, y))
    .map(([name, value]) => `${name}=${value}`)
    .join('&');
}

/**
 * The bucket's URL without a trailing slash. The default endpoint is virtual-hosted
 * (https://<bucket>.s3.<region>.amazonaws.com); an endpoint that names the bucket in its host or its
 * path is used as it is, and one that names neither gets the bucket appended, path-style.
 */
export function bucketBaseUrl(options: { readonly bucket: string; readonly region: string; readonly endpoint?: string | undefined }): string {
  const { bucket } = options;
  const url = new URL(options.endpoint ?? `https://${bucket}.s3.${options.region}.amazonaws.com`);
  url.search = '';
  url.hash = '';
  const base = url.href.replace(/\/+$/, '');
  const first = url.pathname.split('/').find((segment) => segment !== '');
  const named = url.hostname.startsWith(`${bucket}.`) || (first !== undefined && safeDecode(first) === bucket);
  return named ? base : `${base}/${uriEncode(bucket)}`;
}

/** The object's URL with `query`, each key segment encoded once, '/' kept. */
export function objectRequestUrl(bucketUrl: string, key: string, query: ReadonlyArray<readonly [string, string]>): URL {
  const segments = key.split('/');
  // A URL parser resolves "." and ".." segments away, so such a key would be stored under another name.
  if (segments.some((segment) => segment === '.' || segment === '..')) {
    throw new MultipartError('bad-key', `The key ${JSON.stringify(key)} has a "." or ".." segment, which the browser's URL parser would remove, so S3 would store another key.`,
      'Choose a key without "." or ".." between slashes.');
  }
  const url = new URL(`${bucketUrl}/${segments.map(uriEncode).join('/')}`);
  url.search = canonicalQuery(query);
  return url;
}

function safeDecode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

// Byte order: the encoded strings are ASCII, so UTF-16 order is byte order.
function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
