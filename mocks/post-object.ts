// POST Object: a browser form upload, judged and answered the way S3 does.
// https://docs.aws.amazon.com/AmazonS3/latest/API/RESTObjectPOST.html
// https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-HTTPPOSTConstructPolicy.html
// The policy is decoded and judged by src/core/form/post-policy.ts (its words in
// src/core/diagnostics/policy-problems.ts), the same reading the kit's own pre-flight checks use; this
// file only turns its verdict into S3's answer.

import { decodePolicy, describeCondition } from '../src/core/diagnostics/policy-problems';
import { evaluatePolicy, expandFilename, type PolicyFailure } from '../src/core/form/post-policy';
import { checkContentMd5 } from './checksums';
import { readPostForm, type PostForm } from './multipart-form';
import { authorizePost, type PostAuthOptions } from './post-auth';
import type { S3Address } from './s3-address';
import { isS3Failure, keyTooLong, s3Failure, type S3Failure } from './s3-failure';
import { postResponseDocument } from './s3-xml';
import type { S3Store } from './store';

export interface PostObjectContext {
  readonly bucket: string;
  readonly address: S3Address;
  readonly store: S3Store;
  readonly auth: PostAuthOptions;
  readonly now: Date;
}

export async function postObject(request: Request, context: PostObjectContext): Promise<Response | S3Failure> {
  const form = await readPostForm(request);
  if (isS3Failure(form)) return form;
  const { file } = form;
  if (!file) {
    return s3Failure(400, 'InvalidArgument', 'POST requires exactly one file upload per request.', [
      ['ArgumentName', 'file'],
      ['ArgumentValue', '0'],
    ]);
  }
  const keyField = form.get('key');
  if (!keyField) {
    return s3Failure(
      400,
      'InvalidArgument',
      "Bucket POST must contain a field named 'key'.  If it is specified, please check the order of the fields.",
      [
        ['ArgumentName', 'key'],
        ['ArgumentValue', ''],
      ],
    );
  }

  const authorization = authorizePost(form, context.auth);
  if (isS3Failure(authorization)) return authorization;
  // Every emulated bucket is private: an unsigned POST is refused as S3 refuses it for a private bucket.
  if (authorization.kind === 'anonymous') return s3Failure(403, 'AccessDenied', 'Access Denied');

  const decoded = decodePolicy(authorization.policy);
  if (!decoded.ok) return s3Failure(400, 'InvalidPolicyDocument', `Invalid Policy: ${decoded.detail}`);
  // A file part without a filename parameter leaves ${filename} as it is (observed on S3 in 2026;
  // the docs say it becomes empty). Expanding it to itself does exactly that.
  const filename = file.filename ?? '${filename}';
  const [failure] = evaluatePolicy(
    decoded.document,
    { fields: authorization.fields, bucket: context.bucket, fileSize: file.bytes.length, filename },
    { now: context.now },
  );
  if (failure) return policyFailure(failure);

  const key = expandFilename(keyField, filename);
  const tooLong = keyTooLong(key);
  if (tooLong) return tooLong;
  // "When you use this form field, Amazon S3 checks the object against the provided MD5 value."
  // Codes and messages as for PutObject's Content-MD5 header.
  const digestProblem = checkContentMd5(form.get('Content-MD5'), file.bytes);
  if (digestProblem) return digestProblem;

  // An empty Content-Type field counts as none: S3 then stores binary/octet-stream.
  const contentType = form.get('Content-Type') || undefined;
  const acl = form.get('acl');
  const stored = context.store.putObject(context.bucket, key, file.bytes, {
    metadata: userMetadata(form),
    ...(contentType === undefined ? {} : { contentType }),
    ...(acl === undefined ? {} : { acl }),
  });
  return successAnswer(form, context, stored.key, stored.etag);
}

function policyFailure(failure: PolicyFailure): S3Failure {
  const denied = (reason: string) => s3Failure(403, 'AccessDenied', `Invalid according to Policy: ${reason}`);
  switch (failure.kind) {
    case 'expired':
      return denied('Policy expired.');
    case 'condition-failed':
      return denied(`Policy Condition failed: ${describeCondition(failure.condition)}`);
    case 'extra-fields':
      return denied(`Extra input fields: ${failure.fields.join(', ')}`);
    case 'too-large':
      return s3Failure(400, 'EntityTooLarge', 'Your proposed upload exceeds the maximum allowed size', [
        ['ProposedSize', String(failure.size)],
        ['MaxSizeAllowed', String(failure.max)],
      ]);
    case 'too-small':
      return s3Failure(400, 'EntityTooSmall', 'Your proposed upload is smaller than the minimum allowed size', [
        ['ProposedSize', String(failure.size)],
        ['MinSizeAllowed', String(failure.min)],
      ]);
  }
}

function userMetadata(form: PostForm): Record<string, string> {
  const metadata: Record<string, string> = {};
  for (const [name, value] of form.fields) {
    if (name.toLowerCase().startsWith('x-amz-meta-')) metadata[name.toLowerCase()] = value;
  }
  return metadata;
}

// success_action_redirect (or the deprecated `redirect`) wins; then success_action_status: 200 and 204
// are empty, 201 is a PostResponse document, anything else is 204 (RESTObjectPOST, form fields).
function successAnswer(form: PostForm, context: PostObjectContext, key: string, etag: string): Response {
  const location = context.address.objectUrl(key);
  const redirect = redirectUrl(form.get('success_action_redirect') ?? form.get('redirect'));
  if (redirect) {
    // Captured redirects keep the URL's own query, append with '&', and form-encode bucket, key and
    // the quoted ETag (key%2Fpart, %22etag%22).
    const query = new URLSearchParams({ bucket: context.bucket, key, etag }).toString();
    const separator = redirect.includes('?') ? '&' : '?';
    return new Response(null, { status: 303, headers: { Location: `${redirect}${separator}${query}`, ETag: etag } });
  }
  const headers = { ETag: etag, Location: location };
  switch (form.get('success_action_status')) {
    case '200':
      return new Response(null, { status: 200, headers });
    case '201':
      return new Response(postResponseDocument({ location, bucket: context.bucket, key, etag }), {
        status: 201,
        headers: { ...headers, 'Content-Type': 'application/xml' },
      });
    default:
      return new Response(null, { status: 204, headers });
  }
}

/** "If Amazon S3 cannot interpret the URL, it acts as if the field is not present." */
function redirectUrl(value: string | undefined): string | undefined {
  if (!value) return undefined;
  try {
    const url = new URL(value);
    return url.protocol === 'http:' || url.protocol === 'https:' ? value : undefined;
  } catch {
    return undefined;
  }
}
