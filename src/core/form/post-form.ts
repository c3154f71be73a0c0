// The form S3 receives, in the order of AWS's SigV4 POST example
// (https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-post-example.html): key, acl, success_action_*,
// Content-Type, x-amz-meta-*, other fields, then X-Amz-Credential, X-Amz-Algorithm, X-Amz-Date,
// X-Amz-Security-Token, Policy, X-Amz-Signature. `file` goes last (the transport appends it), because S3
// ignores every field after the file.

import { safeFilename } from './file-name';
import { expandFilename } from './post-policy';
import type { SignedPost } from '../policy/policy-answer';

export interface PostForm {
  readonly url: string;
  /** Every field in the order sent, `file` excluded. */
  readonly fields: ReadonlyArray<readonly [name: string, value: string]>;
  /** The object key once S3 has replaced `${filename}`. */
  readonly key: string;
  readonly bucket: string | undefined;
  /** The filename sent with the file part: the file's name made safe for a key (see file-name.ts). */
  readonly filename: string;
}

export interface FileFacts {
  readonly name: string;
  readonly type: string;
  readonly size: number;
}

const LEADING = ['key', 'acl', 'success_action_status', 'success_action_redirect', 'redirect', 'Content-Type'];

export function assemblePostForm(post: SignedPost, file: FileFacts): PostForm {
  const fields = [...post.fields];
  // A policy that constrains Content-Type while the backend left the value to the client: send the file's
  // type, which is what the condition is there to check (S3 would otherwise see the field as empty).
  const hasContentType = fields.some(([name]) => name === 'Content-Type');
  const policyNamesContentType = post.document.conditions.some(
    (condition) => condition.kind !== 'content-length-range' && condition.field === 'content-type',
  );
  if (!hasContentType && policyNamesContentType) {
    fields.push(['Content-Type', file.type || 'application/octet-stream']);
  }

  const rank = (name: string): number => {
    const leading = LEADING.indexOf(name);
    if (leading >= 0) return leading;
    return name.startsWith('x-amz-meta-') ? LEADING.length : LEADING.length + 1;
  };
  // Array.prototype.sort is stable, so fields of one rank keep the backend's order.
  const ordered = [['key', post.key] as const, ...fields].sort(([a], [b]) => rank(a) - rank(b));

  const auth: Array<readonly [string, string]> = [
    ['X-Amz-Credential', post.credential],
    ['X-Amz-Algorithm', post.algorithm],
    ['X-Amz-Date', post.date],
  ];
  if (post.securityToken !== undefined) auth.push(['X-Amz-Security-Token', post.securityToken]);
  auth.push(['Policy', post.policy], ['X-Amz-Signature', post.signature]);

  const filename = safeFilename(file.name);
  return {
    url: post.url,
    fields: [...ordered, ...auth],
    key: expandFilename(post.key, filename),
    bucket: post.bucket,
    filename,
  };
}
