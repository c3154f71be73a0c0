// The edge where a backend's policy answer becomes one typed value. Everything after this trusts it.
// Accepted shapes (field names in any case):
//   aws-sdk  { url, fields: { key, bucket, X-Amz-Algorithm, X-Amz-Credential, X-Amz-Date, Policy, X-Amz-Signature, ... } }
//   boto3    { url, fields: { key, x-amz-algorithm, x-amz-credential, x-amz-date, policy, x-amz-signature, ... } }
//   flat     { url, key, policy, signature, credential, date, algorithm?, securityToken?, fields? }
// The "sign my policy" mode builds a flat answer itself and comes through here too.
// What is wrong with an answer comes out as an AnswerProblem, data only: the sentences that explain it
// (policy-answer-problems.ts) are loaded when an answer is wrong, not by every upload.

import { parseAmzDate, parseCredential, SIGV4_ALGORITHM, type CredentialProblem, type CredentialScope } from './credential';
import { readUploadUrl } from './upload-url';
import { readPolicy, type PolicyDocument, type PolicyReadProblem } from '../form/post-policy';
import { normaliseSignature, type SignatureCheck } from './signature';
import { canonicalFieldName } from './field-names';
import type { UploadWarning } from '../warnings';

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

export type Role = 'algorithm' | 'credential' | 'date' | 'securityToken' | 'policy' | 'signature' | 'key';

/** What makes an answer unusable, in the order the checks run; `answer` is what the backend sent. */
export type AnswerProblem = { readonly answer: unknown } & (
  | { readonly kind: 'not-object' }
  | { readonly kind: 'fields-not-object'; readonly fields: unknown }
  | { readonly kind: 'v2-names'; readonly names: readonly string[] }
  | { readonly kind: 'no-url' }
  | { readonly kind: 'not-a-url'; readonly value: string }
  | { readonly kind: 'url-protocol'; readonly protocol: string }
  | { readonly kind: 'host-not-allowed'; readonly hostname: string; readonly allowed: readonly string[] }
  | { readonly kind: 'not-text'; readonly name: string; readonly value: unknown }
  /** `name` in S3's documented spelling. */
  | { readonly kind: 'conflict'; readonly name: string }
  | { readonly kind: 'missing'; readonly roles: readonly Role[] }
  | { readonly kind: 'algorithm'; readonly algorithm: string }
  | { readonly kind: 'credential'; readonly credential: string; readonly problem: CredentialProblem }
  | { readonly kind: 'date'; readonly date: string }
  | { readonly kind: 'date-mismatch'; readonly date: string; readonly scopeDate: string }
  | { readonly kind: 'region-mismatch'; readonly signed: string; readonly endpoint: string }
  | { readonly kind: 'policy'; readonly read: PolicyReadProblem }
  | { readonly kind: 'signature'; readonly check: Extract<SignatureCheck, { ok: false }> }
);

export type AnswerRead = { readonly ok: true; readonly post: SignedPost } | { readonly ok: false; readonly problem: AnswerProblem };

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

/** S3's spelling of each piece, for messages. */
export const ROLE_FIELD: Readonly<Record<Role, string>> = {
  algorithm: 'X-Amz-Algorithm',
  credential: 'X-Amz-Credential',
  date: 'X-Amz-Date',
  securityToken: 'X-Amz-Security-Token',
  policy: 'Policy',
  signature: 'X-Amz-Signature',
  key: 'key',
};

/** The answer as a SignedPost, or the first thing wrong with it (parsePolicyAnswer says it in words). */
export function readPolicyAnswer(raw: unknown, options: ParseOptions = {}): AnswerRead {
  const answer = typeof raw === 'string' ? parseJsonText(raw) : raw;
  const problem = (found: DistributiveOmit<AnswerProblem, 'answer'>): AnswerRead => ({ ok: false, problem: { ...found, answer } as AnswerProblem });
  if (!isRecord(answer)) return problem({ kind: 'not-object' });

  const nested = answer['fields'];
  if (nested !== undefined && !isRecord(nested)) return problem({ kind: 'fields-not-object', fields: nested });
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
  if (v2.length > 0) return problem({ kind: 'v2-names', names: v2.map((entry) => entry.name) });

  const url = readUrl(answer, options);
  if (typeof url !== 'string') return problem(url);
  const found = new Map<Role, string>();
  const others: Array<[string, string]> = [];
  const warnings: UploadWarning[] = [];
  for (const { name, value, nested: inFields } of entries) {
    const lower = name.toLowerCase();
    const role = ROLE_BY_NAME[lower] ?? (!inFields && lower === 'signature' ? 'signature' : undefined);
    if (!inFields && role === undefined) continue; // flat extras such as expiresAt are not form fields
    if (value === undefined || value === null) continue; // absent, and reported as missing if it is needed
    if (typeof value !== 'string') return problem({ kind: 'not-text', name, value });
    if (role === undefined) {
      others.push([name, value]);
      continue;
    }
    const previous = found.get(role);
    if (previous !== undefined && previous !== value) return problem({ kind: 'conflict', name: canonicalFieldName(ROLE_FIELD[role]) });
    found.set(role, value);
  }

  const missing = (['key', 'policy', 'signature', 'credential', 'date'] as const).filter((role) => !found.get(role));
  if (missing.length > 0) return problem({ kind: 'missing', roles: missing });
  const get = (role: Role): string => found.get(role) ?? '';

  const algorithm = found.get('algorithm') ?? SIGV4_ALGORITHM;
  if (algorithm !== SIGV4_ALGORITHM) return problem({ kind: 'algorithm', algorithm });
  const credential = get('credential');
  const parsedCredential = parseCredential(credential);
  if (!parsedCredential.ok) return problem({ kind: 'credential', credential, problem: parsedCredential.problem });
  const { scope } = parsedCredential;
  const date = get('date');
  if (!parseAmzDate(date)) return problem({ kind: 'date', date });
  if (date.slice(0, 8) !== scope.date) return problem({ kind: 'date-mismatch', date, scopeDate: scope.date });
  const urlInfo = readUploadUrl(new URL(url));
  if (urlInfo.region !== undefined && urlInfo.region !== scope.region) {
    return problem({ kind: 'region-mismatch', signed: scope.region, endpoint: urlInfo.region });
  }

  const policy = get('policy');
  const decoded = readPolicy(policy);
  if (!decoded.ok) return problem({ kind: 'policy', read: decoded });
  const signature = normaliseSignature(get('signature'));
  if (!signature.ok) return problem({ kind: 'signature', check: signature });
  if (signature.warning) warnings.push(signature.warning);

  const fields = dedupe(others, warnings);
  if (typeof fields === 'string') return problem({ kind: 'conflict', name: fields });
  return {
    ok: true,
    post: {
      shape: options.shape ?? detectShape(answer, nested),
      url,
      bucket: urlInfo.bucket,
      key: get('key'),
      fields,
      algorithm: SIGV4_ALGORITHM,
      credential,
      scope,
      date,
      securityToken: found.get('securityToken') || undefined,
      policy,
      document: decoded.document,
      signature: signature.hex,
      warnings,
    },
  };
}

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;
type UrlProblem = Extract<DistributiveOmit<AnswerProblem, 'answer'>, { kind: 'no-url' | 'not-a-url' | 'url-protocol' | 'host-not-allowed' }>;

function readUrl(answer: Record<string, unknown>, options: ParseOptions): string | UrlProblem {
  const entry = Object.entries(answer).find(([name]) => name.toLowerCase() === 'url');
  const value = entry?.[1];
  if (typeof value !== 'string' || value.trim() === '') return { kind: 'no-url' };
  let url: URL;
  try {
    url = new URL(value, globalThis.location?.href);
  } catch {
    return { kind: 'not-a-url', value };
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return { kind: 'url-protocol', protocol: url.protocol };
  const allowed = options.allowedHosts;
  if (allowed && !allowed.some((host) => hostMatches(url.hostname, host))) {
    return { kind: 'host-not-allowed', hostname: url.hostname, allowed };
  }
  return url.toString();
}

function hostMatches(hostname: string, allowed: string): boolean {
  const host = hostname.toLowerCase();
  const rule = allowed.toLowerCase();
  return rule.startsWith('.') ? host.endsWith(rule) || host === rule.slice(1) : host === rule;
}

/**
 * One value per field name, compared case-insensitively; names put into S3's documented spelling. A
 * string is the name that came twice with different values.
 */
function dedupe(fields: ReadonlyArray<readonly [string, string]>, warnings: UploadWarning[]): Array<[string, string]> | string {
  const byName = new Map<string, [string, string]>();
  for (const [name, value] of fields) {
    const canonical = canonicalFieldName(name);
    const lower = canonical.toLowerCase();
    const previous = byName.get(lower);
    if (!previous) {
      byName.set(lower, [canonical, value]);
    } else if (previous[1] !== value) {
      return canonical;
    } else {
      warnings.push({ code: 'duplicate-field', message: `${name} came twice with the same value (in different case); it is sent once.` });
    }
  }
  return [...byName.values()];
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
