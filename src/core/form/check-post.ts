// The form for one file under a signed policy, checked as S3 would check it before a byte is sent:
// every way S3 would refuse it, as data (the upload explains it on failure, through diagnostics/;
// preparePost, in prepare-post.ts, throws it with its words at once).

import type { PolicyAnswerShape, SignedPost } from '../policy/policy-answer-reader';
import { s3Now } from '../retry/clock-offset';
import type { UploadWarning } from '../warnings';
import { assemblePostForm, type PostForm } from './post-form';
import { evaluatePolicy, type PolicyDocument, type PolicyFailure } from './post-policy';

/** A form that passed every check, ready to send. Also what a diagnostics panel shows. */
export interface PreparedUpload extends PostForm {
  readonly file: File;
  readonly shape: PolicyAnswerShape;
  /** The decoded policy the backend signed. */
  readonly policy: PolicyDocument;
  readonly warnings: readonly UploadWarning[];
}

export interface CheckOptions {
  /**
   * How far this device's clock may run ahead of S3's before the kit calls a policy expired itself.
   * Default 5 minutes; S3 still has the last word.
   */
  readonly clockSkewMs?: number | undefined;
}

/** The form for `file`, or every way S3 would find it breaking the policy. */
export type CheckedPost =
  | { readonly ok: true; readonly prepared: PreparedUpload }
  | { readonly ok: false; readonly failures: readonly [PolicyFailure, ...PolicyFailure[]] };

const DEFAULT_CLOCK_SKEW_MS = 5 * 60_000;

export function checkPost(post: SignedPost, file: File, options: CheckOptions = {}): CheckedPost {
  const form = assemblePostForm(post, file);
  const [first, ...rest] = evaluatePolicy(
    post.document,
    { fields: form.fields, bucket: form.bucket, fileSize: file.size, filename: form.filename },
    // By S3's clock when S3 has told it (clock-offset.ts): a device whose clock runs ahead would
    // otherwise call a good policy expired.
    { now: s3Now(), clockSkewMs: options.clockSkewMs ?? DEFAULT_CLOCK_SKEW_MS },
  );
  if (first) return { ok: false, failures: [first, ...rest] };
  return { ok: true, prepared: { ...form, file, shape: post.shape, policy: post.document, warnings: post.warnings } };
}

