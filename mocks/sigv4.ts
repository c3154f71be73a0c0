// The signatures S3 computes, to compare with the one a request carries.
// SigV4: https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-authentication-HTTPPOST.html
//   signature = hex(HMAC-SHA256(signingKey, <base64 policy exactly as sent>))           (a POST form)
//   signature = hex(HMAC-SHA256(signingKey, <string to sign>))  (a signed request, canonical-request.ts)
//   signingKey = HMAC chain "AWS4" + secret -> yyyymmdd -> region -> service -> "aws4_request"
//   (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_sigv-create-signed-request.html#derive-signing-key)
// SigV2: https://docs.aws.amazon.com/AmazonS3/latest/userguide/HTTPPOSTForms.html
//   signature = base64(HMAC-SHA1(secret, <base64 policy>))
// @noble/hashes rather than WebCrypto: it is synchronous and the same in browsers and Node.

import { hmac } from '@noble/hashes/hmac.js';
import { sha1 } from '@noble/hashes/legacy.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToBase64, bytesToHex, utf8Encode } from '../src/core/codec';
import type { CredentialScope } from '../src/core/policy/credential';

export type SigningScope = Pick<CredentialScope, 'date' | 'region' | 'service'>;

export function signingKey(secretAccessKey: string, scope: SigningScope): Uint8Array {
  let key = hmac(sha256, utf8Encode(`AWS4${secretAccessKey}`), utf8Encode(scope.date));
  for (const part of [scope.region, scope.service, 'aws4_request']) key = hmac(sha256, key, utf8Encode(part));
  return key;
}

/** Lower-case hex, which is the only spelling S3 accepts: it compares the strings exactly. */
export function signatureV4(secretAccessKey: string, scope: SigningScope, stringToSign: string): string {
  return bytesToHex(hmac(sha256, signingKey(secretAccessKey, scope), utf8Encode(stringToSign)));
}

/** A POST form signs its base64 policy as the string to sign. */
export function policySignatureV4(secretAccessKey: string, scope: SigningScope, policy: string): string {
  return signatureV4(secretAccessKey, scope, policy);
}

export function policySignatureV2(secretAccessKey: string, policy: string): string {
  return bytesToBase64(hmac(sha1, utf8Encode(secretAccessKey), utf8Encode(policy)));
}
