// A signed POST form for the emulator tests: one credential, one bucket, a fixed clock, and a policy
// that covers exactly the fields sent, so each test changes one thing and sees S3's answer to it.

import type { S3EmulatorOptions } from '../../mocks';
import { encodePolicy, signPolicy } from '../support/aws-signer';

export const ENDPOINT = 'https://s3.us-east-1.amazonaws.com';
export const REGION = 'us-east-1';
export const BUCKET = 'uploads';
export const ACCESS_KEY_ID = 'AKIAEMULATOREXAMPLE';
export const SECRET = 'emulator/secret+key/EXAMPLE';
export const NOW = new Date('2025-06-01T12:00:00Z');
export const BUCKET_URL = `${ENDPOINT}/${BUCKET}`;

export type Fields = Array<[string, string]>;

export interface SignedFormOptions {
  /** Fields the form carries before the signing fields; each gets an exact condition unless `conditions` is given. */
  fields?: Fields;
  /** Replaces the generated conditions (bucket, fields, signing fields) entirely. */
  conditions?: unknown[];
  /** Appended to the generated conditions. */
  extraConditions?: unknown[];
  expiration?: string;
  accessKeyId?: string;
  secret?: string;
  region?: string;
  date?: string;
  sessionToken?: string;
  /** A base64 policy to sign as it is, instead of the generated one. */
  policy?: string;
}

/** The fields of a SigV4 POST form (without file), signed with node:crypto. */
export function signedForm(options: SignedFormOptions = {}): Fields {
  const date = options.date ?? '20250601';
  const region = options.region ?? REGION;
  const credential = `${options.accessKeyId ?? ACCESS_KEY_ID}/${date}/${region}/s3/aws4_request`;
  const fields: Fields = options.fields ?? [['key', 'photos/cat.png']];
  const signing: Fields = [
    ['x-amz-algorithm', 'AWS4-HMAC-SHA256'],
    ['x-amz-credential', credential],
    ['x-amz-date', `${date}T120000Z`],
  ];
  if (options.sessionToken) signing.push(['x-amz-security-token', options.sessionToken]);
  const conditions = options.conditions ?? [
    { bucket: BUCKET },
    ...[...fields, ...signing].map(([name, value]) => ({ [name]: value })),
    ...(options.extraConditions ?? []),
  ];
  const policy =
    options.policy ?? encodePolicy({ expiration: options.expiration ?? '2025-06-01T13:00:00.000Z', conditions });
  const signature = signPolicy(policy, options.secret ?? SECRET, date, region);
  return [...fields, ...signing, ['policy', policy], ['x-amz-signature', signature]];
}

/** Exact conditions for the signing fields signedForm() adds, for tests that write their own conditions. */
export function signingConditions(): unknown[] {
  return signedForm({ fields: [] })
    .filter(([name]) => name.startsWith('x-amz-') && name !== 'x-amz-signature')
    .map(([name, value]) => ({ [name]: value }));
}

/** Replaces (or appends) one field, keeping the order. */
export function withField(fields: Fields, name: string, value: string): Fields {
  const index = fields.findIndex(([candidate]) => candidate === name);
  if (index === -1) return [...fields, [name, value]];
  return fields.map((field, i): [string, string] => (i === index ? [name, value] : field));
}

export function withoutField(fields: Fields, name: string): Fields {
  return fields.filter(([candidate]) => candidate !== name);
}

export function fieldValue(fields: Fields, name: string): string {
  const field = fields.find(([candidate]) => candidate === name);
  if (!field) throw new Error(`no field ${name}`);
  return field[1];
}

export interface FileSpec {
  name?: string;
  body?: string | Uint8Array;
  type?: string;
}

/**
 * A FormData with the fields in order and the file last, as a browser sends it. The file is a File,
 * not append(name, blob, filename): happy-dom's FormData drops that third argument and sends "blob".
 */
export function formData(fields: Fields, file: FileSpec | null = {}, after: Fields = []): FormData {
  const form = new FormData();
  for (const [name, value] of fields) form.append(name, value);
  if (file) {
    const body = file.body ?? 'hello, bucket';
    const bytes = typeof body === 'string' ? new TextEncoder().encode(body) : body;
    form.append('file', new File([new Uint8Array(bytes)], file.name ?? 'cat.png', { type: file.type ?? 'image/png' }));
  }
  for (const [name, value] of after) form.append(name, value);
  return form;
}

export function post(form: FormData, url = BUCKET_URL, init: RequestInit = {}): Promise<Response> {
  return fetch(url, { method: 'POST', body: form, redirect: 'manual', ...init });
}

export interface ParsedS3Error {
  code: string | undefined;
  message: string | undefined;
  /** Every element of <Error>, by name. */
  elements: Record<string, string>;
}

/** Reads S3's error document (flat elements, so a regular expression suffices in a Node test). */
export async function s3Error(response: Response): Promise<ParsedS3Error> {
  const text = await response.text();
  if (!text.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n<Error>')) throw new Error(`not an S3 error: ${text}`);
  const elements: Record<string, string> = {};
  for (const match of text.matchAll(/<([A-Za-z0-9-]+)>([^<]*)<\/\1>/g)) {
    const [, name = '', value = ''] = match;
    elements[name] = value.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
  }
  return { code: elements['Code'], message: elements['Message'], elements };
}

export function emulatorOptions(overrides: Partial<S3EmulatorOptions> = {}): S3EmulatorOptions {
  return {
    endpoint: ENDPOINT,
    region: REGION,
    buckets: [BUCKET],
    credentials: [{ accessKeyId: ACCESS_KEY_ID, secretAccessKey: SECRET }],
    now: () => NOW,
    ...overrides,
  };
}
