// The React adapter over the core's upload queue, in the manner of TanStack Query's useMutation: the
// queue lives in useState (created once, no side effects, so StrictMode's double init is harmless),
// options reach it after each commit, and useSyncExternalStore reads its snapshot. Its runs are the
// app's QueryClient's mutations, and its policies live in that client's cache (tanstack.ts).

import * as React from 'react';
import { QueryClient, QueryClientContext } from '@tanstack/react-query';
import { UploadQueue } from '../core/queue/upload-queue';
import type { UploadOutcome, UploadQueueOptions } from '../core/queue/queue-options';
import type { UploadSnapshot } from '../core/queue/upload-store';
import { mutationLink, queryClientPolicies } from './tanstack';

export type UseS3UploadOptions = UploadQueueOptions;

export interface UseS3UploadResult extends UploadSnapshot {
  /** Uploads the files that pass accept/size/maxFiles (the rest land in `rejections`); resolves when all settle. */
  readonly upload: (files: readonly File[] | FileList) => Promise<UploadOutcome[]>;
  /** One file, or with no id every queued and in-flight file. */
  readonly cancel: (id?: string) => void;
  /** A failed or canceled file again: a multipart file sends only missing parts; one S3 holds repeats only uploadFinished. */
  readonly retry: (id: string) => Promise<UploadOutcome | undefined>;
  /** Pauses a multipart file (its `parts` is set); no effect on a file sent by one POST. */
  readonly pause: (id: string) => void;
  /** Resumes a paused multipart file; no effect on any other file. */
  readonly resume: (id: string) => void;
  /**
   * Deletes a successful file's object through `deleteFile`: true once deleted (the file leaves the
   * list), false on failure (the file is 'success' with `deleteError`) or with nothing to delete.
   */
  readonly deleteUploaded: (id: string) => Promise<boolean>;
  /** Takes the file out of the list; an object already in S3 stays (deleteUploaded deletes it). */
  readonly remove: (id: string) => void;
  readonly reset: () => void;
}

export function useS3Upload(options: UseS3UploadOptions): UseS3UploadResult {
  const client = useUploadClient();
  const [queue] = React.useState(() => new UploadQueue(options, { link: mutationLink(client), policies: queryClientPolicies(client) }));

  React.useEffect(() => {
    queue.setOptions(options);
  }, [queue, options]);

  const snapshot = React.useSyncExternalStore(queue.subscribe, queue.getSnapshot, queue.getSnapshot);

  // Uploads are not canceled on unmount: like any mutation they finish, and the app's QueryClient (and
  // callbacks) still hear how. Call cancel() in a cleanup to stop them.
  return {
    ...snapshot,
    upload: queue.upload,
    cancel: queue.cancel,
    retry: queue.retry,
    pause: queue.pause,
    resume: queue.resume,
    deleteUploaded: queue.deleteUploaded,
    remove: queue.remove,
    reset: queue.reset,
  };
}

/**
 * The app's QueryClient when there is a provider, else a private one, so that <Uploader> works in any
 * app. (useQueryClient would throw without a provider.) The private client is never mounted: it needs
 * no focus or online listeners, so it leaves nothing behind.
 */
function useUploadClient(): QueryClient {
  const provided = React.useContext(QueryClientContext);
  const [fallback] = React.useState(() => provided ?? new QueryClient());
  return provided ?? fallback;
}
