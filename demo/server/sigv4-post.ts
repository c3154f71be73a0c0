// The demo backend's own SigV4 POST signer, on node:crypto: what a backend without the AWS SDK writes.
// https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-HTTPPOSTConstructPolicy.html
//   policy    = base64(UTF-8 JSON {expiration, conditions})
//   signature = hex(HMAC-SHA256(signingKey, policy))   (the base64 text is what is signed)
//   signingKey = HMAC chain "AWS4" + secret -> yyyymmdd -> region -> "s3" -> "aws4_request"
//   (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_sigv-create-signed-request.html#derive-signing-key)
// Deliberately independent of src/: the kit must accept what a backend computes on its own.

import { createHmac } from 'node:crypto';

export const ALGORITHM = 'AWS4-HMAC-SHA256';

export interface PolicyJson {
  readonly expiration: string;
  readonly conditions: readonly unknown[];
}

export function signingKey(secretAccessKey: string, yyyymmdd: string, region: string): Buffer {
  let key = createHmac('sha256', `AWS4${secretAccessKey}`).update(yyyymmdd).digest();
  for (const part of [region, 's3', 'aws4_request']) key = createHmac('sha256', key).update(part).digest();
  return key;
}

/** Lowercase hex, the only spelling S3 accepts. */
export function signPolicy(policyBase64: string, secretAccessKey: string, yyyymmdd: string, region: string): string {
  return createHmac('sha256', signingKey(secretAccessKey, yyyymmdd, region)).update(policyBase64, 'utf8').digest('hex');
}

/** Signature Version 2: base64(HMAC-SHA1(secret, policy)). Only the v2-field-names mistake uses it. */
export function signPolicyV2(policyBase64: string, secretAccessKey: string): string {
  return createHmac('sha1', secretAccessKey).update(policyBase64, 'utf8').digest('base64');
}

export function encodePolicy(policy: PolicyJson): string {
  return Buffer.from(JSON.stringify(policy), 'utf8').toString('base64');
}

/** yyyymmddTHHMMSSZ (ISO 8601 basic, UTC), as X-Amz-Date wants it. */
export function amzDate(date: Date): string {
  return date.toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
}

export function credentialFor(accessKeyId: string, amzDateText: string, region: string): string {
  return `${accessKeyId}/${amzDateText.slice(0, 8)}/${region}/s3/aws4_request`;
}
