// Browser-style POST Object forms for the differential suite, signed with node:crypto through
// test/support/aws-signer.ts, so neither the kit's signer nor the emulator's checks the work of its own code.
// https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-HTTPPOSTConstructPolicy.html
// https://docs.aws.amazon.com/AmazonS3/latest/userguide/HTTPPOSTForms.html (SigV2)

import { amzDate, encodePolicy, signPolicy, signPolicyV2 } from '../../test/support/aws-signer';

/** One bucket and the credentials allowed to upload into it. */
export interface S3Target {
  readonly endpoint: string;
  readonly bucket: string;
  readonly region: string;
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
}

export type FormFields = ReadonlyArray<readonly [name: string, value: string]>;

export interface PostFile {
  /** Backed by a plain ArrayBuffer, as a Blob part must be. */
  readonly bytes: Uint8Array<ArrayBuffer>;
  readonly filename: string;
  readonly contentType: string;
}

/** What a browser sends: fields in order, then the file (S3 ignores anything after it). */
export interface PostRequest {
  readonly fields: FormFields;
  /** undefined sends a form without a file part. */
  readonly file: PostFile | undefined;
}

export interface SigV4FormOptions {
  /** The key field; `undefined` sends none (the policy still names `policyKey`). */
  readonly key: string | undefined;
  /** The key the policy allows; default `key`. `${filename}` in it becomes a starts-with condition. */
  readonly policyKey?: string;
  /** Fields sent between the key and the SigV4 fields. Not added to the policy: say so in `conditions`. */
  readonly fields?: FormFields;
  /** Conditions after bucket, key, algorithm, credential and date. */
  readonly conditions?: readonly unknown[];
  /** The bucket the policy names; default the target's. */
  readonly policyBucket?: string;
  /** Seconds until the policy expires; negative for an expired one. Default 600. */
  readonly expiresInSeconds?: number;
  /** The region in the credential scope and the signing key; default the target's. */
  readonly region?: string;
  /** The secret the signature is made with; default the target's. */
  readonly secretAccessKey?: string;
  /** Rewrites the signature after signing (e.g. to upper case). */
  readonly mangleSignature?: (signature: string) => string;
  readonly now?: Date;
}

/** A SigV4 form: key, extra fields, X-Amz-Algorithm/Credential/Date, Policy, X-Amz-Signature. */
export function sigV4Form(target: S3Target, options: SigV4FormOptions): FormFields {
  const now = options.now ?? new Date();
  const date = amzDate(now);
  const region = options.region ?? target.region;
  const credential = `${target.accessKeyId}/${date.slice(0, 8)}/${region}/s3/aws4_request`;
  const policyKey = options.policyKey ?? options.key ?? '';
  const conditions = [
    { bucket: options.policyBucket ?? target.bucket },
    keyCondition(policyKey),
    { 'x-amz-algorithm': 'AWS4-HMAC-SHA256' },
    { 'x-amz-credential': credential },
    { 'x-amz-date': date },
    ...(options.conditions ?? []),
  ];
  const policy = encodePolicy({ expiration: expiration(now, options.expiresInSeconds), conditions });
  const signature = signPolicy(policy, options.secretAccessKey ?? target.secretAccessKey, date.slice(0, 8), region);
  return [
    ...(options.key === undefined ? [] : [['key', options.key] as const]),
    ...(options.fields ?? []),
    ['X-Amz-Algorithm', 'AWS4-HMAC-SHA256'],
    ['X-Amz-Credential', credential],
    ['X-Amz-Date', date],
    ['Policy', policy],
    ['X-Amz-Signature', options.mangleSignature ? options.mangleSignature(signature) : signature],
  ];
}

/** A Signature Version 2 form: key, AWSAccessKeyId, Policy, Signature (HMAC-SHA1). */
export function sigV2Form(target: S3Target, options: { readonly key: string; readonly now?: Date }): FormFields {
  const now = options.now ?? new Date();
  // AWSAccessKeyId and Signature need no condition: SigV2 exempts them from the policy.
  const conditions = [{ bucket: target.bucket }, keyCondition(options.key)];
  const policy = encodePolicy({ expiration: expiration(now, undefined), conditions });
  return [
    ['key', options.key],
    ['AWSAccessKeyId', target.accessKeyId],
    ['Policy', policy],
    ['Signature', signPolicyV2(policy, target.secretAccessKey)],
  ];
}

/** The multipart body a browser would build, file last. */
export function formData(request: PostRequest): FormData {
  const form = new FormData();
  for (const [name, value] of request.fields) form.append(name, value);
  if (request.file) {
    const { bytes, filename, contentType } = request.file;
    form.append('file', new Blob([bytes], { type: contentType }), filename);
  }
  return form;
}

/** `size` bytes of printable text, different for every name, so a mixed-up object shows. */
export function fileOf(filename: string, size: number): PostFile {
  const pattern = `${filename}|`;
  const bytes = new TextEncoder().encode(pattern.repeat(Math.ceil(size / pattern.length)).slice(0, size));
  return { bytes, filename, contentType: 'text/plain' };
}

function keyCondition(key: string): unknown {
  // S3 expands ${filename} before it applies the key condition, so only its prefix can be fixed.
  return key.includes('${filename}') ? ['starts-with', '$key', key.slice(0, key.indexOf('${filename}'))] : { key };
}

function expiration(now: Date, seconds: number | undefined): string {
  return new Date(now.getTime() + (seconds ?? 600) * 1000).toISOString();
}
