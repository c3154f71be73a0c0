// "Sign my policy": the browser composed the POST policy and the backend only signs it. Signing is
// handing out write access, so the document is checked first: a backend that signs whatever it is sent
// lets any page write anything, anywhere in the bucket, for as long as it likes.
// Answer: { policy: base64(JSON), signature: hex(HMAC-SHA256(signingKey, policy)) }.
// https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-HTTPPOSTConstructPolicy.html

import type { Mistake } from '../mistakes';
import { KEY_PREFIX, type S3Target } from './config';
import { ApiError, isRecord } from './json-api';
import { mistakeEffects } from './mistake-effects';
import { ALGORITHM, encodePolicy, signPolicy, signPolicyV2, type PolicyJson } from './sigv4-post';

/** The longest-lived policy the backend signs. */
export const MAX_POLICY_LIFETIME_MS = 60 * 60 * 1000;

interface Rule {
  readonly operator: 'eq' | 'starts-with' | 'content-length-range';
  /** Lowercased field name without '$'; '' for content-length-range. */
  readonly field: string;
  readonly value: string;
  readonly min: number;
  readonly max: number;
  readonly text: string;
}

export interface SignPolicyInput {
  readonly document: unknown;
  readonly target: S3Target;
  readonly mistake: Mistake | undefined;
  readonly now?: Date;
}

/** Checks the document, then signs it; ApiError 400 for a malformed one, 403 naming what was refused. */
export function signPolicyDocument({ document, target, mistake, now = new Date() }: SignPolicyInput): Record<string, string> {
  const { policy, rules } = readDocument(document);
  const scopeDate = checkDocument(policy, rules, target, now);

  const effects = mistakeEffects(mistake, target);
  let signed: PolicyJson = policy;
  if (mistake === 'expired') signed = { ...signed, expiration: new Date(now.getTime() + effects.expiresInSeconds * 1000).toISOString() };
  if (mistake === 'missing-field') {
    // A backend that rebuilds the conditions from its own list and forgets one the page sends.
    signed = { ...signed, conditions: signed.conditions.filter((condition) => !namesField(condition, 'success_action_status')) };
  }
  // The mistakes on the key, the Content-Type and the size rewrite the page's own conditions before signing.
  signed = { ...signed, conditions: effects.signedConditions(signed.conditions) };
  const encoded = encodePolicy(signed);
  if (mistake === 'v2-field-names') {
    // The Signature Version 2 way (Fine Uploader's default signer): HMAC-SHA1 of the policy, base64.
    return { policy: encoded, signature: signPolicyV2(encoded, effects.signingSecret), AWSAccessKeyId: target.credentials.accessKeyId };
  }
  const hex = signPolicy(encoded, effects.signingSecret, scopeDate, effects.signingRegion);
  return { policy: encoded, signature: effects.finishSignature(hex) };
}

function readDocument(document: unknown): { policy: PolicyJson; rules: Rule[] } {
  if (!isRecord(document)) throw malformed('the body must be the policy document, a JSON object with "expiration" and "conditions"');
  const { expiration, conditions } = document;
  if (typeof expiration !== 'string') throw malformed('"expiration" must be an ISO 8601 time');
  if (!Array.isArray(conditions)) throw malformed('"conditions" must be an array');
  const rules = conditions.map(readRule);
  return { policy: { expiration, conditions }, rules };
}

function readRule(condition: unknown): Rule {
  const text = JSON.stringify(condition);
  const rule = (operator: Rule['operator'], field: string, value: string, min = 0, max = 0): Rule =>
    ({ operator, field: field.toLowerCase(), value, min, max, text });
  if (isRecord(condition)) {
    const entries = Object.entries(condition);
    const [entry] = entries;
    if (entries.length !== 1 || !entry || typeof entry[1] !== 'string') throw malformed(`the condition ${text} must be {"field": "value"}`);
    return rule('eq', entry[0], entry[1]);
  }
  if (!Array.isArray(condition) || condition.length !== 3) throw malformed(`the condition ${text} is neither {"field": "value"} nor a three-element array`);
  const [operator, first, second]: unknown[] = condition;
  if (operator === 'content-length-range') {
    if (!isByteCount(first) || !isByteCount(second)) throw malformed(`the condition ${text} needs two byte counts`);
    return rule('content-length-range', '', '', first, second);
  }
  if ((operator === 'eq' || operator === 'starts-with') && typeof first === 'string' && first.startsWith('$') && typeof second === 'string') {
    return rule(operator, first.slice(1), second);
  }
  throw malformed(`the condition ${text} is not one S3 knows ("eq", "starts-with" with "$field", or "content-length-range")`);
}

/** Refuses a document that reaches outside what the demo allows; returns the yyyymmdd to sign for. */
function checkDocument(policy: PolicyJson, rules: readonly Rule[], target: S3Target, now: Date): string {
  const on = (field: string) => rules.filter((rule) => rule.field === field && rule.operator !== 'content-length-range');

  const bucket = on('bucket');
  if (!bucket.some((rule) => rule.operator === 'eq' && rule.value === target.bucket)) {
    throw refused(bucket.length === 0
      ? `the policy has no bucket condition; it must pin {"bucket": "${target.bucket}"}`
      : `the bucket condition ${bucket.map((rule) => rule.text).join(', ')} is not {"bucket": "${target.bucket}"}`);
  }
  const otherBucket = bucket.find((rule) => rule.operator !== 'eq' || rule.value !== target.bucket);
  if (otherBucket) throw refused(`the bucket condition ${otherBucket.text} names another bucket than ${target.bucket}`);

  const key = on('key');
  const confined = key.filter((rule) => rule.value.startsWith(KEY_PREFIX));
  if (confined.length === 0) {
    throw refused(key.length === 0
      ? `the policy has no key condition; it must keep keys under "${KEY_PREFIX}" (["starts-with", "$key", "${KEY_PREFIX}..."])`
      : `the key condition ${key.map((rule) => rule.text).join(', ')} does not keep keys under "${KEY_PREFIX}"`);
  }

  const ranges = rules.filter((rule) => rule.operator === 'content-length-range');
  if (ranges.length === 0) throw refused(`the policy has no content-length-range; it must cap uploads at ${target.maxSize} bytes`);
  if (!ranges.some((rule) => rule.max <= target.maxSize)) {
    throw refused(`the content-length-range ${ranges.map((rule) => rule.text).join(', ')} allows more than ${target.maxSize} bytes`);
  }

  const expiration = Date.parse(policy.expiration);
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,3})?Z$/.test(policy.expiration) || Number.isNaN(expiration)) {
    throw malformed(`"expiration" is ${JSON.stringify(policy.expiration)}, not an ISO 8601 UTC time such as ${new Date(now.getTime() + 600_000).toISOString()}`);
  }
  if (expiration - now.getTime() > MAX_POLICY_LIFETIME_MS) {
    throw refused(`the expiration ${policy.expiration} is more than an hour ahead (this server's time is ${now.toISOString()})`);
  }

  const acl = on('acl').find((rule) => rule.operator !== 'eq' || rule.value !== 'private');
  if (acl) throw refused(`the acl condition ${acl.text} would let the page choose a public ACL; only "private" is signed`);
  const algorithm = on('x-amz-algorithm').find((rule) => rule.value !== ALGORITHM);
  if (algorithm) throw refused(`the condition ${algorithm.text} is not {"x-amz-algorithm": "${ALGORITHM}"}`);

  return checkCredential(on('x-amz-credential'), on('x-amz-date'), target);
}

// The signing key is derived from the credential's date and region, so they must be this backend's.
function checkCredential(credentials: readonly Rule[], dates: readonly Rule[], target: S3Target): string {
  const [credential] = credentials;
  if (!credential || credential.operator !== 'eq') throw refused('the policy has no {"x-amz-credential": ...} condition to sign for');
  const [accessKeyId, date = '', region, service, terminator] = credential.value.split('/');
  if (accessKeyId !== target.credentials.accessKeyId) {
    throw refused(`the credential ${credential.value} is for access key ${accessKeyId ?? ''}, not this backend's ${target.credentials.accessKeyId}`);
  }
  if (!/^\d{8}$/.test(date) || service !== 's3' || terminator !== 'aws4_request') {
    throw malformed(`the credential ${credential.value} is not <access key>/<yyyymmdd>/<region>/s3/aws4_request`);
  }
  if (region !== target.region) throw refused(`the credential is scoped to region ${region ?? ''}; the bucket ${target.bucket} is in ${target.region}`);
  const [amz] = dates;
  if (amz && amz.value.slice(0, 8) !== date) {
    throw refused(`x-amz-date ${amz.value} is not on the credential's day ${date}`);
  }
  return date;
}

function namesField(condition: unknown, field: string): boolean {
  if (isRecord(condition)) return Object.keys(condition).some((name) => name.toLowerCase() === field);
  return Array.isArray(condition) && typeof condition[1] === 'string' && condition[1].toLowerCase() === `$${field}`;
}

function isByteCount(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
}

function refused(reason: string): ApiError {
  return new ApiError(403, `Refused to sign: ${reason}.`);
}

function malformed(reason: string): ApiError {
  return new ApiError(400, `Not a policy document: ${reason}.`);
}
