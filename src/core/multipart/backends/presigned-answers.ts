// The edge where the presigned backend's answers become typed values: each is checked once, here, and
// an answer that cannot work is refused with what is missing and the shape that came (names and types
// only, never values, which may hold signatures).

import { describeShape } from '../../diagnostics/describe-shape';
import { PolicyAnswerError } from '../../errors/PolicyAnswerError';
import type { CompletedUpload, CreatedUpload, ListedPart, PartToSign, SignedPart } from './backend';

type Operation = 'create' | 'sign-parts' | 'list-parts' | 'complete';

const SHAPES: Readonly<Record<Operation, string>> = {
  create: '{ uploadId, key, bucket? }',
  'sign-parts': '{ parts: [{ partNumber, url, headers? }] }',
  'list-parts': '{ parts: [{ partNumber, etag, size, checksum? }] }',
  complete: '{ location?, bucket?, key?, etag? }',
};

export function parseCreated(raw: unknown): CreatedUpload {
  const answer = record(raw, 'create', raw);
  const bucket = optionalString(answer, 'bucket', 'create', raw);
  return {
    uploadId: requiredString(answer, 'uploadId', 'create', raw),
    key: requiredString(answer, 'key', 'create', raw),
    bucket,
  };
}

/** The signed parts, one for each of `requested`; `allowedHosts` limits where a part may be sent. */
export function parseSigned(raw: unknown, requested: readonly PartToSign[], allowedHosts: readonly string[] | undefined): SignedPart[] {
  const items = list(record(raw, 'sign-parts', raw), 'sign-parts', raw);
  const byNumber = new Map<number, SignedPart>();
  for (const item of items) {
    const part = record(item, 'sign-parts', raw);
    const partNumber = partNumberOf(part, 'sign-parts', raw);
    const url = partUrl(requiredString(part, 'url', 'sign-parts', raw), partNumber, allowedHosts, raw);
    const headers = part['headers'] === undefined || part['headers'] === null ? {} : record(part['headers'], 'sign-parts', raw);
    const pairs: Array<readonly [string, string]> = [];
    for (const [name, value] of Object.entries(headers)) {
      if (typeof value !== 'string') {
        throw wrongType(`The header ${name} of part ${partNumber} must be a string; got ${describeShape(value)}.`, 'sign-parts', raw);
      }
      pairs.push([name, value]);
    }
    byNumber.set(partNumber, { partNumber, url, headers: pairs });
  }
  return requested.map(({ partNumber, size }) => {
    const signed = byNumber.get(partNumber);
    if (signed) return checkEmptyBodyChecksum(signed, size, raw);
    throw new PolicyAnswerError(
      'missing-field',
      `The multipart sign-parts answer has no URL for part ${partNumber}; it was asked for parts ${requested.map((part) => part.partNumber).join(', ')} and must answer ${SHAPES['sign-parts']} with each of them.`,
      'Presign one UploadPart URL for every part number in the request.',
      { received: describeShape(raw) },
    );
  });
}

/** The parts S3 holds; undefined for null, which says that S3 no longer knows the upload. */
export function parseListed(raw: unknown): ListedPart[] | undefined {
  if (raw === null) return undefined;
  return list(record(raw, 'list-parts', raw), 'list-parts', raw).map((item) => {
    const part = record(item, 'list-parts', raw);
    const checksum = optionalString(part, 'checksum', 'list-parts', raw);
    return {
      partNumber: partNumberOf(part, 'list-parts', raw),
      etag: requiredString(part, 'etag', 'list-parts', raw),
      size: integer(part, 'size', 'list-parts', raw),
      ...(checksum === undefined ? {} : { checksum }),
    };
  });
}

export function parseCompleted(raw: unknown): CompletedUpload {
  const answer = raw === undefined || raw === null ? {} : record(raw, 'complete', raw);
  return {
    location: optionalString(answer, 'location', 'complete', raw),
    bucket: optionalString(answer, 'bucket', 'complete', raw),
    key: optionalString(answer, 'key', 'complete', raw),
    etag: optionalString(answer, 'etag', 'complete', raw),
    status: 200,
  };
}

// The checksums of zero bytes, as base64: what a presigner that computed a checksum without the part signs.
const EMPTY_BODY_CHECKSUMS: Readonly<Record<string, string>> = {
  'x-amz-checksum-crc32': 'AAAAAA==',
  'x-amz-checksum-crc32c': 'AAAAAA==',
  'x-amz-checksum-sha1': '2jmj7l5rSw0yVb/vlWAYkK/YBwk=',
  'x-amz-checksum-sha256': '47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=',
};

/**
 * The AWS SDK v3 presigner, by default (requestChecksumCalculation 'WHEN_SUPPORTED'), signs into each
 * UploadPart URL the checksum of an empty body (x-amz-checksum-crc32=AAAAAA==), against which S3 then
 * checks the part's bytes and refuses them. Caught here, before a byte is sent.
 */
function checkEmptyBodyChecksum(signed: SignedPart, size: number, raw: unknown): SignedPart {
  if (size === 0) return signed;
  for (const [name, value] of new URL(signed.url).searchParams) {
    const lower = name.toLowerCase();
    if (EMPTY_BODY_CHECKSUMS[lower] !== value) continue;
    throw new PolicyAnswerError(
      'bad-url',
      `The URL for part ${signed.partNumber} carries ${lower}=${value}, the checksum of an empty body, so S3 would refuse the part's ${size} bytes (BadDigest): an AWS SDK v3 presigner adds it by default.`,
      "Create the backend's S3Client with requestChecksumCalculation: 'WHEN_REQUIRED' (and responseChecksumValidation: 'WHEN_REQUIRED'), so that getSignedUrl signs no checksum of its own.",
      { received: describeShape(raw) },
    );
  }
  return signed;
}

function record(value: unknown, operation: Operation, raw: unknown): Record<string, unknown> {
  if (typeof value === 'object' && value !== null && !Array.isArray(value)) return Object.fromEntries(Object.entries(value));
  throw wrongType(`The multipart ${operation} answer must be ${SHAPES[operation]}; got ${describeShape(raw)}.`, operation, raw);
}

function list(answer: Record<string, unknown>, operation: Operation, raw: unknown): unknown[] {
  const parts = answer['parts'];
  if (Array.isArray(parts)) return parts;
  throw new PolicyAnswerError(
    parts === undefined ? 'missing-field' : 'wrong-type',
    `The multipart ${operation} answer must be ${SHAPES[operation]}, but "parts" is ${parts === undefined ? 'missing' : describeShape(parts)}.`,
    `Return JSON of the shape ${SHAPES[operation]}.`,
    { received: describeShape(raw) },
  );
}

function requiredString(answer: Record<string, unknown>, name: string, operation: Operation, raw: unknown): string {
  const value = answer[name];
  if (typeof value === 'string' && value.trim() !== '') return value;
  const blank = typeof value === 'string';
  throw new PolicyAnswerError(
    value === undefined || blank ? 'missing-field' : 'wrong-type',
    `The multipart ${operation} answer must be ${SHAPES[operation]}, but ${name} is ${value === undefined ? 'missing' : blank ? 'blank' : describeShape(value)}.`,
    `Return ${name} as a non-empty string, as S3 gave it to the backend.`,
    { received: describeShape(raw) },
  );
}

function optionalString(answer: Record<string, unknown>, name: string, operation: Operation, raw: unknown): string | undefined {
  const value = answer[name];
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'string') return value;
  throw wrongType(`In the multipart ${operation} answer ${name} must be a string; got ${describeShape(value)}.`, operation, raw);
}

function integer(answer: Record<string, unknown>, name: string, operation: Operation, raw: unknown): number {
  const value = answer[name];
  if (typeof value === 'number' && Number.isSafeInteger(value) && value >= 0) return value;
  throw new PolicyAnswerError(
    value === undefined ? 'missing-field' : 'wrong-type',
    `The multipart ${operation} answer must be ${SHAPES[operation]}, but ${name} is ${value === undefined ? 'missing' : typeof value === 'number' ? String(value) : describeShape(value)}; a whole number was expected.`,
    `Return ${name} as a JSON number.`,
    { received: describeShape(raw) },
  );
}

/** A part number S3 can have: 1 to 10,000 (https://docs.aws.amazon.com/AmazonS3/latest/API/API_UploadPart.html). */
function partNumberOf(part: Record<string, unknown>, operation: Operation, raw: unknown): number {
  const partNumber = integer(part, 'partNumber', operation, raw);
  if (partNumber >= 1 && partNumber <= 10_000) return partNumber;
  throw wrongType(`The multipart ${operation} answer's partNumber is ${partNumber}; S3's part numbers run from 1 to 10,000.`, operation, raw);
}

function wrongType(message: string, operation: Operation, raw: unknown): PolicyAnswerError {
  return new PolicyAnswerError('wrong-type', message, `Return JSON of the shape ${SHAPES[operation]}.`, { received: describeShape(raw) });
}

function partUrl(text: string, partNumber: number, allowedHosts: readonly string[] | undefined, raw: unknown): string {
  const url = URL.canParse(text) ? new URL(text) : undefined;
  if (!url || (url.protocol !== 'https:' && url.protocol !== 'http:')) {
    throw new PolicyAnswerError('bad-url', `The URL for part ${partNumber} is not an http(s) URL.`,
      'Return the presigned UploadPart URL, absolute, as the S3 presigner made it.', { received: describeShape(raw) });
  }
  if (allowedHosts && !allowedHosts.some((allowed) => hostMatches(url.hostname, allowed))) {
    throw new PolicyAnswerError('bad-url', `The URL for part ${partNumber} points at ${url.hostname}, which is not in allowedHosts (${allowedHosts.join(', ')}).`,
      `Add ${url.hostname} to allowedHosts if it is your bucket's endpoint; otherwise the backend is returning a URL it should not.`, { received: describeShape(raw) });
  }
  return text;
}

// As for POST URLs: an exact host, or `.example.com` for it and its subdomains.
function hostMatches(hostname: string, allowed: string): boolean {
  const host = hostname.toLowerCase();
  const rule = allowed.toLowerCase();
  return rule.startsWith('.') ? host.endsWith(rule) || host === rule.slice(1) : host === rule;
}
