// The reference client for the multipart tests: the AWS SDK's S3Client, path-style to the emulator,
// and helpers to build parts and to compute what S3 answers for them, with node:crypto.

import { S3Client, S3ServiceException } from '@aws-sdk/client-s3';
import { createHash, randomBytes } from 'node:crypto';
import { ACCESS_KEY_ID, ENDPOINT, NOW, REGION, SECRET } from './fixtures';
import { signRequest, type RequestToSign } from '../support/aws-signer';

/** S3's minimum size for every part but the last: 5 MiB. */
export const MIN_PART_SIZE = 5 * 1024 * 1024;

export interface ClientOptions {
  readonly region?: string;
  readonly accessKeyId?: string;
  readonly secretAccessKey?: string;
}

export function sdkClient(options: ClientOptions = {}): S3Client {
  return new S3Client({
    region: options.region ?? REGION,
    endpoint: ENDPOINT,
    forcePathStyle: true,
    credentials: {
      accessKeyId: options.accessKeyId ?? ACCESS_KEY_ID,
      secretAccessKey: options.secretAccessKey ?? SECRET,
    },
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
    // Above 2 MB the SDK sends "Expect: 100-continue" and waits for an interim answer that MSW's
    // interception of node:http never gives (a real server does).
    expectContinueHeader: false,
    // The emulators here run on the fixed clock NOW: the SDK signs as if it were then.
    systemClockOffset: NOW.getTime() - Date.now(),
    maxAttempts: 1,
  });
}

export function randomPart(size: number): Uint8Array {
  return new Uint8Array(randomBytes(size));
}

/** md5(md5(p1) ‖ md5(p2) ‖ …)-N, quoted: S3's ETag for an object assembled from these parts. */
export function multipartEtag(parts: readonly Uint8Array[]): string {
  const digests = parts.map((part) => createHash('md5').update(part).digest());
  return `"${createHash('md5').update(Buffer.concat(digests)).digest('hex')}-${parts.length}"`;
}

export function concat(parts: readonly Uint8Array[]): Uint8Array {
  return new Uint8Array(Buffer.concat(parts));
}

/** Byte-for-byte equality; expect(...).toEqual on megabytes of Uint8Array takes minutes. */
export function sameBytes(actual: Uint8Array | undefined, expected: Uint8Array): boolean {
  return actual !== undefined && Buffer.from(actual).equals(Buffer.from(expected));
}

/** The error an SDK call failed with, as an S3ServiceException (S3's Code is its name). */
export async function sdkError(call: Promise<unknown>): Promise<S3ServiceException> {
  try {
    await call;
  } catch (error) {
    if (error instanceof S3ServiceException) return error;
    throw error;
  }
  throw new Error('the call succeeded');
}

/** The CompleteMultipartUpload body, written by hand (the SDK only writes well-formed ones). */
export function completeBody(parts: ReadonlyArray<{ partNumber: number; etag: string }>): string {
  const items = parts
    .map(({ partNumber, etag }) => `<Part><PartNumber>${partNumber}</PartNumber><ETag>${etag}</ETag></Part>`)
    .join('');
  const namespace = 'http://s3.amazonaws.com/doc/2006-03-01/';
  return `<?xml version="1.0" encoding="UTF-8"?><CompleteMultipartUpload xmlns="${namespace}">${items}</CompleteMultipartUpload>`;
}

export interface SignedFetchOptions extends Partial<Omit<RequestToSign, 'method' | 'url'>> {
  readonly payloadHash?: string;
}

/** A request signed in the Authorization header by the test signer (node:crypto), at NOW by default. */
export function signedFetch(method: string, url: string, options: SignedFetchOptions = {}): Promise<Response> {
  const signed = signRequest({
    credentials: { accessKeyId: ACCESS_KEY_ID, secretAccessKey: SECRET },
    region: REGION,
    date: NOW,
    ...options,
    method,
    url,
  });
  const { body } = options;
  const init: RequestInit = { method, headers: signed.headers };
  if (body !== undefined) init.body = typeof body === 'string' ? body : body.slice();
  return fetch(url, init);
}
