// The S3 POST policy: decoding it and judging a form against it, the way S3 does.
// Shared by the kit's checks before sending and by the emulator in mocks/, so both follow one reading
// of the spec: https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-HTTPPOSTConstructPolicy.html
// (The differential suite against radosgw in e2e/ is what keeps this reading honest.)

import { base64ToBytes, utf8Decode } from './codec';

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

export type PolicyDecode =
  | { readonly ok: true; readonly document: PolicyDocument }
  | { readonly ok: false; readonly problem: PolicyDecodeProblem; readonly detail: string };

export function decodePolicy(base64: string): PolicyDecode {
  const bytes = base64ToBytes(base64.trim());
  if (!bytes) return fail('not-base64', 'The policy is not standard base64 text.');
  const text = utf8Decode(bytes);
  if (text === undefined) return fail('not-utf8', 'The policy decodes from base64 to bytes that are not UTF-8.');
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    return fail('not-json', `The policy decodes to text that is not JSON (${(error as Error).message}).`);
  }
  if (!isRecord(json)) return fail('not-object', 'The policy JSON is not an object with expiration and conditions.');

  const expirationText = json['expiration'];
  const expiration = typeof expirationText === 'string' ? parseIsoExpiration(expirationText) : undefined;
  if (!expiration) {
    return fail(
      'expiration',
      `The policy's "expiration" must be an ISO 8601 UTC time such as 2025-01-01T12:00:00.000Z; got ${JSON.stringify(expirationText)}.`,
    );
  }
  const rawConditions = json['conditions'];
  if (!Array.isArray(rawConditions)) {
    return fail('conditions', `The policy's "conditions" must be an array; got ${JSON.stringify(rawConditions)}.`);
  }
  const conditions: PolicyCondition[] = [];
  for (const raw of rawConditions) {
    const condition = parseCondition(raw);
    if (typeof condition === 'string') return fail('condition', condition);
    conditions.push(condition);
  }
  return { ok: true, document: { expiration, conditions, text } };
}

function fail(problem: PolicyDecodeProblem, detail: string): PolicyDecode {
  return { ok: false, problem, detail };
}

// S3 documents ISO 8601 GMT with milliseconds; SDKs also send it without them.
const ISO_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,3})?Z$/;

function parseIsoExpiration(text: string): Date | undefined {
  if (!ISO_UTC.test(text)) return undefined;
  const date = new Date(text);
  return Number.isNaN(date.getTime()) ? undefined : date;
}

/** A condition, or a sentence saying what is wrong with it. */
function parseCondition(raw: unknown): PolicyCondition | string {
  const shown = JSON.stringify(raw);
  if (isRecord(raw)) {
    // Exact-match shorthand: {"acl": "private"} means ["eq", "$acl", "private"].
    const entries = Object.entries(raw);
    const [entry] = entries;
    if (entries.length !== 1 || !entry) return `The condition ${shown} must name exactly one field.`;
    const [name, value] = entry;
    const text = scalarText(value);
    if (text === undefined) return `The condition ${shown} must give the field a string value.`;
    return { kind: 'eq', field: name.toLowerCase(), name, value: text };
  }
  if (!Array.isArray(raw) || raw.length !== 3) {
    return `The condition ${shown} is neither {"field": "value"} nor a three-element array.`;
  }
  const [operator, first, second] = raw as [unknown, unknown, unknown];
  const op = typeof operator === 'string' ? operator.toLowerCase() : undefined;
  if (op === 'content-length-range') {
    const min = byteCount(first);
    const max = byteCount(second);
    if (min === undefined || max === undefined || min > max) {
      return `The condition ${shown} needs two whole byte counts, minimum first.`;
    }
    return { kind: 'content-length-range', min, max };
  }
  if (op !== 'eq' && op !== 'starts-with') {
    return `The condition ${shown} uses ${JSON.stringify(operator)}; S3 knows "eq", "starts-with" and "content-length-range".`;
  }
  if (typeof first !== 'string' || !first.startsWith('$') || first.length < 2) {
    return `The condition ${shown} must name its field with a leading $, as in "$key".`;
  }
  const text = scalarText(second);
  if (text === undefined) return `The condition ${shown} must compare with a string.`;
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

/** `["eq", "$acl", "private"]`, as S3 quotes a condition in "Policy Condition failed: ...". */
export function describeCondition(condition: PolicyCondition): string {
  switch (condition.kind) {
    case 'eq':
      return `["eq", "$${condition.name}", ${JSON.stringify(condition.value)}]`;
    case 'starts-with':
      return `["starts-with", "$${condition.name}", ${JSON.stringify(condition.prefix)}]`;
    case 'content-length-range':
      return `["content-length-range", ${condition.min}, ${condition.max}]`;
  }
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
