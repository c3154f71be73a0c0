// The policies a queue keeps when no other store is plugged in (the React layer keeps them in the app's
// QueryClient): one entry per policy source, in memory, for as long as the queue lives.

import type { SignedPost } from '../policy/policy-answer-reader';
import { reuseWindowMs, untilAborted, type PolicyStore } from './policy-cache';

interface Entry {
  /** The request on its way, shared by every caller meanwhile, and what aborts it. */
  pending: { readonly promise: Promise<SignedPost>; readonly controller: AbortController; waiting: number } | undefined;
  post: SignedPost | undefined;
  receivedAt: number;
}

export function memoryPolicyStore(): PolicyStore {
  const entries = new Map<string, Entry>();
  const entryFor = (hash: string): Entry => {
    const entry = entries.get(hash) ?? { pending: undefined, post: undefined, receivedAt: 0 };
    entries.set(hash, entry);
    return entry;
  };
  return {
    async fetch(key, request, signal) {
      const entry = entryFor(JSON.stringify(key));
      const { post, receivedAt } = entry;
      if (post && Date.now() - receivedAt < reuseWindowMs(post, receivedAt)) return { post, asked: false };
      const asked = entry.pending === undefined;
      const pending = entry.pending ?? start(entry, request);
      pending.waiting += 1;
      try {
        return { post: await untilAborted(pending.promise, signal), asked };
      } finally {
        pending.waiting -= 1;
        // The last file waiting for it gave up: nobody needs the answer.
        if (pending.waiting === 0 && entry.pending === pending && signal.aborted) pending.controller.abort();
      }
    },
    async invalidate(key) {
      const entry = entries.get(JSON.stringify(key));
      if (entry) entry.post = undefined;
    },
  };
}

function start(entry: Entry, request: (signal: AbortSignal) => Promise<SignedPost>): NonNullable<Entry['pending']> {
  const controller = new AbortController();
  const promise = request(controller.signal);
  const pending = { promise, controller, waiting: 0 };
  entry.pending = pending;
  promise.then(
    (post) => {
      if (entry.pending !== pending) return;
      entry.pending = undefined;
      entry.post = post;
      entry.receivedAt = Date.now();
    },
    () => {
      if (entry.pending === pending) entry.pending = undefined;
    },
  );
  return pending;
}
