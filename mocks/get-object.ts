// GET and HEAD Object, so tests can read back what an upload stored.
// https://docs.aws.amazon.com/AmazonS3/latest/API/API_GetObject.html
// A read may come unsigned here (a test emulator: tests read back what they uploaded without signing),
// though S3 would refuse it for a private bucket; a signed one (a presigned GET URL, the SDK's
// Authorization header) has been verified before it gets here (sigv4-request.ts), as S3 verifies it.

import { bytesToBase64, utf8Encode } from '../src/core/codec';
import { noSuchKey, type S3Failure } from './s3-failure';
import type { S3Store } from './store';

export function getObject(
  method: 'GET' | 'HEAD',
  bucket: string,
  key: string,
  store: S3Store,
): Response | S3Failure {
  const object = store.getObject(bucket, key);
  if (!object) return noSuchKey(key);
  const headers = new Headers({
    'Accept-Ranges': 'bytes',
    'Content-Length': String(object.size),
    'Content-Type': object.contentType,
    ETag: object.etag,
    'Last-Modified': object.lastModified.toUTCString(),
  });
  for (const [name, value] of Object.entries(object.metadata)) headers.set(`x-amz-meta-${name}`, headerValue(value));
  // A copy, so a test that mutates the bytes it read cannot change the stored object.
  return new Response(method === 'HEAD' ? null : object.body.slice(), { status: 200, headers });
}

// "User-defined metadata ... non US-ASCII values are ... encoded as per RFC 2047 to make them mail-safe
// before returning" (UsingMetadata). HTTP headers could not carry them otherwise.
function headerValue(value: string): string {
  return /^[\x20-\x7e]*$/.test(value) ? value : `=?UTF-8?B?${bytesToBase64(utf8Encode(value))}?=`;
}
