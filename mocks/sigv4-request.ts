// Whether a signed request's SigV4 signature holds, checked as S3 checks it: the request time, the
// access key, the headers left unsigned, the signature over the canonical request, and last the body
// against the hash the client signed.
// https://docs.aws.amazon.com/AmazonS3/latest/API/sig-v4-authenticating-requests.html
// https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-query-string-auth.html
//
// The order of the checks is S3's where an answer shows it (a signature is judged before the body it
// signed); elsewhere it is the cheapest first, which S3's answers do not contradict.

import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex } from '../src/core/codec';
import { findCredential, type EmulatedCredential } from './access-keys';
import { canonicalRequest, stringToSign } from './canonical-request';
import { isS3Failure, s3Failure, signatureDoesNotMatch, type S3Failure } from './s3-failure';
import { readSignatureClaim, type SignatureClaim } from './sigv4-claim';
import { signatureV4 } from './sigv4';

export interface RequestAuthOptions {
  readonly region: string;
  readonly credentials: readonly EmulatedCredential[];
  readonly allowSignatureV2: boolean;
  readonly now: Date;
}

export type RequestAuthorization =
  | { readonly kind: 'anonymous' }
  | { readonly kind: 'signed'; readonly accessKeyId: string; readonly via: 'header' | 'query' };

// "The request time ... must be within 15 minutes of the AWS server time" (RequestTimeTooSkewed).
const MAX_SKEW_MS = 15 * 60 * 1000;

/** Who signed `request` (whose whole body is `body`), or S3's refusal. Unsigned is 'anonymous', not a refusal. */
export function authorizeRequest(
  request: Request,
  body: Uint8Array,
  options: RequestAuthOptions,
): RequestAuthorization | S3Failure {
  const url = new URL(request.url);
  const claim = readSignatureClaim(request, url, options);
  if (claim === undefined) return { kind: 'anonymous' };
  if (isS3Failure(claim)) return claim;

  const timing = checkTime(claim, options.now);
  if (timing) return timing;
  const credential = findCredential(options.credentials, claim.scope.accessKeyId, claim.securityToken);
  if (isS3Failure(credential)) return credential;
  const unsigned = unsignedHeaders(request, claim);
  if (unsigned) return unsigned;

  const canonical = canonicalRequest({
    method: request.method.toUpperCase(),
    url,
    headers: request.headers,
    signedHeaders: claim.signedHeaders,
    payloadHash: claim.payloadHash,
  });
  const toSign = stringToSign(claim.amzDate, claim.scope, canonical);
  if (claim.signature !== signatureV4(credential.secretAccessKey, claim.scope, toSign)) {
    return signatureDoesNotMatch({
      accessKeyId: claim.scope.accessKeyId,
      stringToSign: toSign,
      provided: claim.signature,
      canonicalRequest: canonical,
    });
  }

  if (claim.payloadHash !== 'UNSIGNED-PAYLOAD') {
    const computed = bytesToHex(sha256(body));
    if (computed !== claim.payloadHash) {
      const message = "The provided 'x-amz-content-sha256' header does not match what was computed.";
      return s3Failure(400, 'XAmzContentSHA256Mismatch', message, [
        ['ClientComputedContentSHA256', claim.payloadHash],
        ['S3ComputedContentSHA256', computed],
      ]);
    }
  }
  return { kind: 'signed', accessKeyId: claim.scope.accessKeyId, via: claim.via };
}

// A signed header is good for 15 minutes either way; a presigned URL from its X-Amz-Date for
// X-Amz-Expires seconds (and, like a header, not before it: captured in minio/minio#2638, where S3
// gave X-Amz-Date in epoch milliseconds).
function checkTime(claim: SignatureClaim, now: Date): S3Failure | undefined {
  const serverTime = isoSeconds(now);
  if (claim.expiresInSeconds === undefined) {
    if (Math.abs(now.getTime() - claim.date.getTime()) <= MAX_SKEW_MS) return undefined;
    return s3Failure(403, 'RequestTimeTooSkewed', 'The difference between the request time and the current time is too large.', [
      ['RequestTime', claim.amzDate],
      ['ServerTime', serverTime],
      ['MaxAllowedSkewMilliseconds', String(MAX_SKEW_MS)],
    ]);
  }
  const expires = isoSeconds(new Date(claim.date.getTime() + claim.expiresInSeconds * 1000));
  if (claim.date.getTime() - now.getTime() > MAX_SKEW_MS) {
    return s3Failure(403, 'AccessDenied', 'Request is not yet valid', [
      ['X-Amz-Date', String(claim.date.getTime())],
      ['Expires', expires],
      ['ServerTime', serverTime],
    ]);
  }
  if (now.getTime() > claim.date.getTime() + claim.expiresInSeconds * 1000) {
    return s3Failure(403, 'AccessDenied', 'Request has expired', [
      ['X-Amz-Expires', String(claim.expiresInSeconds)],
      ['Expires', expires],
      ['ServerTime', serverTime],
    ]);
  }
  return undefined;
}

// Host must be signed, and so must every x-amz-* header the request carries, for a header signature
// and a presigned URL alike; x-amz-content-sha256 alone may travel unsigned. Captured:
// "There were headers present in the request which were not signed" with HeadersNotSigned
// (aws/aws-sdk-js-v3#3906 for x-amz-checksum-sha256 on a presigned PUT, aws/aws-sdk#338).
function unsignedHeaders(request: Request, claim: SignatureClaim): S3Failure | undefined {
  const signed = new Set(claim.signedHeaders);
  const missing: string[] = signed.has('host') ? [] : ['host'];
  for (const name of request.headers.keys()) {
    if (name.startsWith('x-amz-') && name !== 'x-amz-content-sha256' && !signed.has(name)) missing.push(name);
  }
  if (missing.length === 0) return undefined;
  return s3Failure(403, 'AccessDenied', 'There were headers present in the request which were not signed', [
    ['HeadersNotSigned', missing.join(', ')],
  ]);
}

/** 2025-06-01T12:00:00Z: S3's ServerTime and Expires have no milliseconds. */
function isoSeconds(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}
