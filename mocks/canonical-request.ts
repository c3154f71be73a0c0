// The SigV4 canonical request and string to sign, rebuilt from a request as S3 receives it.
// https://docs.aws.amazon.com/AmazonS3/latest/API/sig-v4-header-based-auth.html (Canonical request)
// https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-query-string-auth.html
//
//   <HTTPMethod>\n<CanonicalURI>\n<CanonicalQueryString>\n<CanonicalHeaders>\n<SignedHeaders>\n<HashedPayload>
//
// S3 rebuilds what the client should have signed from what arrived; it never trusts the client's
// spelling. So the path and the query are decoded and encoded again in the one canonical way, which
// is why a client that encodes differently (`+` for a space, a raw `(`) sees its request refused.

import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex, utf8Encode } from '../src/core/codec';
import type { CredentialScope } from '../src/core/policy/credential';

export interface CanonicalRequestInput {
  readonly method: string;
  readonly url: URL;
  readonly headers: Headers;
  /** Lower-case names in the order the client listed them (SignedHeaders / X-Amz-SignedHeaders). */
  readonly signedHeaders: readonly string[];
  /** x-amz-content-sha256 as sent, or UNSIGNED-PAYLOAD for a presigned URL. */
  readonly payloadHash: string;
}

export function canonicalRequest(input: CanonicalRequestInput): string {
  return [
    input.method,
    canonicalUri(input.url.pathname),
    canonicalQuery(input.url.search),
    // Each canonical header ends with \n, so this part ends with an empty line.
    input.signedHeaders.map((name) => `${name}:${canonicalHeaderValue(input, name)}\n`).join(''),
    input.signedHeaders.join(';'),
    input.payloadHash,
  ].join('\n');
}

export function stringToSign(
  amzDate: string,
  scope: Pick<CredentialScope, 'date' | 'region' | 'service'>,
  canonical: string,
): string {
  const credentialScope = `${scope.date}/${scope.region}/${scope.service}/aws4_request`;
  return ['AWS4-HMAC-SHA256', amzDate, credentialScope, bytesToHex(sha256(utf8Encode(canonical)))].join('\n');
}

/**
 * "URI-encode each path segment" once: S3 is the one service whose canonical URI is not encoded
 * twice. '/' stays, every byte other than A-Z a-z 0-9 - _ . ~ becomes %XX in upper-case hex.
 */
export function canonicalUri(pathname: string): string {
  const path = pathname.split('/').map((segment) => uriEncode(decodeOrKeep(segment))).join('/');
  return path === '' ? '/' : path;
}

/**
 * The parameters sorted by encoded name (then value), each `name=value` with both URI-encoded, a
 * parameter without value as `name=` (`?uploads` signs as `uploads=`). X-Amz-Signature is left out:
 * it cannot sign itself. A `+` is read as a space, as S3 reads a query string.
 */
export function canonicalQuery(search: string): string {
  const pairs: Array<[string, string]> = [];
  for (const [name, value] of new URLSearchParams(search)) {
    if (name === 'X-Amz-Signature') continue;
    pairs.push([uriEncode(name), uriEncode(value)]);
  }
  pairs.sort(([a, x], [b, y]) => compare(a, b) || compare(x, y));
  return pairs.map(([name, value]) => `${name}=${value}`).join('&');
}

/** RFC 3986 unreserved characters stay; everything else is %XX of its UTF-8 bytes. */
export function uriEncode(text: string): string {
  return encodeURIComponent(text).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

// "Trim leading and trailing spaces, convert sequential spaces to a single space." A fetch Request
// carries no Host header (it is the URL's); S3 reads it from the connection, so the URL's host it is.
function canonicalHeaderValue(input: CanonicalRequestInput, name: string): string {
  const value = input.headers.get(name) ?? (name === 'host' ? input.url.host : '');
  return value.trim().replace(/\s+/g, ' ');
}

function decodeOrKeep(segment: string): string {
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
