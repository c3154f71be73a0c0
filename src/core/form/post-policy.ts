// The S3 POST policy: reading it and judging a form against it, the way S3 does. Shared by the kit's
// checks before sending and by the emulator in mocks/, so both follow one
// reading of the spec: https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-HTTPPOSTConstructPolicy.html
// (The differential suite against radosgw in e2e/ is what keeps this reading honest.) What is wrong with
// a policy comes out as data; the sentences are diagnostics/policy-problems.ts.

import { base64ToBytes, utf8Decode } from '../codec';

export type PolicyCondition =
  | {
      readonly kind: 'eq';
      /** Form field name, lowercased (S3 compares names case-insensitively). */
      readonly field: string;
      /** The name as the policy wrote it, for messages. */
      readonly name: string;
      readonly value: string;
    }
  | { readonly kind: 'starts-with'; readonly field: string; readonly name: string; readonly prefix: string }
  | { readonly kind: 'content-length-range'; readonly min: number; readonly max: number };

export interface PolicyDocument {
  readonly expiration: Date;
  readonly conditions: readonly PolicyCondition[];
  /** The decoded JSON text, as signed. */
  readonly text: string;
}

export type PolicyDecodeProblem =
  | 'not-base64'
  | 'not-utf8'
  | 'not-json'
  | 'not-object'
  | 'expiration'
  | 'conditions'
  | 'condition';

/** What is wrong with one condition: decodePolicy (diagnostics/policy-problems.ts) says it in words. */
export type ConditionFault = 'one-field' | 'string-value' | 'shape' | 'byte-counts' | 'operator' | 'field-name' | 'compare-string';

/** Why a policy cannot be read, as data with its evidence. */
export type PolicyReadProblem =
  | { readonly problem: 'not-base64' | 'not-utf8' | 'not-object' }
  /** `error`: what JSON.parse said. */
  | { readonly problem: 'not-json'; readonly error: string }
  | { readonly problem: 'expiration' | 'conditions'; readonly value: unknown }
  | { readonly problem: 'condition'; readonly condition: unknown; readonly fault: ConditionFault };

export type PolicyRead = { readonly ok: true; readonly document: PolicyDocument } | ({ readonly ok: false } & PolicyReadProblem);

export type PolicyDecode =
  | { readonly ok: true; readonly document: PolicyDocument }
  | { readonly ok: false; readonly problem: PolicyDecodeProblem; readonly detail: string };

/** The policy, or what makes it unreadable (decodePolicy says it in words). */
export function readPolicy(base64: string): PolicyRead {
  const bytes = base64ToBytes(base64.trim());
  if (!bytes) return { ok: false, problem: 'not-base64' };
  const text = utf8Decode(bytes);
  if (text === undefined) return { ok: false, problem: 'not-utf8' };
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    return { ok: false, problem: 'not-json', error: (error as Error).message };
  }
  if (!isRecord(json)) return { ok: false, problem: 'not-object' };

  const expirationText = json['expiration'];
  const expiration = typeof expirationText === 'string' ? parseIsoExpiration(expirationText) : undefined;
  if (!expiration) return { ok: false, problem: 'expiration', value: expirationText };
  const rawConditions = json['conditions'];
  if (!Array.isArray(rawConditions)) return { ok: false, problem: 'conditions', value: rawConditions };
  const conditions: PolicyCondition[] = [];
  for (const raw of rawConditions) {
    const condition = parseCondition(raw);
    if (typeof condition === 'string') return { ok: false, problem: 'condition', condition: raw, fault: condition };
    conditions.push(condition);
  }
  return { ok: true, document: { expiration, conditions, text } };
}

// S3 documents ISO 8601 GMT with milliseconds; SDKs also send it without them.
const ISO_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,3})?Z$/;

function parseIsoExpiration(text: string): Date | undefined {
  if (!ISO_UTC.test(text)) return undefined;
  const date = new Date(text);
  return Number.isNaN(date.getTime()) ? undefined : date;
}

/** A condition, or what is wrong with it. */
function parseCondition(raw: unknown): PolicyCondition | ConditionFault {
  if (isRecord(raw)) {
    // Exact-match shorthand: {"acl": "private"} means ["eq", "$acl", "private"].
    const entries = Object.entries(raw);
    const [entry] = entries;
    if (entries.length !== 1 || !entry) return 'one-field';
    const [name, value] = entry;
    const text = scalarText(value);
    if (text === undefined) return 'string-value';
    return { kind: 'eq', field: name.toLowerCase(), name, value: text };
  }
  if (!Array.isArray(raw) || raw.length !== 3) return 'shape';
  const [operator, first, second] = raw as [unknown, unknown, unknown];
  const op = typeof operator === 'string' ? operator.toLowerCase() : undefined;
  if (op === 'content-length-range') {
    const min = byteCount(first);
    const max = byteCount(second);
    if (min === undefined || max === undefined || min > max) return 'byte-counts';
    return { kind: 'content-length-range', min, max };
  }
  if (op !== 'eq' && op !== 'starts-with') return 'operator';
  if (typeof first !== 'string' || !first.startsWith('$') || first.length < 2) return 'field-name';
  const text = scalarText(second);
  if (text === undefined) return 'compare-string';
  const name = first.slice(1);
  return op === 'eq'
    ? { kind: 'eq', field: name.toLowerCase(), name, value: text }
    : { kind: 'starts-with', field: name.toLowerCase(), name, prefix: text };
}

// S3 refuses a number here too: {"Content-Length": 6199034} gets InvalidPolicyDocument "value must be a string".
function scalarText(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

function byteCount(value: unknown): number | undefined {
  const number = typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value;
  return typeof number === 'number' && Number.isSafeInteger(number) && number >= 0 ? number : undefined;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

// ---------------------------------------------------------------------------------------------

/** What S3 sees of a POST when it applies the policy. */
export interface PostedForm {
  /** Form fields in the order sent, `file` excluded. */
  readonly fields: ReadonlyArray<readonly [name: string, value: string]>;
  /** The bucket the URL addresses; undefined when it cannot be told from the URL. */
  readonly bucket: string | undefined;
  readonly fileSize: number;
  /** The file part's filename, which S3 substitutes for `${filename}` in the key. */
  readonly filename: string;
}

export type PolicyFailure =
  | { readonly kind: 'expired'; readonly expiration: Date }
  | { readonly kind: 'condition-failed'; readonly condition: PolicyCondition; readonly actual: string | undefined }
  | { readonly kind: 'extra-fields'; readonly fields: readonly string[] }
  | { readonly kind: 'too-large'; readonly size: number; readonly max: number }
  | { readonly kind: 'too-small'; readonly size: number; readonly min: number };

export interface EvaluateOptions {
  readonly now: Date;
  /** How far the caller's clock may run ahead of S3's before a policy counts as expired. */
  readonly clockSkewMs?: number;
}

// "Each form field that you specify in a form (except x-amz-signature, file, policy, and field names
// that have an x-ignore- prefix) must appear in the list of conditions." (POST Policy, Conditions)
function isExempt(field: string): boolean {
  return field === 'file' || field === 'policy' || field === 'x-amz-signature' || field.startsWith('x-ignore-');
}

/** Every way the form breaks the policy, in the order S3 checks them; empty when S3 would accept it. */
export function evaluatePolicy(
  document: PolicyDocument,
  form: PostedForm,
  options: EvaluateOptions,
): PolicyFailure[] {
  const failures: PolicyFailure[] = [];
  if (document.expiration.getTime() + (options.clockSkewMs ?? 0) <= options.now.getTime()) {
    failures.push({ kind: 'expired', expiration: document.expiration });
  }

  const values = new Map<string, string>();
  for (const [name, value] of form.fields) {
    const field = name.toLowerCase();
    if (!values.has(field)) values.set(field, value);
  }
  const key = values.get('key');
  // The key condition is checked after ${filename} is expanded (S3 POST Object, "key").
  if (key !== undefined) values.set('key', expandFilename(key, form.filename));

  const covered = new Set<string>();
  for (const condition of document.conditions) {
    if (condition.kind === 'content-length-range') continue;
    covered.add(condition.field);
    const actual = condition.field === 'bucket' ? form.bucket : values.get(condition.field);
    if (condition.field === 'bucket' && actual === undefined) continue;
    // A condition on a field the form does not send fails, even ["starts-with", "$x", ""]: S3 answers
    // "Policy Condition failed: [\"starts-with\", \"$utf8\", \"\"]" to a form that sent utf-8 instead.
    if (actual === undefined || !meets(condition, actual)) failures.push({ kind: 'condition-failed', condition, actual });
  }

  const extra = [...values.keys()].filter((field) => !isExempt(field) && !covered.has(field));
  if (extra.length > 0) failures.push({ kind: 'extra-fields', fields: extra });

  for (const condition of document.conditions) {
    if (condition.kind !== 'content-length-range') continue;
    if (form.fileSize > condition.max) failures.push({ kind: 'too-large', size: form.fileSize, max: condition.max });
    if (form.fileSize < condition.min) failures.push({ kind: 'too-small', size: form.fileSize, min: condition.min });
  }
  return failures;
}

function meets(condition: Exclude<PolicyCondition, { kind: 'content-length-range' }>, actual: string): boolean {
  if (condition.kind === 'eq') return actual === condition.value;
  // "Content-Types values for a starts-with condition that include commas are interpreted as lists.
  // Each value in the list must meet the condition for the whole condition to pass."
  if (condition.field === 'content-type' && actual.includes(',')) {
    return actual.split(',').every((part) => part.trim().startsWith(condition.prefix));
  }
  return actual.startsWith(condition.prefix);
}

/** S3 replaces `${filename}` in the key with the name of the uploaded file. */
export function expandFilename(key: string, filename: string): string {
  return key.split('${filename}').join(filename);
}
