// What an upload queue is told (its options and callbacks) and what it tells back (each file's outcome),
// and the seams a framework plugs into: how a file's run is carried (QueueLink; the React layer makes
// each one a TanStack mutation) and where signed policies are kept (PolicyStore).

import type { DeleteFileSource, UploadFinishedSource } from '../after-upload';
import type { MultipartOptions } from '../multipart/multipart-options';
import type { RetryOptions } from '../retry/retry';
import type { UploadResult } from '../transport/xhr-transport';
import type { UploadOptions } from '../upload';
import type { FileRules } from './file-rules';
import type { PolicyStore } from './policy-cache';
import type { FileProgress, FileWait } from './upload-store';

/** A file the queue runs: its id in the list, and the file. */
export interface UploadVariables {
  readonly id: string;
  readonly file: File;
}

export type UploadOutcome =
  /** `finished`: the answer of the upload-finished call (undefined without one). */
  | (UploadVariables & { readonly status: 'success'; readonly result: UploadResult; readonly finished?: unknown })
  | (UploadVariables & { readonly status: 'error'; readonly error: Error })
  | (UploadVariables & { readonly status: 'canceled' });

export interface UploadCallbacks {
  readonly onSuccess?: ((result: UploadResult, upload: UploadVariables) => void) | undefined;
  readonly onError?: ((error: Error, upload: UploadVariables) => void) | undefined;
  /** Called for every progress event, before the once-per-frame batching a UI gets. */
  readonly onProgress?: ((progress: FileProgress, upload: UploadVariables) => void) | undefined;
  /** Called when a file starts waiting (status 'waiting': offline, before a retry, signing again). */
  readonly onWaiting?: ((wait: FileWait, upload: UploadVariables) => void) | undefined;
  /** Called once per run of a file, whether it succeeded, failed or was canceled. */
  readonly onSettled?: ((outcome: UploadOutcome) => void) | undefined;
  /** Called when deleteUploaded(id) succeeded: the backend deleted the object and the file left the list. */
  readonly onDeleted?: ((result: UploadResult, upload: UploadVariables) => void) | undefined;
}

export interface UploadQueueOptions
  extends Omit<UploadOptions, 'signal' | 'onProgress' | 'onWaiting' | 'key' | 'resign' | 'retry' | 'multipart'>, FileRules, UploadCallbacks {
  /** How many files sign and send at once (a paused multipart file leaves its place to the next). Default 3. */
  readonly concurrency?: number | undefined;
  /**
   * The core's retries of a POST that failed in passing (network error, 500, 503 SlowDown), shown as
   * status 'waiting' with `wait.reason` 'retry'. Default `{ attempts: 3, baseDelayMs: 500, maxDelayMs:
   * 10_000 }`. `false`: one try, and an upload started offline fails instead of waiting for the network.
   * (Multipart parts retry by `multipart.retry`.)
   */
  readonly retry?: RetryOptions | false | undefined;
  /** Large files by multipart upload, as uploadFile's `multipart`; pause(id) and resume(id) work on them. */
  readonly multipart?: MultipartOptions | undefined;
  /**
   * The object key to ask for (the core's `key`; may contain `${filename}`). Named objectKey because React
   * keeps `key` for itself: <Uploader key="..."> would never reach the kit.
   */
  readonly objectKey?: UploadOptions['key'] | undefined;
  /**
   * Called once S3 has the file (by POST or multipart), before it counts as a success: a URL or endpoint
   * the kit POSTs JSON `{ key, bucket, etag }` to, or a function. Its answer is the success's
   * `finished`. When it fails the file is an error (AfterUploadError) and retry repeats only this call.
   */
  readonly uploadFinished?: UploadFinishedSource | undefined;
  /** What deleteUploaded(id) calls: a URL or endpoint the kit POSTs JSON `{ key, bucket }` to, or a function. */
  readonly deleteFile?: DeleteFileSource | undefined;
}

/** How the queue carries one run of a file. The default runs it as it is. */
export interface QueueLink {
  /** Runs `execute` for the file (once per run: a retry is a new run). */
  run(upload: UploadVariables, execute: () => Promise<UploadResult>): Promise<UploadResult>;
  /** The file runs again or left the list: whatever `run` kept of it can go. */
  forget(id: string): void;
}

/** What a framework plugs into createUploadQueue. */
export interface QueueAdapters {
  readonly link?: QueueLink | undefined;
  readonly policies?: PolicyStore | undefined;
}
