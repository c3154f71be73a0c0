// The edge where a backend's policy answer becomes one typed value. Everything after this trusts it.
// Accepted shapes (field names in any case):
//   aws-sdk  { url, fields: { key, bucket, X-Amz-Algorithm, X-Amz-Credential, X-Amz-Date, Policy, X-Amz-Signature, ... } }
//   boto3    { url, fields: { key, x-amz-algorithm, x-amz-credential, x-amz-date, policy, x-amz-signature, ... } }
//   flat     { url, key, policy, signature, credential, date, algorithm?, securityToken?, fields? }
// The "sign my policy" mode builds a flat answer itself and comes through here too.

import { parseAmzDate, parseCredential, SIGV4_ALGORITHM, type CredentialScope } from './credential';
import { readUploadUrl } from './bucket-url';
import { decodePolicy, type PolicyDocument } from './policy-document';
import { PolicyAnswerError } from './errors/PolicyAnswerError';
import { describeShape } from './describe-shape';
import { normaliseSignature, SIGNATURE_V2_HINT } from './signature';
import { canonicalFieldName } from './field-names';
import type { UploadWarning } from './warnings';

export type PolicyAnswerShape = 'aws-sdk' | 'boto3' | 'flat' | 'signed-policy';

/** A policy answer that S3 can accept, as far as can be told without the file. */
export interface SignedPost {
  readonly shape: PolicyAnswerShape;
  /** The form action: an http(s) URL. */
  readonly url: string;
  /** The bucket and region the URL names, when it does. */
  readonly bucket: string | undefined;
  readonly key: string;
  /** Fields other than key and the SigV4 ones, under S3's documented names, each once. */
  readonly fields: ReadonlyArray<readonly [name: string, value: string]>;
  readonly algorithm: typeof SIGV4_ALGORITHM;
  readonly credential: string;
  readonly scope: CredentialScope;
  readonly date: string;
  readonly securityToken: string | undefined;
  /** base64 policy, exactly as signed. */
  readonly policy: string;
  readonly document: PolicyDocument;
  /** 64 lowercase hex digits. */
  readonly signature: string;
  readonly warnings: readonly UploadWarning[];
}

export interface ParseOptions {
  /** Hosts the upload URL may point at (exact host names, or `.example.com` for subdomains). */
  readonly allowedHosts?: readonly string[];
  /** Set by the sign-my-policy mode, which builds the answer itself. */
  readonly shape?: PolicyAnswerShape;
}

// Names of the pieces a SigV4 POST needs, lowercased, with the flat shape's short aliases.
const ROLE_BY_NAME: Readonly<Record<string, Role>> = {
  'x-amz-algorithm': 'algorithm',
  algorithm: 'algorithm',
  'x-amz-credential': 'credential',
  credential: 'credential',
  'x-amz-date': 'date',
  date: 'date',
  'x-amz-security-token': 'securityToken',
  securitytoken: 'securityToken',
  security_token: 'securityToken',
  sessiontoken: 'securityToken',
  policy: 'policy',
  'x-amz-signature': 'signature',
  key: 'key',
};
type Role = 'algorithm' | 'credential' | 'date' | 'securityToken' | 'policy' | 'signature' | 'key';

export function parsePolicyAnswer(raw: unknown, options: ParseOptions = {}): SignedPost {
  const answer = typeof raw === 'string' ? parseJsonText(raw) : raw;
  const received = describeShape(answer);
  if (!isRecord(answer)) {
    throw new PolicyAnswerError(
      'wrong-type',
      `The policy answer must be a JSON object with url and the signed fields; got ${received}.`,
      'Return the object your S3 signer produced (for the AWS SDK: the { url, fields } of createPresignedPost) as JSON.',
      { received },
    );
  }

  const nested = answer['fields'];
  if (nested !== undefined && !isRecord(nested)) {
    throw new PolicyAnswerError('wrong-type', `"fields" must be an object of form fields; got ${describeShape(nested)}.`,
      'Return fields as an object whose keys are form field names and whose values are strings.', { received });
  }
  // Top-level names are the flat shape's; nested ones are form fields. A flat top-level `signature` is the
  // V4 signature, but inside `fields` a bare `signature` is the V2 field name.
  const entries: Array<{ name: string; value: unknown; nested: boolean }> = [
    ...Object.entries(answer)
      .filter(([name]) => name !== 'fields' && name.toLowerCase() !== 'url')
      .map(([name, value]) => ({ name, value, nested: false })),
    ...Object.entries(nested ?? {}).map(([name, value]) => ({ name, value, nested: true })),
  ];

  const v2 = entries.filter(({ name, nested: inFields }) => {
    const lower = name.toLowerCase();
    return lower === 'awsaccesskeyid' || (inFields && lower === 'signature');
  });
  if (v2.length > 0) {
    throw new PolicyAnswerError(
      'v2-field-names',
      `The policy answer uses Signature Version 2 field names (${v2.map((e) => e.name).join(', ')}); S3 rejects a form that mixes them with Signature Version 4, and regions opened after 2014 accept only Version 4.`,
      SIGNATURE_V2_HINT,
      { received },
    );
  }

  const url = readUrl(answer, received, options);
  const found = new Map<Role, string>();
  const others: Array<[string, string]> = [];
  const warnings: UploadWarning[] = [];
  for (const { name, value, nested: inFields } of entries) {
    const lower = name.toLowerCase();
    const role = ROLE_BY_NAME[lower] ?? (!inFields && lower === 'signature' ? 'signature' : undefined);
    if (!inFields && role === undefined) continue; // flat extras such as expiresAt are not form fields
    if (value === undefined || value === null) continue; // absent, and reported as missing if it is needed
    if (typeof value !== 'string') {
      throw new PolicyAnswerError('wrong-type', `The field ${name} must be a string; got ${describeShape(value)}.`,
        `Send ${name} as text in the policy answer.`, { received });
    }
    if (role === undefined) {
      others.push([name, value]);
      continue;
    }
    const previous = found.get(role);
    if (previous !== undefined && previous !== value) {
      throw conflict(canonicalFieldName(ROLE_FIELD[role]), received);
    }
    found.set(role, value);
  }

  const missing = (['key', 'policy', 'signature', 'credential', 'date'] as const).filter((role) => !found.get(role));
  if (missing.length > 0) {
    const names = missing.map((role) => ROLE_FIELD[role]).join(', ');
    throw new PolicyAnswerError(
      'missing-field',
      `The policy answer has no ${names}; S3 needs url, key, Policy, X-Amz-Signature, X-Amz-Credential and X-Amz-Date. Received ${received}.`,
      `Make the backend return ${names} (for example the { url, fields } of the AWS SDK's createPresignedPost, or boto3's generate_presigned_post).`,
      { received },
    );
  }
  const get = (role: Role): string => found.get(role) ?? '';

  const algorithm = found.get('algorithm') ?? SIGV4_ALGORITHM;
  if (algorithm !== SIGV4_ALGORITHM) {
    throw new PolicyAnswerError('bad-algorithm',
      `X-Amz-Algorithm is ${JSON.stringify(algorithm)}; S3 POST forms signed with Signature Version 4 must say "${SIGV4_ALGORITHM}".`,
      `Set X-Amz-Algorithm to ${SIGV4_ALGORITHM} in the form fields and in the policy's conditions.`, { received });
  }
  const scope = readScope(get('credential'), received);
  const date = get('date');
  const parsedDate = parseAmzDate(date);
  if (!parsedDate) {
    throw new PolicyAnswerError('bad-date',
      `X-Amz-Date is ${JSON.stringify(date)}; S3 wants the ISO 8601 basic form yyyymmddTHHMMSSZ, such as 20151229T000000Z.`,
      'Format the signing time in UTC as yyyyMMdd\'T\'HHmmss\'Z\' (no dashes, colons or milliseconds).', { received });
  }
  if (date.slice(0, 8) !== scope.date) {
    throw new PolicyAnswerError('date-mismatch',
      `X-Amz-Date is on ${date.slice(0, 8)} but the credential scope is dated ${scope.date}; S3 derives the signing key from the scope's date, so both must be the same UTC day.`,
      'Take the credential date and X-Amz-Date from one UTC timestamp on the backend.', { received });
  }
  const urlInfo = readUploadUrl(new URL(url));
  if (urlInfo.region !== undefined && urlInfo.region !== scope.region) {
    throw new PolicyAnswerError('region-mismatch',
      `The credential is scoped to region ${scope.region} but the upload URL is the ${urlInfo.region} endpoint; S3 would answer "the region '${scope.region}' is wrong; expecting '${urlInfo.region}'".`,
      `Sign with the bucket's region (${urlInfo.region}) on the backend, or post to the endpoint of ${scope.region} if the bucket lives there.`,
      { received });
  }

  const policy = get('policy');
  const decoded = decodePolicy(policy);
  if (!decoded.ok) {
    throw new PolicyAnswerError('bad-policy', `The policy is unusable: ${decoded.detail}`,
      'Return the policy as base64 of the UTF-8 JSON document {"expiration": ..., "conditions": [...]} that was signed.',
      { received });
  }
  const signature = normaliseSignature(get('signature'));
  if (!signature.ok) throw new PolicyAnswerError(signature.code, signature.message, signature.hint, { received });
  if (signature.warning) warnings.push(signature.warning);

  return {
    shape: options.shape ?? detectShape(answer, nested),
    url,
    bucket: urlInfo.bucket,
    key: get('key'),
    fields: dedupe(others, warnings, received),
    algorithm: SIGV4_ALGORITHM,
    credential: get('credential'),
    scope,
    date,
    securityToken: found.get('securityToken') || undefined,
    policy,
    document: decoded.document,
    signature: signature.hex,
    warnings,
  };
}

const ROLE_FIELD: Readonly<Record<Role, string>> = {
  algorithm: 'X-Amz-Algorithm',
  credential: 'X-Amz-Credential',
  date: 'X-Amz-Date',
  securityToken: 'X-Amz-Security-Token',
  policy: 'Policy',
  signature: 'X-Amz-Signature',
  key: 'key',
};

function readUrl(answer: Record<string, unknown>, received: string, options: ParseOptions): string {
  const entry = Object.entries(answer).find(([name]) => name.toLowerCase() === 'url');
  const value = entry?.[1];
  if (typeof value !== 'string' || value === '') {
    throw new PolicyAnswerError('missing-field', `The policy answer has no url to post the form to. Received ${received}.`,
      'Return the bucket URL as "url" (createPresignedPost and generate_presigned_post both do).', { received });
  }
  let url: URL;
  try {
    url = new URL(value, globalThis.location?.href);
  } catch {
    throw new PolicyAnswerError('bad-url', `The upload url ${JSON.stringify(value)} is not a URL.`,
      'Return an absolute https URL of the bucket, such as https://my-bucket.s3.eu-west-1.amazonaws.com/.', { received });
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new PolicyAnswerError('bad-url', `The upload url uses ${url.protocol}, which cannot be a bucket; only http: and https: are sent to.`,
      'Return the https URL of the bucket.', { received });
  }
  const allowed = options.allowedHosts;
  if (allowed && !allowed.some((host) => hostMatches(url.hostname, host))) {
    throw new PolicyAnswerError('bad-url', `The upload url points at ${url.hostname}, which is not in allowedHosts (${allowed.join(', ')}).`,
      `Add ${url.hostname} to allowedHosts if it is your bucket's endpoint; otherwise the backend is returning a URL it should not.`, { received });
  }
  return url.toString();
}

function hostMatches(hostname: string, allowed: string): boolean {
  const host = hostname.toLowerCase();
  const rule = allowed.toLowerCase();
  return rule.startsWith('.') ? host.endsWith(rule) || host === rule.slice(1) : host === rule;
}

function readScope(credential: string, received: string): CredentialScope {
  const parsed = parseCredential(credential);
  if (parsed.ok) return parsed.scope;
  const shape = 'S3 wants <access key id>/<yyyymmdd>/<region>/s3/aws4_request';
  const why: Record<typeof parsed.problem.kind, string> = {
    parts: `it has ${parsed.problem.kind === 'parts' ? parsed.problem.parts : 0} parts separated by "/"`,
    'access-key': 'the access key id is empty',
    date: 'its date is not a real yyyymmdd date',
    service: `its service is "${parsed.problem.kind === 'service' ? parsed.problem.service : ''}" instead of "s3"`,
    terminator: 'it does not end with aws4_request',
  };
  throw new PolicyAnswerError('bad-credential',
    `X-Amz-Credential ${JSON.stringify(credential)} is malformed: ${why[parsed.problem.kind]}; ${shape}.`,
    'Build the credential as accessKeyId + "/" + yyyymmdd + "/" + region + "/s3/aws4_request", with the same date and region used to derive the signing key.',
    { received });
}

/** One value per field name, compared case-insensitively; names put into S3's documented spelling. */
function dedupe(fields: ReadonlyArray<readonly [string, string]>, warnings: UploadWarning[], received: string): Array<[string, string]> {
  const byName = new Map<string, [string, string]>();
  for (const [name, value] of fields) {
    const canonical = canonicalFieldName(name);
    const lower = canonical.toLowerCase();
    const previous = byName.get(lower);
    if (!previous) {
      byName.set(lower, [canonical, value]);
    } else if (previous[1] !== value) {
      throw conflict(canonical, received);
    } else {
      warnings.push({ code: 'duplicate-field', message: `${name} came twice with the same value (in different case); it is sent once.` });
    }
  }
  return [...byName.values()];
}

function conflict(name: string, received: string): PolicyAnswerError {
  return new PolicyAnswerError('conflicting-fields',
    `${name} appears twice in the policy answer, in different case, with different values; S3 would read only one of them.`,
    `Return ${name} once, with the value the policy was signed for.`, { received });
}

function detectShape(answer: Record<string, unknown>, nested: Record<string, unknown> | undefined): PolicyAnswerShape {
  if (!nested || Object.keys(answer).some((name) => ['policy', 'signature', 'credential'].includes(name.toLowerCase()))) return 'flat';
  return Object.keys(nested).some((name) => /^X-Amz-|^Policy$/.test(name)) ? 'aws-sdk' : 'boto3';
}

function parseJsonText(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
