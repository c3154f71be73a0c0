// An independent SigV4 POST signer for tests (node:crypto), so that the kit, the emulator and this file
// would all have to be wrong the same way for a test to pass wrongly.
import { createHash, createHmac } from 'node:crypto';

export interface TestCredentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken?: string;
}

export const CREDENTIALS: TestCredentials = {
  accessKeyId: 'AKIAIOSFODNN7EXAMPLE',
  secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
};

export function signingKey(secret: string, yyyymmdd: string, region: string): Buffer {
  const kDate = createHmac('sha256', `AWS4${secret}`).update(yyyymmdd).digest();
  const kRegion = createHmac('sha256', kDate).update(region).digest();
  const kService = createHmac('sha256', kRegion).update('s3').digest();
  return createHmac('sha256', kService).update('aws4_request').digest();
}

/** Lowercase hex HMAC-SHA256 of the base64 policy, as S3 computes it. */
export function signPolicy(policyBase64: string, secret: string, yyyymmdd: string, region: string): string {
  return createHmac('sha256', signingKey(secret, yyyymmdd, region)).update(policyBase64).digest('hex');
}

/** Base64 HMAC-SHA1 of the base64 policy text: the Signature Version 2 way. */
export function signPolicyV2(policyBase64: string, secret: string): string {
  return createHmac('sha1', secret).update(policyBase64).digest('base64');
}

export function encodePolicy(document: { expiration: string; conditions: unknown[] }): string {
  return Buffer.from(JSON.stringify(document), 'utf8').toString('base64');
}

export function md5Hex(bytes: Uint8Array | string): string {
  return createHash('md5').update(bytes).digest('hex');
}

export function md5Base64(bytes: Uint8Array | string): string {
  return createHash('md5').update(bytes).digest('base64');
}

export function amzDate(date: Date): string {
  return date.toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
}

export interface FlatAnswerInput {
  readonly url: string;
  readonly key: string;
  readonly region?: string;
  readonly now?: Date;
  readonly expiresInSeconds?: number;
  readonly credentials?: TestCredentials;
  /** Extra form fields, each also added to the policy as an exact condition. */
  readonly fields?: Readonly<Record<string, string>>;
  /** Extra conditions, added as given. */
  readonly conditions?: readonly unknown[];
  readonly bucket?: string;
}

/** A flat-shape answer, { url, key, policy, signature, credential, date, algorithm, fields }, validly signed. */
export function flatAnswer(input: FlatAnswerInput) {
  const credentials = input.credentials ?? CREDENTIALS;
  const region = input.region ?? 'us-east-1';
  const now = input.now ?? new Date();
  const date = amzDate(now);
  const credential = `${credentials.accessKeyId}/${date.slice(0, 8)}/${region}/s3/aws4_request`;
  const fields = input.fields ?? {};
  const conditions: unknown[] = [
    ...(input.bucket ? [{ bucket: input.bucket }] : []),
    input.key.includes('${filename}') ? ['starts-with', '$key', input.key.split('${filename}')[0]] : { key: input.key },
    { 'x-amz-algorithm': 'AWS4-HMAC-SHA256' },
    { 'x-amz-credential': credential },
    { 'x-amz-date': date },
    ...(credentials.sessionToken ? [{ 'x-amz-security-token': credentials.sessionToken }] : []),
    ...Object.entries(fields).map(([name, value]) => ({ [name]: value })),
    ...(input.conditions ?? []),
  ];
  const expiration = new Date(now.getTime() + (input.expiresInSeconds ?? 600) * 1000).toISOString();
  const policy = Buffer.from(JSON.stringify({ expiration, conditions })).toString('base64');
  return {
    url: input.url,
    key: input.key,
    policy,
    signature: signPolicy(policy, credentials.secretAccessKey, date.slice(0, 8), region),
    credential,
    date,
    algorithm: 'AWS4-HMAC-SHA256',
    ...(credentials.sessionToken ? { securityToken: credentials.sessionToken } : {}),
    fields: { ...fields },
  };
}
