// An S3 error answer as data: status, Code, Message and the extra elements S3 adds after Message.
// Operations return one instead of throwing; s3-emulator.ts renders it as S3's XML with request ids.
// https://docs.aws.amazon.com/AmazonS3/latest/API/ErrorResponses.html#RESTErrorResponses

import { bytesToHex, utf8Encode } from '../src/core/codec';

export interface S3Failure {
  readonly kind: 's3-failure';
  readonly status: number;
  readonly code: string;
  readonly message: string;
  /** Elements S3 writes between Message and RequestId, in S3's order (ArgumentName, StringToSign, ...). */
  readonly details: ReadonlyArray<readonly [name: string, value: string]>;
  /** Response headers S3 adds to this answer (Allow on a 405). */
  readonly headers?: Readonly<Record<string, string>>;
}

export function s3Failure(
  status: number,
  code: string,
  message: string,
  details: ReadonlyArray<readonly [string, string]> = [],
  headers?: Readonly<Record<string, string>>,
): S3Failure {
  return { kind: 's3-failure', status, code, message, details, ...(headers ? { headers } : {}) };
}

export function isS3Failure(value: unknown): value is S3Failure {
  return typeof value === 'object' && value !== null && 'kind' in value && value.kind === 's3-failure';
}

// S3's answers that several operations share. Operation-specific ones live with their operation.

export function noSuchBucket(bucket: string): S3Failure {
  return s3Failure(404, 'NoSuchBucket', 'The specified bucket does not exist', [['BucketName', bucket]]);
}

export function noSuchKey(key: string): S3Failure {
  return s3Failure(404, 'NoSuchKey', 'The specified key does not exist.', [['Key', key]]);
}

/**
 * `allow`: the methods S3 lists in the Allow header, when it sends one (for a multipart upload's URL
 * "Allow: DELETE, POST, GET", captured in versity/versitygw#1236).
 */
export function methodNotAllowed(
  method: string,
  resourceType: 'BUCKET' | 'OBJECT' | 'SERVICE' | 'UPLOAD',
  allow?: readonly string[],
): S3Failure {
  return s3Failure(
    405,
    'MethodNotAllowed',
    'The specified method is not allowed against this resource.',
    [
      ['Method', method],
      ['ResourceType', resourceType],
    ],
    allow ? { Allow: allow.join(', ') } : undefined,
  );
}

// "The name for a key is a sequence of Unicode characters whose UTF-8 encoding is at most 1,024 bytes long."
const MAX_KEY_BYTES = 1024;

/** KeyTooLongError for a key over 1,024 UTF-8 bytes; undefined for one that fits. */
export function keyTooLong(key: string): S3Failure | undefined {
  const size = utf8Encode(key).length;
  if (size <= MAX_KEY_BYTES) return undefined;
  return s3Failure(400, 'KeyTooLongError', 'Your key is too long', [
    ['MaxSizeAllowed', String(MAX_KEY_BYTES)],
    ['Size', String(size)],
  ]);
}

/** S3's code for a feature it lacks; the message says plainly that it is this emulator that lacks it. */
export function notImplemented(what: string): S3Failure {
  return s3Failure(501, 'NotImplemented', `The S3 emulator does not implement ${what}.`);
}

/** Every emulated bucket is private: what S3 answers an unsigned request for one. */
export function accessDenied(): S3Failure {
  return s3Failure(403, 'AccessDenied', 'Access Denied');
}

export function noSuchUpload(uploadId: string): S3Failure {
  return s3Failure(
    404,
    'NoSuchUpload',
    'The specified upload does not exist. The upload ID may be invalid, or the upload may have been aborted or completed.',
    [['UploadId', uploadId]],
  );
}

export function malformedXml(): S3Failure {
  return s3Failure(400, 'MalformedXML', 'The XML you provided was not well-formed or did not validate against our published schema');
}

export interface SignatureEvidence {
  readonly accessKeyId: string;
  /** For a POST form, the base64 policy as sent; for a signed request, the SigV4 string to sign. */
  readonly stringToSign: string;
  readonly provided: string;
  /** Only for a signed request: a POST form has none. */
  readonly canonicalRequest?: string;
}

/**
 * SignatureDoesNotMatch with the evidence S3 sends to find the mistake: what it signed, and the same
 * as space-separated hex bytes (which shows a stray \r or a non-ASCII character), in S3's order.
 * A captured answer: /work/shared/seeds/001_de9817de039722a3.txt (a CreateMultipartUpload).
 */
export function signatureDoesNotMatch(evidence: SignatureEvidence): S3Failure {
  const details: Array<readonly [string, string]> = [
    ['AWSAccessKeyId', evidence.accessKeyId],
    ['StringToSign', evidence.stringToSign],
    ['SignatureProvided', evidence.provided],
    ['StringToSignBytes', spacedHex(evidence.stringToSign)],
  ];
  if (evidence.canonicalRequest !== undefined) {
    details.push(['CanonicalRequest', evidence.canonicalRequest], [
      'CanonicalRequestBytes',
      spacedHex(evidence.canonicalRequest),
    ]);
  }
  return s3Failure(
    403,
    'SignatureDoesNotMatch',
    'The request signature we calculated does not match the signature you provided. Check your key and signing method.',
    details,
  );
}

function spacedHex(text: string): string {
  return bytesToHex(utf8Encode(text)).replace(/(..)(?!$)/g, '$1 ');
}
