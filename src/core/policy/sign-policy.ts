// "Sign my policy": the browser composes the POST policy and the backend only signs it, as Fine Uploader's
// S3 uploader does with `signature: { version: 4 }`. The backend receives the policy document as JSON and
// answers { policy, signature }: policy = base64 of the JSON it signed, signature = hex HMAC-SHA256.
// https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-HTTPPOSTConstructPolicy.html

import { formatAmzDate, formatCredential, SIGV4_ALGORITHM } from './credential';
import { PolicyAnswerError } from '../errors/PolicyAnswerError';
import { describeShape } from '../diagnostics/describe-shape';
import { postJson, type PolicyEndpoint } from './policy-source';

/** The policy document the kit asks the backend to sign. */
export interface PolicyDocumentJson {
  readonly expiration: string;
  readonly conditions: ReadonlyArray<Readonly<Record<string, string>> | readonly [string, string | number, string | number]>;
}

export type PolicySigner = (document: PolicyDocumentJson, context: { readonly signal: AbortSignal }) => Promise<unknown>;

export interface SignPolicyOptions {
  /** Where the policy document is POSTed as JSON to be signed, or a function that signs it. */
  readonly signatureEndpoint: string | PolicyEndpoint | PolicySigner;
  readonly bucket: string;
  readonly region: string;
  /** The access key id only; the secret stays on the backend. */
  readonly accessKeyId: string;
  /** The session token of temporary credentials, which S3 needs in the form. */
  readonly sessionToken?: string;
  /** The S3 URL to post to. Default: https://<bucket>.s3.<region>.amazonaws.com/ */
  readonly endpoint?: string;
  readonly acl?: string;
  readonly minSize?: number;
  readonly maxSize?: number;
  /** How long the policy stays valid. Default 600 s. */
  readonly expiresInSeconds?: number;
  /** Default '201': S3 then answers with XML that carries the ETag whatever the bucket's CORS rule. */
  readonly successActionStatus?: '200' | '201' | '204';
}

// A single POST can carry at most 5 GB (S3 POST Object).
const MAX_POST_BYTES = 5 * 1024 ** 3;

export interface ComposeInput {
  readonly key: string;
  readonly contentType: string;
  readonly metadata: Readonly<Record<string, string>>;
  readonly now: Date;
}

/** The flat policy answer the kit would send if the backend signs `document`. */
export interface ComposedPolicy {
  readonly url: string;
  readonly document: PolicyDocumentJson;
  readonly fields: Readonly<Record<string, string>>;
  readonly credential: string;
  readonly date: string;
}

export function composePolicy(options: SignPolicyOptions, input: ComposeInput): ComposedPolicy {
  const date = formatAmzDate(input.now);
  const credential = formatCredential({ accessKeyId: options.accessKeyId, date: date.slice(0, 8), region: options.region });
  const expiration = new Date(input.now.getTime() + (options.expiresInSeconds ?? 600) * 1000).toISOString();

  const fields: Record<string, string> = {};
  if (options.acl !== undefined) fields['acl'] = options.acl;
  fields['success_action_status'] = options.successActionStatus ?? '201';
  if (input.contentType !== '') fields['Content-Type'] = input.contentType;
  for (const [name, value] of Object.entries(input.metadata)) fields[`x-amz-meta-${name.toLowerCase()}`] = value;

  // Exact-match conditions come first, as objects, and the x-amz-* ones among them: backends written like
  // the Fine Uploader examples find the date with a loop that calls .keys() on each condition until it meets
  // x-amz-date, which fails on the array conditions.
  const exact: Array<Record<string, string>> = [
    { bucket: options.bucket },
    { 'x-amz-algorithm': SIGV4_ALGORITHM },
    { 'x-amz-credential': credential },
    { 'x-amz-date': date },
  ];
  if (options.sessionToken !== undefined) exact.push({ 'x-amz-security-token': options.sessionToken });
  for (const [name, value] of Object.entries(fields)) exact.push({ [name]: value });

  const ranges: Array<readonly [string, string | number, string | number]> = [];
  const marker = input.key.indexOf('${filename}');
  if (marker >= 0) ranges.push(['starts-with', '$key', input.key.slice(0, marker)]);
  else exact.push({ key: input.key });
  if (options.minSize !== undefined || options.maxSize !== undefined) {
    ranges.push(['content-length-range', options.minSize ?? 0, options.maxSize ?? MAX_POST_BYTES]);
  }

  return {
    url: options.endpoint ?? `https://${options.bucket}.s3.${options.region}.amazonaws.com/`,
    document: { expiration, conditions: [...exact, ...ranges] },
    fields,
    credential,
    date,
  };
}

/**
 * Sends the composed document to be signed and returns a flat policy answer for parsePolicyAnswer, so the
 * signed result goes through every check a backend-made policy does.
 */
export async function signComposedPolicy(
  options: SignPolicyOptions,
  composed: ComposedPolicy,
  key: string,
  signal: AbortSignal,
): Promise<Record<string, unknown>> {
  const signer = options.signatureEndpoint;
  const answer =
    typeof signer === 'function'
      ? await signer(composed.document, { signal })
      : await postJson(typeof signer === 'string' ? { url: signer } : signer, composed.document, signal, 'signature');
  const record = typeof answer === 'object' && answer !== null && !Array.isArray(answer) ? answer : {};
  const pick = (name: string): unknown => Object.entries(record).find(([k]) => k.toLowerCase() === name)?.[1];
  const policy = pick('policy');
  const signature = pick('signature');
  if (typeof policy !== 'string' || typeof signature !== 'string') {
    const received = describeShape(answer);
    throw new PolicyAnswerError(
      'missing-field',
      `The signature endpoint must answer { policy, signature } for a policy it signs; received ${received}.`,
      'Return policy = base64 of the JSON you signed and signature = the lowercase hex HMAC-SHA256 of that base64 text with the SigV4 signing key.',
      { received },
    );
  }
  return {
    url: composed.url,
    key,
    policy,
    signature,
    credential: composed.credential,
    date: composed.date,
    algorithm: SIGV4_ALGORITHM,
    ...(options.sessionToken !== undefined ? { securityToken: options.sessionToken } : {}),
    fields: composed.fields,
  };
}
