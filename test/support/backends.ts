// App backends for the tests, one per answer shape the kit accepts, written the way real ones are:
// the AWS SDK's createPresignedPost, a port of boto3's generate_presigned_post, a hand-rolled flat
// signer, and the Python "sign my policy" backend of the seed thread.
import { S3Client } from '@aws-sdk/client-s3';
import { createPresignedPost } from '@aws-sdk/s3-presigned-post';
import { http, HttpResponse } from 'msw';
import { CREDENTIALS, flatAnswer, type TestCredentials } from './aws-signer';
import { runSeedSigner } from './seed-backend';

export const APP = 'https://app.example';
export const REGION = 'eu-west-1';
export const ENDPOINT = `https://s3.${REGION}.amazonaws.com`;
export const BUCKET = 'photos';
export const BUCKET_URL = `https://${BUCKET}.s3.${REGION}.amazonaws.com/`;

interface PolicyRequestBody {
  readonly filename: string;
  readonly contentType: string;
  readonly size: number;
}

export interface BackendOptions {
  readonly credentials?: TestCredentials;
  readonly maxSize?: number;
}

/** The AWS SDK v3 answer, as an Express handler would return it. */
export async function sdkAnswer(body: PolicyRequestBody, options: BackendOptions = {}) {
  const client = new S3Client({ region: REGION, credentials: options.credentials ?? CREDENTIALS });
  return createPresignedPost(client, {
    Bucket: BUCKET,
    Key: `uploads/${body.filename}`,
    Fields: { 'Content-Type': body.contentType },
    Conditions: [['content-length-range', 0, options.maxSize ?? 10 * 1024 * 1024]],
    Expires: 600,
  });
}

/** boto3's generate_presigned_post answer: lowercase x-amz-* names, `policy`, no bucket field. */
export function boto3Answer(body: PolicyRequestBody, options: BackendOptions = {}) {
  const flat = flatAnswer({
    url: BUCKET_URL,
    key: 'uploads/${filename}',
    region: REGION,
    bucket: BUCKET,
    credentials: options.credentials ?? CREDENTIALS,
    fields: { acl: 'private' },
    conditions: [['content-length-range', 0, options.maxSize ?? 10 * 1024 * 1024], ['starts-with', '$Content-Type', '']],
  });
  void body;
  return {
    url: flat.url,
    fields: {
      acl: 'private',
      key: flat.key,
      'x-amz-algorithm': flat.algorithm,
      'x-amz-credential': flat.credential,
      'x-amz-date': flat.date,
      policy: flat.policy,
      'x-amz-signature': flat.signature,
    },
  };
}

/** A hand-written backend answering the flat shape. */
export function flatBackendAnswer(body: PolicyRequestBody, options: BackendOptions = {}) {
  return flatAnswer({
    url: BUCKET_URL,
    key: 'flat/${filename}',
    region: REGION,
    bucket: BUCKET,
    credentials: options.credentials ?? CREDENTIALS,
    fields: { 'x-amz-meta-origin': 'flat', 'Content-Type': body.contentType },
  });
}

/** MSW handlers for the app's backend: POST /api/policy/<shape> and the seed's /s3/signature. */
export function backendHandlers(options: BackendOptions = {}) {
  return [
    http.post(`${APP}/api/policy/aws-sdk`, async ({ request }) =>
      HttpResponse.json(await sdkAnswer((await request.json()) as PolicyRequestBody, options)),
    ),
    http.post(`${APP}/api/policy/boto3`, async ({ request }) =>
      HttpResponse.json(boto3Answer((await request.json()) as PolicyRequestBody, options)),
    ),
    http.post(`${APP}/api/policy/flat`, async ({ request }) =>
      HttpResponse.json(flatBackendAnswer((await request.json()) as PolicyRequestBody, options)),
    ),
    http.post(`${APP}/s3/signature`, async ({ request }) => {
      if (request.headers.get('x-csrf-token') !== 'csrf-1') return new HttpResponse('CSRF token missing', { status: 403 });
      return HttpResponse.json(runSeedSigner(await request.text(), options.credentials ?? CREDENTIALS, REGION));
    }),
  ];
}
