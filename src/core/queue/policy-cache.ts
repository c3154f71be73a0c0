// One backend call for many files: a signed policy whose key varies per file (`${filename}`) is kept
// under a key for its source and reused (reusePost) for the next files, until two minutes before it
// expires. Files that start together share the first file's request; when its answer cannot carry them,
// each asks for itself. Where the policies are kept is a PolicyStore: in memory by default
// (memory-policy-store.ts), the app's QueryClient in the React layer.

import { UploadAbortedError } from '../errors/UploadAbortedError';
import type { PreparedUpload } from '../form/check-post';
import type { SignedPost } from '../policy/policy-answer-reader';
import { REUSE_MARGIN_MS, reusePost } from '../policy/policy-reuse';
import { requestSignedPost, type PolicySource, type PrepareOptions } from '../policy/request-signed-post';
import { formFor, prepareUpload } from '../upload';

/** Where a source's policy is kept: everything that changes what the backend signs is in it. */
export type PolicyKey = readonly ['s3-direct-upload', 'policy', { readonly source: string; readonly key: string | null; readonly metadata: unknown; readonly allowedHosts: unknown }];

export interface PolicyStore {
  /**
   * The policy kept under `key` while it may carry other files (reuseWindowMs), else `request`'s, which
   * every caller asking meanwhile shares. `asked` is true for the caller whose request was made. When
   * every caller waiting on a request has given up (its signal), the request is aborted.
   */
  fetch(key: PolicyKey, request: (signal: AbortSignal) => Promise<SignedPost>, signal: AbortSignal): Promise<{ readonly post: SignedPost; readonly asked: boolean }>;
  /** The kept policy is unusable (S3 refused a form made from it): the next file asks again. */
  invalidate(key: PolicyKey): Promise<void>;
}

export interface SignOptions extends Omit<PrepareOptions, 'signal'> {
  readonly signal: AbortSignal;
}

export interface SignedUpload {
  readonly prepared: PreparedUpload;
  /** True when the form rides on a policy signed for an earlier file. */
  readonly reused: boolean;
}

export async function signUpload(store: PolicyStore, file: File, options: SignOptions): Promise<SignedUpload> {
  const { signal } = options;
  // A policy asked for with S3's time (after RequestTimeTooSkewed) is this file's own: the kept one,
  // dated by the backend's clock, is what S3 just refused.
  if (options.serverTime !== undefined) return { prepared: await prepareUpload(file, options), reused: false };
  let fetched: { readonly post: SignedPost; readonly asked: boolean };
  let asked = false;
  try {
    fetched = await store.fetch(policyKey(options), (requestSignal) => {
      asked = true;
      return requestSignedPost(file, { ...options, signal: requestSignal });
    }, signal);
  } catch (error) {
    if (signal.aborted) throw error instanceof UploadAbortedError ? error : new UploadAbortedError('policy', { cause: error });
    // Another file's request failed or was canceled: that says nothing certain about this file.
    if (asked && !(error instanceof UploadAbortedError)) throw error;
    return { prepared: await prepareUpload(file, options), reused: false };
  }
  const { post } = fetched;
  if (fetched.asked) return { prepared: await formFor(post, file, options), reused: false };
  const reused = reusePost(post, file);
  if (reused) return { prepared: reused, reused: true };
  return { prepared: await prepareUpload(file, options), reused: false };
}

/** How long after it arrived (`receivedAt`, epoch ms) a policy may still carry other files: 0 unless its key varies per file. */
export function reuseWindowMs(post: SignedPost | undefined, receivedAt: number): number {
  // A persister or hydration would bring the policy back without its Date: such data is never reused.
  if (!post || !(post.document.expiration instanceof Date) || !post.key.includes('${filename}')) return 0;
  return Math.max(0, post.document.expiration.getTime() - REUSE_MARGIN_MS - receivedAt);
}

export function policyKey(options: Omit<PrepareOptions, 'signal'>): PolicyKey {
  const { key, metadata, allowedHosts } = options;
  return [
    's3-direct-upload',
    'policy',
    {
      source: sourceKey(options.policy),
      key: typeof key === 'function' ? identity(key) : (key ?? null),
      metadata: metadata ?? null,
      allowedHosts: allowedHosts ?? null,
    },
  ];
}

// Functions and option objects have no value to hash (JSON drops functions), so each gets a number for
// as long as it lives. A source recreated on every render still works; it just is not shared.
const identities = new WeakMap<object, number>();
let lastIdentity = 0;

function identity(value: object): string {
  let id = identities.get(value);
  if (id === undefined) {
    lastIdentity += 1;
    id = lastIdentity;
    identities.set(value, id);
  }
  return `#${id}`;
}

function sourceKey(source: PolicySource): string {
  if (typeof source === 'string') return `url ${source}`;
  if (typeof source === 'function') return `function ${identity(source)}`;
  if ('url' in source) return `url ${source.url} ${source.credentials ?? 'same-origin'}`;
  return `signPolicy ${identity(source.signPolicy)}`;
}

/** `request`, or UploadAbortedError as soon as `signal` aborts (the request may go on for others). */
export function untilAborted<T>(request: Promise<T>, signal: AbortSignal): Promise<T> {
  let onAbort = (): void => {};
  const aborted = new Promise<never>((_, reject) => {
    onAbort = () => reject(new UploadAbortedError('policy', { cause: signal.reason }));
    if (signal.aborted) onAbort();
    else signal.addEventListener('abort', onAbort, { once: true });
  });
  return Promise.race([request, aborted]).finally(() => signal.removeEventListener('abort', onAbort));
}

