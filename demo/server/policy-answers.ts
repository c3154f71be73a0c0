// The three policy answers the kit accepts, each made the way a real backend makes it:
//   aws-sdk  @aws-sdk/s3-presigned-post createPresignedPost        { url, fields: { key, bucket, X-Amz-*, Policy } }
//   boto3    a port of boto3's generate_presigned_post              { url, fields: { key, x-amz-*, policy } }
//   flat     a hand-rolled signer                                   { url, key, policy, signature, credential, date, algorithm, fields }
// All three sign the same policy: any key under uploads/<random>/ (S3 fills in ${filename}, so one
// policy serves several files), any Content-Type, at most maxSize bytes, and success_action_status 201,
// whose XML answer carries the ETag even when CORS hides headers (and radosgw sends no ETag on a 204).
// https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-HTTPPOSTConstructPolicy.html

import { S3Client } from '@aws-sdk/client-s3';
import { createPresignedPost } from '@aws-sdk/s3-presigned-post';
import type { Mistake } from '../mistakes';
import { bucketUrl, KEY_PREFIX, type S3Target } from './config';
import { newUploadFolder } from './object-key';
import { mistakeEffects, type MistakeEffects, type PolicyCondition } from './mistake-effects';
import type { PolicyRequestBody } from './policy-request';
import { ALGORITHM, amzDate, credentialFor, encodePolicy, signPolicy } from './sigv4-post';

export type AnswerShape = 'aws-sdk' | 'boto3' | 'flat';
export const ANSWER_SHAPES: readonly AnswerShape[] = ['aws-sdk', 'boto3', 'flat'];

export interface AnswerInput {
  readonly request: PolicyRequestBody;
  readonly target: S3Target;
  readonly mistake: Mistake | undefined;
  readonly now?: Date;
}

export function policyAnswer(shape: AnswerShape, input: AnswerInput): Promise<Record<string, unknown>> {
  switch (shape) {
    case 'aws-sdk':
      return awsSdkAnswer(input);
    case 'boto3':
      return Promise.resolve(boto3Answer(input));
    case 'flat':
      return Promise.resolve(flatAnswer(input));
  }
}

const SUCCESS_ACTION_STATUS = '201';

/** A fresh folder per request, so that the files of one policy cannot overwrite another's. */
function newKey(): string {
  return `${newUploadFolder()}\${filename}`;
}

function metadataFields(request: PolicyRequestBody): Record<string, string> {
  return Object.fromEntries(Object.entries(request.metadata).map(([name, value]) => [`x-amz-meta-${name}`, value]));
}

/** Conditions on what the browser chooses: under the prefix, any type, bounded size. */
function openConditions(target: S3Target): PolicyCondition[] {
  return [
    ['starts-with', '$key', KEY_PREFIX],
    ['starts-with', '$Content-Type', ''],
    ['content-length-range', 0, target.maxSize],
  ];
}

export async function awsSdkAnswer({ request, target, mistake, now }: AnswerInput): Promise<Record<string, unknown>> {
  const effects = mistakeEffects(mistake, target);
  const client = new S3Client({
    region: effects.signingRegion,
    credentials: { ...target.credentials, secretAccessKey: effects.signingSecret },
    ...(target.endpoint !== undefined ? { endpoint: target.endpoint, forcePathStyle: true } : {}),
    requestChecksumCalculation: 'WHEN_REQUIRED',
    // createPresignedPost reads the clock through the client; `now` lets a test pin it.
    ...(now !== undefined ? { systemClockOffset: now.getTime() - Date.now() } : {}),
  });
  const post = await createPresignedPost(client, {
    Bucket: target.bucket,
    Key: newKey(),
    Conditions: effects.signedConditions(openConditions(target)),
    Fields: { success_action_status: SUCCESS_ACTION_STATUS, ...metadataFields(request) },
    Expires: effects.expiresInSeconds,
  });
  client.destroy();
  const fields: Record<string, string> = { ...post.fields };
  fields['X-Amz-Signature'] = effects.finishSignature(fields['X-Amz-Signature'] ?? '');
  Object.assign(fields, effects.unsignedFields(fields['Policy'] ?? ''));
  // With the wrong region the SDK would also derive the URL from it; the mistake being shown is a
  // credential scoped to another region than the bucket the page posts to.
  return { url: mistake === 'wrong-region' ? bucketUrl(target) : post.url, fields };
}

/** A policy signed by the demo's own SigV4 code, before it is dressed as boto3's or the flat answer. */
interface HandSigned {
  readonly url: string;
  readonly key: string;
  /** Fields the policy covers, in boto3's order (the caller's Fields first). */
  readonly fields: Record<string, string>;
  readonly algorithm: string;
  readonly credential: string;
  readonly date: string;
  readonly securityToken: string | undefined;
  readonly policy: string;
  readonly signature: string;
  readonly unsigned: Record<string, string>;
}

function handSign({ request, target, mistake, now = new Date() }: AnswerInput, expirationFormat: 'seconds' | 'milliseconds'): HandSigned {
  const effects: MistakeEffects = mistakeEffects(mistake, target);
  const key = newKey();
  const date = amzDate(now);
  const credential = credentialFor(target.credentials.accessKeyId, date, effects.signingRegion);
  const { sessionToken } = target.credentials;
  const fields = { success_action_status: SUCCESS_ACTION_STATUS, ...metadataFields(request) };
  const expires = new Date(now.getTime() + effects.expiresInSeconds * 1000).toISOString();
  // The order generate_presigned_post builds: the caller's conditions, then bucket and key, then the
  // SigV4 ones it adds while signing.
  const conditions: PolicyCondition[] = [
    ...Object.entries(fields).map(([name, value]) => ({ [name]: value })),
    ...effects.signedConditions(openConditions(target)),
    { bucket: target.bucket },
    ['starts-with', '$key', key.slice(0, key.indexOf('${filename}'))],
    { 'x-amz-algorithm': ALGORITHM },
    { 'x-amz-credential': credential },
    { 'x-amz-date': date },
    ...(sessionToken !== undefined ? [{ 'x-amz-security-token': sessionToken }] : []),
  ];
  // boto3 writes the expiration without milliseconds (%Y-%m-%dT%H:%M:%SZ); JavaScript's toISOString keeps them.
  const expiration = expirationFormat === 'seconds' ? expires.replace(/\.\d{3}Z$/, 'Z') : expires;
  const policy = encodePolicy({ expiration, conditions });
  const signature = signPolicy(policy, effects.signingSecret, date.slice(0, 8), effects.signingRegion);
  return {
    url: bucketUrl(target),
    key,
    fields,
    algorithm: ALGORITHM,
    credential,
    date,
    securityToken: sessionToken,
    policy,
    signature: effects.finishSignature(signature),
    unsigned: effects.unsignedFields(policy),
  };
}

/** boto3's generate_presigned_post: every form field in `fields`, lowercase x-amz-* names, no bucket field. */
export function boto3Answer(input: AnswerInput): Record<string, unknown> {
  const signed = handSign(input, 'seconds');
  return {
    url: signed.url,
    fields: {
      ...signed.fields,
      ...signed.unsigned,
      key: signed.key,
      'x-amz-algorithm': signed.algorithm,
      'x-amz-credential': signed.credential,
      'x-amz-date': signed.date,
      ...(signed.securityToken !== undefined ? { 'x-amz-security-token': signed.securityToken } : {}),
      policy: signed.policy,
      'x-amz-signature': signed.signature,
    },
  };
}

/** The flat shape: the SigV4 pieces at the top level, other form fields under `fields`. */
export function flatAnswer(input: AnswerInput): Record<string, unknown> {
  const signed = handSign(input, 'milliseconds');
  return {
    url: signed.url,
    key: signed.key,
    policy: signed.policy,
    signature: signed.signature,
    credential: signed.credential,
    date: signed.date,
    algorithm: signed.algorithm,
    ...(signed.securityToken !== undefined ? { securityToken: signed.securityToken } : {}),
    fields: { ...signed.fields, ...signed.unsigned },
  };
}
