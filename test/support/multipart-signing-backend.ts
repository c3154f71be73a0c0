// A reference backend for header signing (Fine Uploader's v4 `sign_headers`), with node:crypto: it signs
// only what it has checked. It reads the canonical request the kit sends with the string to sign, and
// refuses with 403 anything but the five multipart operations on its own bucket under its key prefix,
// and any string to sign that is not the hash of that canonical request. A backend that signed whatever
// string it got would be a signing oracle: anyone able to call it could act with its credentials.
import { createHash, createHmac } from 'node:crypto';
import { http, HttpResponse } from 'msw';
import { CREDENTIALS, signingKey, type TestCredentials } from './aws-signer';
import { APP, BUCKET, REGION } from './backends';

export const SIGN_HEADERS_URL = `${APP}/s3/sign-headers`;

export interface SigningBackendOptions {
  readonly bucket?: string;
  readonly region?: string;
  /** Keys must start with it. */
  readonly prefix?: string;
  readonly credentials?: TestCredentials;
  /** Answer the signature in uppercase hex, as some hand-written backends do. */
  readonly uppercase?: boolean;
}

export type Verdict = { readonly ok: true; readonly signature: string } | { readonly ok: false; readonly reason: string };

/** What the backend answers to one signing request: the signature, or why it refuses. */
export function verifyAndSign(body: unknown, options: SigningBackendOptions = {}): Verdict {
  const bucket = options.bucket ?? BUCKET;
  const region = options.region ?? REGION;
  const prefix = options.prefix ?? 'uploads/';
  if (typeof body !== 'object' || body === null) return refuse('not a JSON object');
  const fields: Readonly<Record<string, unknown>> = Object.fromEntries(Object.entries(body));
  const { stringToSign, canonicalRequest, headers } = fields;
  if (typeof stringToSign !== 'string' || typeof canonicalRequest !== 'string' || typeof headers !== 'string') {
    return refuse('stringToSign, canonicalRequest and headers are required');
  }

  const [algorithm, amzDate = '', scope, hash, ...extra] = stringToSign.split('\n');
  if (algorithm !== 'AWS4-HMAC-SHA256' || extra.length > 0) return refuse('not a SigV4 string to sign');
  if (scope !== `${amzDate.slice(0, 8)}/${region}/s3/aws4_request`) return refuse(`scope ${scope} is not this backend's`);
  if (hash !== sha256Hex(canonicalRequest)) return refuse('the string to sign is not the hash of the canonical request');
  if (headers !== `${algorithm}\n${amzDate}\n${scope}\n${canonicalRequest}`) return refuse('headers does not match the string to sign');

  const lines = canonicalRequest.split('\n');
  const [method = '', path = '', query = ''] = lines;
  const blank = lines.indexOf('', 3);
  const canonicalHeaders = new Map(
    lines.slice(3, blank).map((line) => [line.slice(0, line.indexOf(':')), line.slice(line.indexOf(':') + 1)] as const),
  );
  const payloadHash = lines.at(-1);
  // Virtual-hosted (bucket.s3.region.amazonaws.com/key) or path-style (s3.region.amazonaws.com/bucket/key).
  const host = canonicalHeaders.get('host');
  const segments = path.slice(1).split('/').map(decodeURIComponent);
  const pathStyle = host === `s3.${region}.amazonaws.com`;
  if (host !== `${bucket}.s3.${region}.amazonaws.com` && !(pathStyle && segments[0] === bucket)) {
    return refuse(`${host ?? '(no host)'}${path} is not in the bucket ${bucket}`);
  }
  if (canonicalHeaders.get('x-amz-date') !== amzDate) return refuse('x-amz-date is not the date signed');
  const key = (pathStyle ? segments.slice(1) : segments).join('/');
  if (!key.startsWith(prefix)) return refuse(`the key ${key} is outside ${prefix}`);

  const params = new URLSearchParams(query);
  const names = [...params.keys()].sort().join('&');
  const operation =
    method === 'POST' && query === 'uploads=' ? 'create'
    : method === 'PUT' && names === 'partNumber&uploadId' && payloadHash === 'UNSIGNED-PAYLOAD' ? 'upload-part'
    : method === 'GET' && (names === 'uploadId' || names === 'part-number-marker&uploadId') ? 'list-parts'
    : method === 'POST' && names === 'uploadId' ? 'complete'
    : method === 'DELETE' && names === 'uploadId' ? 'abort'
    : undefined;
  if (operation === undefined) return refuse(`${method} ?${query} is not a multipart upload operation`);

  const credentials = options.credentials ?? CREDENTIALS;
  const signature = createHmac('sha256', signingKey(credentials.secretAccessKey, amzDate.slice(0, 8), region))
    .update(stringToSign)
    .digest('hex');
  return { ok: true, signature: options.uppercase ? signature.toUpperCase() : signature };
}

/** POST SIGN_HEADERS_URL: { signature } or 403 { error }. `log` receives each verdict. */
export function signingHandler(options: SigningBackendOptions = {}, log: Verdict[] = []) {
  return http.post(SIGN_HEADERS_URL, async ({ request }) => {
    const verdict = verifyAndSign(await request.json(), options);
    log.push(verdict);
    return verdict.ok ? HttpResponse.json({ signature: verdict.signature }) : HttpResponse.json({ error: verdict.reason }, { status: 403 });
  });
}

function refuse(reason: string): Verdict {
  return { ok: false, reason };
}

function sha256Hex(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}
