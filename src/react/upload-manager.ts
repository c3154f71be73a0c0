// The framework-free part of useS3Upload: a queue with a concurrency limit, one TanStack mutation per
// file (so useMutationState and useIsMutating see uploads anywhere in the app), an AbortController per
// file, policy reuse, multipart upload for large files (pause, resume), the core's retries and offline
// waiting shown as the file's 'waiting' status, the app's upload-finished and delete calls, and the
// store a UI reads. React is not imported here.

import { MutationObserver, type QueryClient } from '@tanstack/react-query';
import type { DeleteFileSource, UploadFinishedSource } from '../core/after-upload';
import type { RetryOptions, UploadOptions } from '../core/upload';
import type { UploadResult } from '../core/transport/xhr-transport';
import { UploadAbortedError } from '../core/errors/UploadAbortedError';
import type { MultipartOptions } from '../core/multipart/multipart-options';
import { wantsMultipart } from '../core/multipart/wants-multipart';
import type { MultipartState } from '../core/multipart/multipart-state';
import { callSafely, toError } from '../core/queue/call-safely';
import { checkFiles, type FileRules } from '../core/queue/file-rules';
import { MultipartControl, NO_PARTS, doneParts } from '../core/queue/multipart-control';
import { multipartSnapshot, multipartUploadOptions } from '../core/queue/multipart-snapshot';
import { postOptions, uploadByPost } from './post-run';
import { RateMeter } from '../core/queue/rate-meter';
import { Slots } from '../core/queue/slots';
import { UploadStore, isInFlight, noProgress, type FileProgress, type FileWait, type UploadSnapshot } from '../core/queue/upload-store';

/** Every upload's mutation key starts with this; the file's id follows. */
export const uploadMutationKey = ['s3-direct-upload', 'upload'] as const;

/** The variables of each upload mutation (`mutation.state.variables` in useMutationState). */
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

export interface UploadManagerOptions
  extends Omit<UploadOptions, 'signal' | 'onProgress' | 'onWaiting' | 'key' | 'resign' | 'retry'>, FileRules, UploadCallbacks {
  /** How many files sign and send at once (a paused multipart file leaves its place to the next). Default 3. */
  readonly concurrency?: number | undefined;
  /**
   * The core's retries of a POST that failed in passing (network error, 500, 503 SlowDown), shown as
   * status 'waiting' with `wait.reason` 'retry'. Default `{ attempts: 3, baseDelayMs: 500, maxDelayMs:
   * 10_000 }`. `false`: one try, and an upload started offline fails instead of waiting for the network.
   * (Multipart parts retry by `multipart.retry`.)
   */
  readonly retry?: RetryOptions | false | undefined;
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

interface Run {
  readonly id: string;
  readonly controller: AbortController;
  readonly settle: (outcome: UploadOutcome) => void;
  readonly outcome: Promise<UploadOutcome>;
  /** For a file that goes by multipart upload. */
  readonly multipart: MultipartControl | undefined;
  /** The status to show again on resume when the task has not started (queued or signing). */
  stage: 'queued' | 'signing';
  /** The answer of the upload-finished call. */
  finished: unknown;
}

const DEFAULT_CONCURRENCY = 3;
let managers = 0;

export class UploadManager {
  readonly #client: QueryClient;
  #options: UploadManagerOptions;
  readonly #store = new UploadStore();
  readonly #slots: Slots;
  /** Runs in flight (queued, signing, uploading, paused or finishing), by file id. */
  readonly #runs = new Map<string, Run>();
  /** Multipart files on their way, by name, size and lastModified: how many of each. */
  readonly #liveMultipart = new Map<string, number>();
  /** Files S3 holds whose upload-finished call has not succeeded yet: a retry repeats only that call. */
  readonly #stored = new Map<string, UploadResult>();
  /** Multipart files canceled whose AbortMultipartUpload has not answered yet. */
  readonly #canceling = new Map<string, Promise<void>>();
  /** Deletes on their way, by file id. */
  readonly #deletes = new Map<string, AbortController>();
  readonly #prefix: string;
  #files = 0;

  constructor(client: QueryClient, options: UploadManagerOptions) {
    managers += 1;
    this.#prefix = `upload${managers}`;
    this.#client = client;
    this.#options = options;
    this.#slots = new Slots(options.concurrency ?? DEFAULT_CONCURRENCY);
  }

  setOptions(options: UploadManagerOptions): void {
    this.#options = options;
    this.#slots.setLimit(options.concurrency ?? DEFAULT_CONCURRENCY);
  }

  readonly subscribe = this.#store.subscribe;
  readonly getSnapshot: () => UploadSnapshot = this.#store.getSnapshot;

  /** Checks the files against the rules and uploads the ones that pass; resolves when all have settled. */
  readonly upload = (files: readonly File[] | FileList): Promise<UploadOutcome[]> => {
    const { accepted, rejections } = checkFiles(Array.from(files), this.#options, this.#store.size);
    this.#store.setRejections(rejections);
    return Promise.all(
      accepted.map((file) => {
        this.#files += 1;
        return this.#start(`${this.#prefix}-${this.#files}`, file);
      }),
    );
  };

  /**
   * Cancels one file, or with no id every file queued, in flight or paused. The status is 'canceled' at
   * once; for a multipart file, what upload() or retry() resolve to (and onSettled) waits until
   * AbortMultipartUpload has answered, so that S3 then holds nothing of it.
   */
  readonly cancel = (id?: string): void => {
    for (const target of id === undefined ? [...this.#runs.keys()] : [id]) this.#abort(target);
  };

  /**
   * Runs a failed or canceled file again; undefined when there is no such file to retry. A multipart
   * file resumes the upload it began (only missing parts are sent); a file S3 already holds repeats
   * only the upload-finished call.
   */
  readonly retry = (id: string): Promise<UploadOutcome | undefined> => {
    const canRetry = (): File | undefined => {
      const upload = this.#store.get(id);
      return upload && (upload.status === 'error' || upload.status === 'canceled') && !this.#runs.has(id) ? upload.file : undefined;
    };
    const canceling = this.#canceling.get(id);
    const file = canRetry();
    if (!file) return Promise.resolve(undefined);
    if (!canceling) return this.#start(id, file);
    // A multipart upload still being aborted in S3 must be gone before the file starts again.
    return canceling.then(() => {
      const again = canRetry();
      return again ? this.#start(id, again) : undefined;
    });
  };

  /**
   * Pauses a multipart file: the parts on their way stop, and nothing is sent until resume(id). Has no
   * effect on a file that goes by one POST (it cannot be paused), or one that is not on its way.
   */
  readonly pause = (id: string): void => {
    const run = this.#runs.get(id);
    const upload = this.#store.get(id);
    if (!run?.multipart || !upload || !isInFlight(upload) || upload.status === 'finishing') return;
    if (!run.multipart.pause()) return;
    this.#showMultipart(run, { id, file: upload.file });
  };

  /**
   * Resumes a paused multipart file; finished parts are not sent again. The file gave its slot to the
   * next one while paused: with `concurrency` files running it is 'queued' until a slot is free. No
   * effect on any other file.
   */
  readonly resume = (id: string): void => {
    const run = this.#runs.get(id);
    const upload = this.#store.get(id);
    if (!run?.multipart || upload?.status !== 'paused' || !run.multipart.resume()) return;
    this.#showMultipart(run, { id, file: upload.file });
  };

  /**
   * Asks the app's backend (`deleteFile`) to delete a successful file's object: 'deleting', then the
   * file leaves the list (true, and onDeleted is called). On failure it is 'success' again with
   * `deleteError` (false), and deleting again is how to retry. False at once without `deleteFile` or
   * for a file that is not 'success'.
   */
  readonly deleteUploaded = async (id: string): Promise<boolean> => {
    const upload = this.#store.get(id);
    const { deleteFile } = this.#options;
    if (upload?.status !== 'success' || deleteFile === undefined) return false;
    const { file, result, finished, progress, parts, resumed } = upload;
    const controller = new AbortController();
    this.#deletes.set(id, controller);
    this.#store.set({ id, file, progress, parts, resumed, status: 'deleting', result, finished });
    let failure: Error | undefined;
    try {
      // Loaded on first use, as the upload-finished call is: only apps that configure them ship them.
      const { deleteUploadedObject } = await import('../core/after-upload');
      await deleteUploadedObject({ key: result.key, bucket: result.bucket }, deleteFile, { signal: controller.signal });
    } catch (error) {
      failure = toError(error);
    }
    // Removed (or reset) meanwhile: the list no longer has the file.
    if (this.#deletes.get(id) !== controller) return false;
    this.#deletes.delete(id);
    if (failure) {
      this.#store.set({ id, file, progress, parts, resumed, status: 'success', result, finished, deleteError: failure });
      return false;
    }
    this.#forgetMutations(id);
    this.#store.delete(id);
    const { onDeleted } = this.#options;
    callSafely(() => onDeleted?.(result, { id, file }));
    return true;
  };

  /**
   * Takes a file out of the list (canceling it first when in flight) and out of the MutationCache. An
   * object already in S3 stays there: deleteUploaded(id) deletes it.
   */
  readonly remove = (id: string): void => {
    this.#abort(id);
    this.#deletes.get(id)?.abort();
    this.#deletes.delete(id);
    this.#stored.delete(id);
    this.#forgetMutations(id);
    this.#store.delete(id);
  };

  /** Cancels everything and empties the list. */
  readonly reset = (): void => {
    this.cancel();
    for (const controller of this.#deletes.values()) controller.abort();
    this.#deletes.clear();
    this.#stored.clear();
    for (const id of this.#store.ids()) this.#forgetMutations(id);
    this.#store.clear();
  };

  #start(id: string, file: File): Promise<UploadOutcome> {
    // A retry replaces the failed attempt: useMutationState should show one mutation per file.
    this.#forgetMutations(id);
    const controller = new AbortController();
    let settle: (outcome: UploadOutcome) => void = () => {};
    const outcome = new Promise<UploadOutcome>((resolve) => {
      settle = resolve;
    });
    const { multipart } = this.#options;
    const variables: UploadVariables = { id, file };
    // A file S3 already holds needs no multipart task to repeat its upload-finished call.
    const control =
      multipart && wantsMultipart(file, multipart) && !this.#stored.has(id)
        ? new MultipartControl(this.#slots, controller.signal, () => this.#showMultipart(run, variables))
        : undefined;
    const run: Run = { id, controller, settle, outcome, multipart: control, stage: 'queued', finished: undefined };
    this.#runs.set(id, run);
    const before = this.#store.get(id);
    const parts = control ? NO_PARTS : this.#stored.has(id) ? before?.parts : undefined;
    this.#store.set({ id, file, status: 'queued', progress: noProgress(file), parts, resumed: before?.resumed ?? false });

    const observer = new MutationObserver<UploadResult, Error, UploadVariables>(this.#client, {
      mutationKey: [...uploadMutationKey, id],
      mutationFn: (variables) => this.#execute(run, variables),
      // retry(id) is how a file runs again, whatever the app's defaults say. Offline, the kit itself
      // waits for the network (unless `retry: false`) and the file says so (status 'waiting'): a
      // mutation paused by TanStack's onlineManager would wait out of sight.
      retry: false,
      networkMode: 'always',
    });
    void observer
      .mutate(variables)
      .then(
        (result) => this.#finish(run, { ...variables, status: 'success', result, finished: run.finished }),
        (error: unknown) => this.#finish(run, { ...variables, status: 'error', error: toError(error) }),
      )
      // Settled, the mutation is left to the cache's gcTime like any other; an attached observer would
      // keep it (and its File) in memory for as long as the app runs.
      .finally(() => observer.reset());
    return outcome;
  }

  async #execute(run: Run, variables: UploadVariables): Promise<UploadResult> {
    const { signal } = run.controller;
    const acquired = await this.#slots.acquire({ signal });
    // A multipart file gives its slot back while paused, and takes one again on resume.
    const release = run.multipart ? run.multipart.hold(acquired) : acquired;
    try {
      const { multipart } = this.#options;
      const result =
        this.#stored.get(run.id) ??
        (run.multipart && multipart ? await this.#sendMultipart(run, variables, run.multipart, multipart) : await this.#sendPost(run, variables));
      const { uploadFinished } = this.#options;
      if (uploadFinished !== undefined) {
        // S3 has it: whatever happens to the call below, a retry repeats only the call.
        this.#stored.set(run.id, result);
        if (this.#isCurrent(run)) {
          const before = this.#store.get(run.id);
          const progress = { bytes: variables.file.size, total: variables.file.size, percent: 100, rate: 0 };
          this.#store.set({ ...variables, status: 'finishing', result, progress, parts: doneParts(before), resumed: before?.resumed ?? false });
        }
        const { bucket, key, etag, location } = result;
        const { notifyUploadFinished } = await import('../core/after-upload');
        run.finished = await notifyUploadFinished({ bucket, key, etag, location }, uploadFinished, { signal });
      }
      return result;
    } finally {
      release();
    }
  }

  #sendPost(run: Run, variables: UploadVariables): Promise<UploadResult> {
    const { timeoutMs, retry } = this.#options;
    return uploadByPost(this.#client, variables.file, postOptions(this.#options), {
      signal: run.controller.signal,
      timeoutMs,
      retry,
      onStatus: (status) => this.#update(run, variables, status),
      onWaiting: (wait) => this.#wait(run, variables, wait),
      onProgress: (progress) => {
        if (!this.#isCurrent(run)) return;
        // The end of a wait is a status change, published at once; progress waits for the frame.
        const timing = this.#store.get(run.id)?.status === 'uploading' ? 'frame' : 'now';
        this.#store.set({ ...variables, status: 'uploading', progress, parts: undefined, resumed: false }, timing);
        const { onProgress } = this.#options;
        callSafely(() => onProgress?.(progress, variables));
      },
    });
  }

  /** The file moves no byte for now; the progress reached stays shown. */
  #wait(run: Run, variables: UploadVariables, wait: FileWait): void {
    // A paused (or queued again) multipart file says so, whatever it would wait for.
    if (!this.#isCurrent(run) || (run.multipart && run.multipart.mode !== 'running')) return;
    const before = this.#store.get(run.id);
    const progress = { ...(before?.progress ?? noProgress(variables.file)), rate: 0 };
    this.#store.set({ ...variables, status: 'waiting', wait, progress, parts: before?.parts, resumed: before?.resumed ?? false });
    const { onWaiting } = this.#options;
    callSafely(() => onWaiting?.(wait, variables));
  }

  async #sendMultipart(run: Run, variables: UploadVariables, control: MultipartControl, multipart: MultipartOptions): Promise<UploadResult> {
    // The same file already on its way here (added twice) must not take up that copy's upload from the
    // resume store: the two would complete it in turn, and one would fail with NoSuchUpload. It goes as
    // an upload of its own, not kept for resuming.
    const { file } = variables;
    const fingerprint = `${file.name}\u0000${file.size}\u0000${file.lastModified}`;
    const live = this.#liveMultipart.get(fingerprint) ?? 0;
    this.#liveMultipart.set(fingerprint, live + 1);
    try {
      return await this.#runMultipart(run, variables, control, live > 0 ? { ...multipart, resume: false } : multipart);
    } finally {
      const left = (this.#liveMultipart.get(fingerprint) ?? 1) - 1;
      if (left > 0) this.#liveMultipart.set(fingerprint, left);
      else this.#liveMultipart.delete(fingerprint);
    }
  }

  async #runMultipart(run: Run, variables: UploadVariables, control: MultipartControl, multipart: MultipartOptions): Promise<UploadResult> {
    this.#update(run, variables, 'signing');
    // Loaded on first use, as uploadFile does: apps whose files all go by POST do not ship the engine.
    const { startMultipartUpload } = await import('../core/multipart/multipart-upload');
    if (run.controller.signal.aborted) throw new UploadAbortedError('upload');
    // Offline, the engine waits for the network before creating the upload, and says so (state.waiting).
    // No signal: cancel goes through control.cancel(), which the manager awaits (AbortMultipartUpload).
    const task = startMultipartUpload(variables.file, multipartUploadOptions(this.#options, multipart));
    const meter = new RateMeter(Date.now());
    const unsubscribe = task.subscribe((state) => this.#onMultipart(run, variables, state, meter));
    control.attach(task);
    this.#onMultipart(run, variables, task.state, meter);
    try {
      return await task.promise;
    } finally {
      unsubscribe();
    }
  }

  /** The engine's state as the file's snapshot. */
  #onMultipart(run: Run, variables: UploadVariables, state: MultipartState, meter: RateMeter | undefined): void {
    if (!this.#isCurrent(run)) return;
    const before = this.#store.get(run.id);
    const upload = multipartSnapshot(variables, state, run.multipart?.mode ?? 'running', before, meter);
    if (!upload) return;
    this.#store.set(upload, before?.status === upload.status ? 'frame' : 'now');
    if (upload.progress.bytes !== before?.progress.bytes) {
      const { onProgress } = this.#options;
      callSafely(() => onProgress?.(upload.progress, variables));
    }
    if (upload.status === 'waiting' && before?.status !== 'waiting') {
      const { onWaiting } = this.#options;
      callSafely(() => onWaiting?.(upload.wait, variables));
    }
  }

  /** A multipart file after pause, resume, or a slot that came: the task's state, or before it exists, the control's. */
  #showMultipart(run: Run, variables: UploadVariables): void {
    const control = run.multipart;
    const before = this.#store.get(run.id);
    if (!control || !before || !this.#isCurrent(run)) return;
    if (control.task) return this.#onMultipart(run, variables, control.task.state, undefined);
    const { mode } = control;
    const status = mode === 'running' ? run.stage : mode;
    this.#store.set({ ...variables, status, progress: { ...before.progress, rate: 0 }, parts: before.parts, resumed: before.resumed });
  }

  #update(run: Run, variables: UploadVariables, status: 'signing' | 'uploading'): void {
    if (!this.#isCurrent(run)) return;
    if (status === 'signing') run.stage = status;
    const mode = run.multipart?.mode ?? 'running';
    const before = this.#store.get(run.id);
    this.#store.set({
      ...variables,
      status: mode === 'running' ? status : mode,
      progress: noProgress(variables.file),
      parts: before?.parts,
      resumed: before?.resumed ?? false,
    });
  }

  #isCurrent(run: Run): boolean {
    return !run.controller.signal.aborted && this.#runs.get(run.id) === run;
  }

  #finish(run: Run, outcome: UploadOutcome): void {
    // A canceled run was settled by #abort; a late answer from it changes nothing.
    if (!this.#isCurrent(run)) return;
    this.#runs.delete(run.id);
    const { id, file } = outcome;
    const before = this.#store.get(id);
    const parts = doneParts(before);
    const resumed = before?.resumed ?? false;
    if (outcome.status === 'success') {
      this.#stored.delete(id);
      const rate = before?.progress.rate ?? 0;
      const progress = { bytes: file.size, total: file.size, percent: 100, rate };
      this.#store.set({ id, file, status: 'success', result: outcome.result, finished: outcome.finished, deleteError: undefined, progress, parts, resumed });
    } else if (outcome.status === 'error') {
      const progress = before?.progress ?? noProgress(file);
      this.#store.set({ id, file, status: 'error', error: outcome.error, result: this.#stored.get(id), progress: { ...progress, rate: 0 }, parts: before?.parts, resumed });
    }
    run.settle(outcome);
    const { onSuccess, onError, onSettled } = this.#options;
    if (outcome.status === 'success') callSafely(() => onSuccess?.(outcome.result, { id, file }));
    if (outcome.status === 'error') callSafely(() => onError?.(outcome.error, { id, file }));
    callSafely(() => onSettled?.(outcome));
  }

  #abort(id: string): void {
    const run = this.#runs.get(id);
    const upload = this.#store.get(id);
    if (!run || !upload || !isInFlight(upload)) return;
    this.#runs.delete(id);
    run.controller.abort();
    const outcome: UploadOutcome = { id, file: upload.file, status: 'canceled' };
    const { parts, resumed } = upload;
    this.#store.set({ id, file: upload.file, status: 'canceled', progress: { ...upload.progress, rate: 0 }, parts, resumed });
    const settled = (): void => {
      run.settle(outcome);
      const { onSettled } = this.#options;
      callSafely(() => onSettled?.(outcome));
    };
    if (!run.multipart) return settled();
    // The task stops its parts and sends AbortMultipartUpload; the outcome waits for S3's answer.
    const aborted = run.multipart.cancel().catch(() => undefined);
    this.#canceling.set(id, aborted);
    void aborted.then(() => {
      if (this.#canceling.get(id) === aborted) this.#canceling.delete(id);
      settled();
    });
  }

  #forgetMutations(id: string): void {
    const cache = this.#client.getMutationCache();
    for (const mutation of cache.findAll({ mutationKey: [...uploadMutationKey, id], exact: true })) cache.remove(mutation);
  }
}


