// One backend call for many files: a signed policy whose key varies per file (`${filename}`) is kept in
// the QueryClient under a key for its source and reused by reusePost for the next files, until two
// minutes before it expires. Files that start together share the first file's request (fetchQuery
// dedupes by key); when its answer cannot carry them, each asks for itself.

import { hashKey, isCancelledError, type Query, type QueryClient } from '@tanstack/react-query';
import { formFor, prepareUpload, type PrepareOptions, type PreparedUpload, type PolicySource } from '../core/upload';
import { requestSignedPost } from '../core/policy/request-signed-post';
import { REUSE_MARGIN_MS, reusePost } from '../core/policy/policy-reuse';
import type { SignedPost } from '../core/policy/policy-answer';
import { UploadAbortedError } from '../core/errors/UploadAbortedError';

export interface SignOptions extends Omit<PrepareOptions, 'signal'> {
  readonly signal: AbortSignal;
}

export interface SignedUpload {
  readonly prepared: PreparedUpload;
  /** True when the form rides on a policy signed for an earlier file. */
  readonly reused: boolean;
}

export async function signUpload(client: QueryClient, file: File, options: SignOptions): Promise<SignedUpload> {
  const { signal } = options;
  // A policy asked for with S3's time (after RequestTimeTooSkewed) is this file's own: the cached one,
  // dated by the backend's clock, is what S3 just refused.
  if (options.serverTime !== undefined) return { prepared: await prepareUpload(file, options), reused: false };
  const queryKey = policyQueryKey(options);
  let asked = false;
  let post: SignedPost;
  try {
    post = await whileWaiting(client, queryKey, signal, client.fetchQuery({
      queryKey,
      queryFn: ({ signal: querySignal }) => {
        asked = true;
        return requestSignedPost(file, { ...options, signal: querySignal });
      },
      staleTime: reuseWindowMs,
      // Kept for as long as staleTime says it is usable, however long nothing reads it: a 5-minute gc
      // would throw away a one-hour policy. One entry per policy source, replaced when it goes stale.
      gcTime: Infinity,
      // The kit's errors explain themselves; repeating the request would only delay them.
      retry: false,
      networkMode: 'always',
    }));
  } catch (error) {
    if (signal.aborted) throw error;
    // Another file's request failed or was canceled: that says nothing certain about this file.
    if (asked && !isCancelledError(error)) throw error;
    return { prepared: await prepareUpload(file, options), reused: false };
  }
  if (asked) return { prepared: await formFor(post, file, options), reused: false };
  const reused = reusePost(post, file);
  if (reused) return { prepared: reused, reused: true };
  return { prepared: await prepareUpload(file, options), reused: false };
}

/** Marks the cached policy for this source unusable (S3 found it expired), so the next file asks again. */
export function invalidatePolicy(client: QueryClient, options: Omit<PrepareOptions, 'signal'>): Promise<void> {
  return client.invalidateQueries({ queryKey: policyQueryKey(options), exact: true, refetchType: 'none' });
}

/** Where a source's policy lives in the QueryClient. Everything that changes what the backend signs is in it. */
export function policyQueryKey(options: Omit<PrepareOptions, 'signal'>) {
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
  ] as const;
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

/** How long after it arrived a policy may still carry other files: 0 unless its key varies per file. */
function reuseWindowMs(query: Query<SignedPost, Error, SignedPost, readonly unknown[]>): number {
  const post = query.state.data;
  // A persister or hydration would bring the policy back without its Date: such data is never reused.
  if (!post || !(post.document.expiration instanceof Date) || !post.key.includes('${filename}')) return 0;
  return Math.max(0, post.document.expiration.getTime() - REUSE_MARGIN_MS - query.state.dataUpdatedAt);
}

// How many files wait on each in-flight policy request, per client. When the last one is canceled the
// request itself is aborted; until then it keeps going for the others.
const waiting = new WeakMap<QueryClient, Map<string, number>>();

async function whileWaiting<T>(
  client: QueryClient,
  queryKey: readonly unknown[],
  signal: AbortSignal,
  request: Promise<T>,
): Promise<T> {
  const hash = hashKey(queryKey);
  const counts = waiting.get(client) ?? new Map<string, number>();
  waiting.set(client, counts);
  counts.set(hash, (counts.get(hash) ?? 0) + 1);
  let onAbort = (): void => {};
  const aborted = new Promise<never>((_, reject) => {
    onAbort = () => reject(new UploadAbortedError('policy', { cause: signal.reason }));
    if (signal.aborted) onAbort();
    else signal.addEventListener('abort', onAbort, { once: true });
  });
  try {
    return await Promise.race([request, aborted]);
  } finally {
    signal.removeEventListener('abort', onAbort);
    const left = (counts.get(hash) ?? 1) - 1;
    if (left > 0) counts.set(hash, left);
    else {
      counts.delete(hash);
      if (signal.aborted) void client.cancelQueries({ queryKey, exact: true });
    }
  }
}
