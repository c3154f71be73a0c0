// Header signing (Fine Uploader's v4 `sign_headers`, the kit's `signHeaders` backend): the page builds
// each S3 request of a multipart upload and POSTs { stringToSign, canonicalRequest, headers }; the
// backend answers { signature } = hex(HMAC-SHA256(signing key, stringToSign)).
// https://docs.aws.amazon.com/AmazonS3/latest/API/sig-v4-header-based-auth.html
//
// A backend that signed whatever it is sent would be a signing oracle: any page able to call it could
// read, overwrite or delete anything its credentials reach. So the canonical request is read and the
// string to sign must be its hash, and only the five multipart operations on this bucket, under
// KEY_PREFIX, with headers from a short list, dated now, are signed. Anything else is a 403 that says
// what was refused and why.

import { createHash, createHmac } from 'node:crypto';
import { bucketUrl, KEY_PREFIX, type S3Target } from './config';
import { ApiError, isRecord } from './json-api';
import { keyRefusal } from './object-key';
import { ALGORITHM, signingKey } from './sigv4-post';

export interface HeaderSigningInput {
  readonly body: unknown;
  readonly target: S3Target;
  readonly now?: Date;
}

type Operation = 'CreateMultipartUpload' | 'UploadPart' | 'ListParts' | 'CompleteMultipartUpload' | 'AbortMultipartUpload';

// S3 refuses a request dated more than 15 minutes from its clock; the backend signs nothing older or newer.
const MAX_SKEW_MS = 15 * 60 * 1000;
const AMZ_DATE = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/;
const HEX_SHA256 = /^[0-9a-f]{64}$/;
const UNSIGNED_PAYLOAD = 'UNSIGNED-PAYLOAD';
/** Signed on every request: the address, the date and the payload's hash (and the session token, if any). */
const ALWAYS_ALLOWED = new Set(['host', 'x-amz-date', 'x-amz-content-sha256', 'x-amz-security-token']);
// Per operation, the other headers a signature may cover. Anything else changes what the request does:
// x-amz-acl makes the object public, x-amz-copy-source turns UploadPart into UploadPartCopy (a read of
// any object the credentials reach), x-amz-server-side-encryption-* picks keys.
const OPERATION_HEADERS: Readonly<Record<Operation, (name: string) => boolean>> = {
  CreateMultipartUpload: (name) => name === 'content-type' || name === 'x-amz-checksum-algorithm' || name.startsWith('x-amz-meta-'),
  UploadPart: (name) => name === 'content-md5' || name === 'x-amz-checksum-crc32' || name === 'x-amz-checksum-sha256',
  ListParts: () => false,
  CompleteMultipartUpload: (name) => name === 'content-type',
  AbortMultipartUpload: () => false,
};

/** { signature } for a request the demo lets the page send; ApiError 403 (400 for a malformed body) otherwise. */
export function signHeaders({ body, target, now = new Date() }: HeaderSigningInput): { signature: string } {
  if (!isRecord(body)) throw malformed('the body is not a JSON object');
  const { stringToSign, canonicalRequest, headers } = body;
  if (typeof stringToSign !== 'string' || typeof canonicalRequest !== 'string') throw malformed('"stringToSign" and "canonicalRequest" must be strings');

  const lines = stringToSign.split('\n');
  const [algorithm, amzDate = '', scope, hash] = lines;
  if (lines.length !== 4 || algorithm !== ALGORITHM) {
    throw refuse(`the string to sign is not a SigV4 one (four lines, the first ${ALGORITHM})`);
  }
  const date = parseAmzDate(amzDate);
  if (date === undefined) throw refuse(`its date ${JSON.stringify(amzDate)} is not in ISO 8601 basic form (yyyymmddThhmmssZ)`);
  if (Math.abs(date.getTime() - now.getTime()) > MAX_SKEW_MS) {
    throw refuse(`its date ${amzDate} is more than 15 minutes from the backend's clock (${now.toISOString()})`);
  }
  const expectedScope = `${amzDate.slice(0, 8)}/${target.region}/s3/aws4_request`;
  if (scope !== expectedScope) throw refuse(`its scope ${JSON.stringify(scope)} is not ${expectedScope} (the date's day, the bucket's region, s3)`);
  if (hash !== sha256Hex(canonicalRequest)) throw refuse('the last line of the string to sign is not the SHA-256 of the canonical request sent with it');
  // Fine Uploader's "headers" is the same string with the canonical request in place of its hash.
  if (headers !== undefined && headers !== [algorithm, amzDate, scope, canonicalRequest].join('\n')) {
    throw refuse('"headers" is not the string to sign with the canonical request in place of its hash');
  }

  const request = parseCanonicalRequest(canonicalRequest);
  if (request.headers.get('x-amz-date') !== amzDate) throw refuse('the x-amz-date header signed is not the date of the string to sign');
  const sessionToken = request.headers.get('x-amz-security-token');
  if (sessionToken !== undefined && sessionToken !== target.credentials.sessionToken) throw refuse('the x-amz-security-token signed is not the backend\'s session token');
  const key = keyOf(request, target);
  const refusal = keyRefusal(key);
  if (refusal !== undefined) throw refuse(`${refusal}, and the demo signs only keys under "${KEY_PREFIX}"`);
  const operation = operationOf(request);
  for (const name of request.headers.keys()) {
    if (!ALWAYS_ALLOWED.has(name) && !OPERATION_HEADERS[operation](name)) throw refuse(`${operation} may not sign the header ${name}`);
  }

  const signature = createHmac('sha256', signingKey(target.credentials.secretAccessKey, amzDate.slice(0, 8), target.region))
    .update(stringToSign, 'utf8')
    .digest('hex');
  return { signature };
}

interface CanonicalRequest {
  readonly method: string;
  /** The canonical URI, each segment encoded once. */
  readonly path: string;
  readonly query: URLSearchParams;
  readonly queryText: string;
  /** Lower-case names, in the order signed. */
  readonly headers: ReadonlyMap<string, string>;
  readonly payloadHash: string;
}

//   <Method>\n<CanonicalURI>\n<CanonicalQueryString>\n<CanonicalHeaders, each ending in \n>\n<SignedHeaders>\n<HashedPayload>
function parseCanonicalRequest(text: string): CanonicalRequest {
  const lines = text.split('\n');
  const [method = '', path = '', queryText = ''] = lines;
  const blank = lines.indexOf('', 3);
  if (blank === -1 || lines.length !== blank + 3) throw refuse('the canonical request is not in SigV4 form (method, path, query, headers, signed headers, payload hash)');
  const headers = new Map<string, string>();
  for (const line of lines.slice(3, blank)) {
    const colon = line.indexOf(':');
    const name = line.slice(0, colon);
    if (colon <= 0 || name !== name.toLowerCase() || headers.has(name)) throw refuse(`the canonical header line ${JSON.stringify(line)} is not "name:value" with a new lower-case name`);
    headers.set(name, line.slice(colon + 1));
  }
  const signedHeaders = lines[blank + 1] ?? '';
  const payloadHash = lines[blank + 2] ?? '';
  if (signedHeaders !== [...headers.keys()].join(';') || signedHeaders !== [...headers.keys()].sort().join(';')) {
    throw refuse('the signed headers line does not list the canonical headers, sorted');
  }
  for (const required of ['host', 'x-amz-date', 'x-amz-content-sha256']) {
    if (!headers.has(required)) throw refuse(`the canonical request does not sign ${required}`);
  }
  if (headers.get('x-amz-content-sha256') !== payloadHash || !(payloadHash === UNSIGNED_PAYLOAD || HEX_SHA256.test(payloadHash))) {
    throw refuse('the payload hash is not the x-amz-content-sha256 header, as hex SHA-256 or UNSIGNED-PAYLOAD');
  }
  if (!path.startsWith('/')) throw refuse(`the canonical URI ${JSON.stringify(path)} does not start with /`);
  return { method, path, query: new URLSearchParams(queryText), queryText, headers, payloadHash };
}

/** The object key the request addresses, when it addresses the demo's bucket at its endpoint. */
function keyOf(request: CanonicalRequest, target: S3Target): string {
  const host = request.headers.get('host') ?? '';
  const segments = request.path.slice(1).split('/').map(decodeSegment);
  const bucketAddress = new URL(bucketUrl(target));
  // Virtual-hosted on AWS (<bucket>.s3.<region>.amazonaws.com/<key>); path-style under a custom endpoint
  // and on AWS's regional endpoint (<endpoint>/<bucket>/<key>).
  if (target.endpoint === undefined && host === bucketAddress.host) return segments.join('/');
  const endpoint = new URL(target.endpoint ?? `https://s3.${target.region}.amazonaws.com`);
  if (host !== endpoint.host) throw refuse(`it is addressed to ${host || '(no host)'}, not to the bucket's endpoint ${bucketAddress.host}`);
  const base = endpoint.pathname.split('/').filter((segment) => segment !== '').map(decodeSegment);
  if (base.some((segment, index) => segments[index] !== segment)) throw refuse(`its path ${request.path} is not under the endpoint's ${endpoint.pathname}`);
  const bucket = segments[base.length] ?? '';
  if (bucket !== target.bucket) throw refuse(`it is for the bucket ${JSON.stringify(bucket)}, not ${target.bucket}`);
  return segments.slice(base.length + 1).join('/');
}

function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    throw refuse(`the path segment ${JSON.stringify(segment)} is not valid percent-encoding`);
  }
}

/** Which of the five multipart operations the request is; refused when it is none. */
function operationOf({ method, query, queryText, payloadHash }: CanonicalRequest): Operation {
  const names = [...query.keys()].sort().join('&');
  const uploadId = query.get('uploadId');
  if (method === 'POST' && queryText === 'uploads=') return 'CreateMultipartUpload';
  if (uploadId !== null && uploadId !== '') {
    if (method === 'PUT' && names === 'partNumber&uploadId') {
      const partNumber = Number(query.get('partNumber'));
      if (!Number.isInteger(partNumber) || partNumber < 1 || partNumber > 10_000) throw refuse('its partNumber is not a whole number from 1 to 10000');
      if (payloadHash !== UNSIGNED_PAYLOAD) throw refuse('an UploadPart must be signed with UNSIGNED-PAYLOAD (the backend never sees the part)');
      return 'UploadPart';
    }
    if (method === 'GET' && (names === 'uploadId' || names === 'part-number-marker&uploadId')) return 'ListParts';
    if (method === 'POST' && names === 'uploadId') return 'CompleteMultipartUpload';
    if (method === 'DELETE' && names === 'uploadId') return 'AbortMultipartUpload';
  }
  throw refuse(
    `${method} ${queryText === '' ? 'without a query' : `?${queryText}`} is not a multipart upload operation (POST ?uploads, PUT ?partNumber&uploadId, GET ?uploadId, POST ?uploadId, DELETE ?uploadId)`,
  );
}

function parseAmzDate(text: string): Date | undefined {
  const match = AMZ_DATE.exec(text);
  if (!match) return undefined;
  const [, year, month, day, hour, minute, second] = match.map(Number);
  const date = new Date(Date.UTC(year ?? 0, (month ?? 1) - 1, day ?? 0, hour ?? 0, minute ?? 0, second ?? 0));
  return Number.isNaN(date.getTime()) ? undefined : date;
}

function sha256Hex(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

function refuse(reason: string): ApiError {
  return new ApiError(403, `Refused to sign: ${reason}.`);
}

function malformed(reason: string): ApiError {
  return new ApiError(400, `Cannot sign: ${reason}; the kit sends { stringToSign, canonicalRequest, headers }.`);
}
