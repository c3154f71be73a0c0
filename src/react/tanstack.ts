// The upload queue's seams, filled by TanStack Query: each file's run is a mutation of the app's
// QueryClient (so useMutationState and useIsMutating see uploads anywhere in the app), and signed
// policies are kept in its query cache, where fetchQuery shares one request among the files that start
// together.

import { MutationObserver, hashKey, isCancelledError, type QueryClient } from '@tanstack/react-query';
import { UploadAbortedError } from '../core/errors/UploadAbortedError';
import { reuseWindowMs, untilAborted, type PolicyKey, type PolicyStore } from '../core/queue/policy-cache';
import type { QueueLink, UploadVariables } from '../core/queue/queue-options';
import type { UploadResult } from '../core/transport/xhr-transport';

/** Every upload's mutation key starts with this; the file's id follows. */
export const uploadMutationKey = ['s3-direct-upload', 'upload'] as const;

export function mutationLink(client: QueryClient): QueueLink {
  return {
    run(upload, execute) {
      const observer = new MutationObserver<UploadResult, Error, UploadVariables>(client, {
        mutationKey: [...uploadMutationKey, upload.id],
        mutationFn: execute,
        // retry(id) is how a file runs again, whatever the app's defaults say. Offline, the kit itself
        // waits for the network (unless `retry: false`) and the file says so (status 'waiting'): a
        // mutation paused by TanStack's onlineManager would wait out of sight.
        retry: false,
        networkMode: 'always',
      });
      // Settled, the mutation is left to the cache's gcTime like any other; an attached observer would
      // keep it (and its File) in memory for as long as the app runs.
      return observer.mutate(upload).finally(() => observer.reset());
    },
    forget(id) {
      const cache = client.getMutationCache();
      for (const mutation of cache.findAll({ mutationKey: [...uploadMutationKey, id], exact: true })) cache.remove(mutation);
    },
  };
}

export function queryClientPolicies(client: QueryClient): PolicyStore {
  return {
    async fetch(key, request, signal) {
      let asked = false;
      const fetched = client.fetchQuery({
        queryKey: key,
        queryFn: ({ signal: querySignal }) => {
          asked = true;
          return request(querySignal);
        },
        staleTime: (query) => reuseWindowMs(query.state.data, query.state.dataUpdatedAt),
        // Kept for as long as staleTime says it is usable, however long nothing reads it: a 5-minute gc
        // would throw away a one-hour policy. One entry per policy source, replaced when it goes stale.
        gcTime: Infinity,
        // The kit's errors explain themselves; repeating the request would only delay them.
        retry: false,
        networkMode: 'always',
      });
      try {
        return { post: await whileWaiting(client, key, signal, fetched), asked };
      } catch (error) {
        // Canceled for another file that gave up: this file asks for itself.
        throw isCancelledError(error) ? new UploadAbortedError('policy', { cause: error }) : error;
      }
    },
    invalidate: (key) => client.invalidateQueries({ queryKey: key, exact: true, refetchType: 'none' }),
  };
}

// How many files wait on each in-flight policy request, per client. When the last one is canceled the
// request itself is aborted; until then it keeps going for the others.
const waiting = new WeakMap<QueryClient, Map<string, number>>();

async function whileWaiting<T>(client: QueryClient, queryKey: PolicyKey, signal: AbortSignal, request: Promise<T>): Promise<T> {
  const hash = hashKey(queryKey);
  const counts = waiting.get(client) ?? new Map<string, number>();
  waiting.set(client, counts);
  counts.set(hash, (counts.get(hash) ?? 0) + 1);
  try {
    return await untilAborted(request, signal);
  } finally {
    const left = (counts.get(hash) ?? 1) - 1;
    if (left > 0) counts.set(hash, left);
    else {
      counts.delete(hash);
      if (signal.aborted) void client.cancelQueries({ queryKey, exact: true });
    }
  }
}
