// preparePost: the form for one file under a signed policy, checked at once, throwing
// PolicyViolationError with its words (for apps that check before uploading; the upload itself uses
// checkPost and loads the words only on failure).

import { explainNow } from '../diagnostics/explanations';
import type { SignedPost } from '../policy/policy-answer-reader';
import { checkPost, type CheckOptions, type PreparedUpload } from './check-post';

/**
 * The form for `file` under an already signed policy, checked as S3 would check it. Throws
 * PolicyViolationError when S3 would refuse it, which is also how to tell whether a policy signed for
 * one file can be reused for another.
 */
export function preparePost(post: SignedPost, file: File, options: CheckOptions = {}): PreparedUpload {
  const checked = checkPost(post, file, options);
  if (!checked.ok) throw explainNow({ kind: 'violation', failures: checked.failures, policy: post.document.text });
  return checked.prepared;
}
