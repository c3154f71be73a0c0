// preparePost: the form for one file under an already signed policy, checked at once. A module of its
// own because it needs PolicyViolationError up front; the upload itself (upload.ts) loads it on failure.

import type { SignedPost } from '../policy/policy-answer';
import { PolicyViolationError } from '../errors/PolicyViolationError';
import { checkPost, type PrepareOptions, type PreparedUpload } from '../upload';

/**
 * The form for `file` under an already signed policy, checked as S3 would check it. Throws
 * PolicyViolationError when S3 would refuse it, which is also how to tell whether a policy signed for
 * one file can be reused for another.
 */
export function preparePost(post: SignedPost, file: File, options: Pick<PrepareOptions, 'clockSkewMs'> = {}): PreparedUpload {
  const checked = checkPost(post, file, options);
  if (!checked.ok) throw new PolicyViolationError(checked.failures, post.document.text);
  return checked.prepared;
}
