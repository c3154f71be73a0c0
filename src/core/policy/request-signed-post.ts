// The signed policy coming in: the backend (a URL, the app's function, or the app's signer for a policy
// the kit composes) asked for a policy for one file, and its answer read into a SignedPost. No
// file-specific check yet (form/prepare-post.ts does that).

import { explain } from '../diagnostics/explain';
import { MAX_SINGLE_UPLOAD_BYTES } from '../multipart/s3-limits';
import { randomId } from '../random-id';
import { s3Now } from '../retry/clock-offset';
import { readPolicyAnswer, type SignedPost } from './policy-answer-reader';
import { callPolicyFunction, postJson, type PolicyEndpoint, type PolicyFunction, type PolicyRequest } from './policy-source';
import type { SignPolicyOptions } from './sign-policy';

/** Where the upload policy comes from. A string is the URL of a policy endpoint. */
export type PolicySource = string | PolicyEndpoint | PolicyFunction | { readonly signPolicy: SignPolicyOptions };

export interface PrepareOptions {
  readonly policy: PolicySource;
  /** The object key to ask for; may contain `${filename}`. A backend policy may decide otherwise. */
  readonly key?: string | ((file: File) => string);
  /** Stored as x-amz-meta-* (sent to the backend, and put in the policy in sign-my-policy mode). */
  readonly metadata?: Readonly<Record<string, string>>;
  /** Hosts the upload URL may point at; any other host is refused before sending. */
  readonly allowedHosts?: readonly string[];
  /**
   * How far this device's clock may run ahead of S3's before the kit calls a policy expired itself.
   * Default 5 minutes; S3 still has the last word.
   */
  readonly clockSkewMs?: number;
  /**
   * S3's time, when known to differ from this device's (after RequestTimeTooSkewed): sent to the backend
   * as `serverTime`, and the date of a policy the kit composes in sign-my-policy mode.
   */
  readonly serverTime?: Date;
  readonly signal?: AbortSignal;
}

/** Asks the backend for a policy and parses its answer; no file-specific checks yet. */
export async function requestSignedPost(file: File, options: PrepareOptions): Promise<SignedPost> {
  if (file.size > MAX_SINGLE_UPLOAD_BYTES) throw await explain({ kind: 'too-large-for-post', name: file.name, size: file.size });
  const signal = options.signal ?? new AbortController().signal;
  const request: PolicyRequest = {
    filename: file.name,
    contentType: file.type,
    size: file.size,
    ...(options.key !== undefined ? { key: typeof options.key === 'function' ? options.key(file) : options.key } : {}),
    ...(options.metadata !== undefined ? { metadata: options.metadata } : {}),
    ...(options.serverTime !== undefined ? { serverTime: options.serverTime.toISOString() } : {}),
  };
  const source = options.policy;
  let raw: unknown;
  let signed = false;
  if (typeof source === 'function') {
    raw = await callPolicyFunction(source, file, request, signal);
  } else if (typeof source === 'string' || 'url' in source) {
    raw = await postJson(typeof source === 'string' ? { url: source } : source, request, signal, 'policy');
  } else {
    // Loaded only when the app composes the policy in the browser, so apps whose backend makes the
    // whole policy do not ship the composer.
    const { composePolicy, signComposedPolicy } = await import('./sign-policy');
    const key = request.key ?? `${randomId()}/\${filename}`;
    const composed = composePolicy(source.signPolicy, {
      key,
      contentType: file.type,
      metadata: options.metadata ?? {},
      now: options.serverTime ?? s3Now(),
    });
    raw = await signComposedPolicy(source.signPolicy, composed, key, signal);
    signed = true;
  }
  const read = readPolicyAnswer(raw, {
    ...(options.allowedHosts ? { allowedHosts: options.allowedHosts } : {}),
    ...(signed ? { shape: 'signed-policy' as const } : {}),
  });
  if (read.ok) return read.post;
  throw await explain({ kind: 'answer', problem: read.problem });
}
