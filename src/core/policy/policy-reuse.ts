// Reusing one signed policy for the next files, so N files under a prefix policy cost one backend call.
// A policy may carry another file only when nothing in it was chosen for the first file: the key must
// vary per file (S3 expands ${filename}), a Content-Type the backend fixed must fit the new file, and S3
// must accept the new form under it. A policy close to expiry is not reused, so that a file does not
// start uploading on a policy that runs out before S3 checks it.

import type { SignedPost } from './policy-answer';
import { checkPost, type PreparedUpload } from '../form/check-post';

/** Default: stop reusing a policy two minutes before it expires. */
export const REUSE_MARGIN_MS = 2 * 60_000;

export function reusePost(
  post: SignedPost,
  file: File,
  options: { readonly marginMs?: number; readonly now?: Date } = {},
): PreparedUpload | undefined {
  const now = options.now ?? new Date();
  if (post.document.expiration.getTime() - now.getTime() <= (options.marginMs ?? REUSE_MARGIN_MS)) return undefined;
  if (!post.key.includes('${filename}')) return undefined;
  const contentType = post.fields.find(([name]) => name === 'Content-Type')?.[1];
  if (contentType !== undefined && contentType !== file.type) return undefined;
  const checked = checkPost(post, file);
  return checked.ok ? checked.prepared : undefined;
}
