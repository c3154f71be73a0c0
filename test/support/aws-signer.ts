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

// SigV4 for a whole request, header or presigned URL, written from the spec alone:
// https://docs.aws.amazon.com/AmazonS3/latest/API/sig-v4-header-based-auth.html
// https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-query-string-auth.html

export interface RequestToSign {
  readonly method: string;
  readonly url: string;
  /** Headers to send and sign (host is always signed, from the URL). */
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: Uint8Array | string;
  readonly date: Date;
  readonly region?: string;
  readonly credentials?: TestCredentials;
}

export interface SigV4Evidence {
  readonly canonicalRequest: string;
  readonly stringToSign: string;
  readonly signature: string;
}

export interface HeaderSignedRequest extends SigV4Evidence {
  /** Every header to send, Authorization, x-amz-date and x-amz-content-sha256 included. */
  readonly headers: Record<string, string>;
}

/**
 * Signs with the Authorization header. `payloadHash` defaults to the body's hex SHA-256; pass
 * 'UNSIGNED-PAYLOAD', or a hash of other bytes to play a client that signed something else.
 */
export function signRequest(input: RequestToSign & { readonly payloadHash?: string }): HeaderSignedRequest {
  const credentials = input.credentials ?? CREDENTIALS;
  const amz = amzDate(input.date);
  const headers: Record<string, string> = {
    ...input.headers,
    'x-amz-date': amz,
    'x-amz-content-sha256': input.payloadHash ?? sha256Hex(input.body ?? ''),
    ...(credentials.sessionToken ? { 'x-amz-security-token': credentials.sessionToken } : {}),
  };
  const url = new URL(input.url);
  const signed = sigV4(input, url, headers, headers['x-amz-content-sha256'] ?? '');
  const credential = `${credentials.accessKeyId}/${credentialScope(input, amz)}`;
  const signedHeaders = signedHeaderNames(headers).join(';');
  return {
    ...signed,
    headers: {
      ...headers,
      Authorization: `AWS4-HMAC-SHA256 Credential=${credential}, SignedHeaders=${signedHeaders}, Signature=${signed.signature}`,
    },
  };
}

/** A presigned URL (UNSIGNED-PAYLOAD), signing host and the given headers, which must then be sent. */
export function presignUrl(input: RequestToSign & { readonly expiresIn: number }): SigV4Evidence & { url: string } {
  const credentials = input.credentials ?? CREDENTIALS;
  const amz = amzDate(input.date);
  const headers = { ...input.headers };
  const url = new URL(input.url);
  url.searchParams.set('X-Amz-Algorithm', 'AWS4-HMAC-SHA256');
  url.searchParams.set('X-Amz-Credential', `${credentials.accessKeyId}/${credentialScope(input, amz)}`);
  url.searchParams.set('X-Amz-Date', amz);
  url.searchParams.set('X-Amz-Expires', String(input.expiresIn));
  url.searchParams.set('X-Amz-SignedHeaders', signedHeaderNames(headers).join(';'));
  if (credentials.sessionToken) url.searchParams.set('X-Amz-Security-Token', credentials.sessionToken);
  const signed = sigV4(input, url, headers, 'UNSIGNED-PAYLOAD');
  url.searchParams.set('X-Amz-Signature', signed.signature);
  return { ...signed, url: url.toString() };
}

export function sha256Hex(bytes: Uint8Array | string): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** The spec's UriEncode: unreserved characters stay, every other UTF-8 byte is %XX. */
export function uriEncode(text: string): string {
  return [...Buffer.from(text, 'utf8')]
    .map((byte) => {
      const char = String.fromCharCode(byte);
      return /[A-Za-z0-9\-._~]/.test(char) ? char : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
    })
    .join('');
}

function credentialScope(input: RequestToSign, amz: string): string {
  return `${amz.slice(0, 8)}/${input.region ?? 'us-east-1'}/s3/aws4_request`;
}

function signedHeaderNames(headers: Readonly<Record<string, string>>): string[] {
  return [...new Set(['host', ...Object.keys(headers).map((name) => name.toLowerCase())])].sort();
}

function sigV4(
  input: RequestToSign,
  url: URL,
  headers: Readonly<Record<string, string>>,
  payloadHash: string,
): SigV4Evidence {
  const credentials = input.credentials ?? CREDENTIALS;
  const amz = amzDate(input.date);
  const lower = new Map(Object.entries(headers).map(([name, value]) => [name.toLowerCase(), value]));
  lower.set('host', url.host);
  const names = signedHeaderNames(headers);
  const query = [...url.searchParams]
    .filter(([name]) => name !== 'X-Amz-Signature')
    .map(([name, value]) => [uriEncode(name), uriEncode(value)] as const)
    .sort(([a, x], [b, y]) => (a === b ? (x < y ? -1 : 1) : a < b ? -1 : 1))
    .map(([name, value]) => `${name}=${value}`)
    .join('&');
  const path = url.pathname
    .split('/')
    .map((segment) => uriEncode(decodeURIComponent(segment)))
    .join('/');
  const canonicalRequest = [
    input.method,
    path,
    query,
    names.map((name) => `${name}:${(lower.get(name) ?? '').trim().replace(/\s+/g, ' ')}\n`).join(''),
    names.join(';'),
    payloadHash,
  ].join('\n');
  const stringToSign = ['AWS4-HMAC-SHA256', amz, credentialScope(input, amz), sha256Hex(canonicalRequest)].join('\n');
  const key = signingKey(credentials.secretAccessKey, amz.slice(0, 8), input.region ?? 'us-east-1');
  return { canonicalRequest, stringToSign, signature: createHmac('sha256', key).update(stringToSign).digest('hex') };
}
