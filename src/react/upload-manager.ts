// The framework-free part of useS3Upload: a queue with a concurrency limit, one TanStack mutation per
// file (so useMutationState and useIsMutating see uploads anywhere in the app), an AbortController per
// file, policy reuse, and the store a UI reads. React is not imported here.

import { MutationObserver, type QueryClient } from '@tanstack/react-query';
import { sendUpload, type PrepareOptions, type PreparedUpload, type UploadOptions } from '../core/upload';
import type { UploadProgress, UploadResult } from '../core/xhr-transport';
import { S3ResponseError } from '../core/errors/S3ResponseError';
import { checkFiles, type FileRules } from './file-rules';
import { invalidatePolicy, signUpload } from './policy-cache';
import { RateMeter } from './rate-meter';
import { Slots } from './slots';
import { UploadStore, isInFlight, noProgress, type FileProgress, type InFlightUpload, type UploadSnapshot } from './upload-store';

/** Every upload's mutation key starts with this; the file's id follows. */
export const uploadMutationKey = ['s3-direct-upload', 'upload'] as const;

/** The variables of each upload mutation (`mutation.state.variables` in useMutationState). */
export interface UploadVariables {
  readonly id: string;
  readonly file: File;
}

export type UploadOutcome =
  | (UploadVariables & { readonly status: 'success'; readonly result: UploadResult })
  | (UploadVariables & { readonly status: 'error'; readonly error: Error })
  | (UploadVariables & { readonly status: 'canceled' });

export interface UploadCallbacks {
  readonly onSuccess?: ((result: UploadResult, upload: UploadVariables) => void) | undefined;
  readonly onError?: ((error: Error, upload: UploadVariables) => void) | undefined;
  /** Called for every progress event, before the once-per-frame batching a UI gets. */
  readonly onProgress?: ((progress: FileProgress, upload: UploadVariables) => void) | undefined;
  /** Called once per run of a file, whether it succeeded, failed or was canceled. */
  readonly onSettled?: ((outcome: UploadOutcome) => void) | undefined;
}

export interface UploadManagerOptions extends Omit<UploadOptions, 'signal' | 'onProgress' | 'key'>, FileRules, UploadCallbacks {
  /** How many files sign and send at once. Default 3. */
  readonly concurrency?: number | undefined;
  /**
   * The object key to ask for (the core's `key`; may contain `${filename}`). Named objectKey because React
   * keeps `key` for itself: <Uploader key="..."> would never reach the kit.
   */
  readonly objectKey?: UploadOptions['key'] | undefined;
}

interface Run {
  readonly id: string;
  readonly controller: AbortController;
  readonly settle: (outcome: UploadOutcome) => void;
  readonly outcome: Promise<UploadOutcome>;
}

const DEFAULT_CONCURRENCY = 3;
let managers = 0;

export class UploadManager {
  readonly #client: QueryClient;
  #options: UploadManagerOptions;
  readonly #store = new UploadStore();
  readonly #slots: Slots;
  /** Runs in flight (queued, signing or uploading), by file id. */
  readonly #runs = new Map<string, Run>();
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

  /** Cancels one file, or with no id every file queued or in flight. Settles at once. */
  readonly cancel = (id?: string): void => {
    for (const target of id === undefined ? [...this.#runs.keys()] : [id]) this.#abort(target);
  };

  /** Runs a failed or canceled file again; undefined when there is no such file to retry. */
  readonly retry = (id: string): Promise<UploadOutcome | undefined> => {
    const upload = this.#store.get(id);
    if (!upload || (upload.status !== 'error' && upload.status !== 'canceled')) return Promise.resolve(undefined);
    return this.#start(id, upload.file);
  };

  /** Takes a file out of the list (canceling it first when in flight) and out of the MutationCache. */
  readonly remove = (id: string): void => {
    this.#abort(id);
    this.#forgetMutations(id);
    this.#store.delete(id);
  };

  /** Cancels everything and empties the list. */
  readonly reset = (): void => {
    this.cancel();
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
    const run: Run = { id, controller, settle, outcome };
    this.#runs.set(id, run);
    this.#store.set({ id, file, status: 'queued', progress: noProgress(file) });

    const observer = new MutationObserver<UploadResult, Error, UploadVariables>(this.#client, {
      mutationKey: [...uploadMutationKey, id],
      mutationFn: (variables) => this.#execute(run, variables),
      // retry(id) is how a file runs again, whatever the app's defaults say; and offline, an upload fails
      // with a NetworkError the user can retry rather than pausing out of sight.
      retry: false,
      networkMode: 'always',
    });
    const variables: UploadVariables = { id, file };
    void observer
      .mutate(variables)
      .then(
        (result) => this.#finish(run, { ...variables, status: 'success', result }),
        (error: unknown) => this.#finish(run, { ...variables, status: 'error', error: toError(error) }),
      )
      // Settled, the mutation is left to the cache's gcTime like any other; an attached observer would
      // keep it (and its File) in memory for as long as the app runs.
      .finally(() => observer.reset());
    return outcome;
  }

  async #execute(run: Run, variables: UploadVariables): Promise<UploadResult> {
    const { signal } = run.controller;
    const release = await this.#slots.acquire({ signal });
    try {
      const options = prepareOptions(this.#options);
      for (let attempt = 1; ; attempt += 1) {
        this.#update(run, variables, 'signing');
        const { prepared } = await signUpload(this.#client, variables.file, { ...options, signal });
        try {
          return await this.#send(run, variables, prepared);
        } catch (error) {
          if (!(error instanceof S3ResponseError)) throw error;
          // S3 refused a form made from this policy: the next file must not ride on it.
          await invalidatePolicy(this.#client, options);
          // A policy that expired between signing and sending (a slow queue, a sleeping laptop) is
          // asked for again, once; a second expiry means the clocks disagree, which the hint explains.
          if (attempt > 1 || !isExpiredPolicy(error)) throw error;
        }
      }
    } finally {
      release();
    }
  }

  #send(run: Run, variables: UploadVariables, prepared: PreparedUpload): Promise<UploadResult> {
    const { signal } = run.controller;
    const { file } = variables;
    this.#update(run, variables, 'uploading');
    const meter = new RateMeter(Date.now());
    const { timeoutMs } = this.#options;
    return sendUpload(prepared, {
      signal,
      ...(timeoutMs !== undefined ? { timeoutMs } : {}),
      onProgress: (event) => {
        if (!this.#isCurrent(run)) return;
        const progress = measure(file, event, meter);
        this.#store.set({ ...variables, status: 'uploading', progress }, 'frame');
        const { onProgress } = this.#options;
        callSafely(() => onProgress?.(progress, variables));
      },
    });
  }

  #update(run: Run, variables: UploadVariables, status: InFlightUpload['status']): void {
    if (!this.#isCurrent(run)) return;
    this.#store.set({ ...variables, status, progress: noProgress(variables.file) });
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
    if (outcome.status === 'success') {
      const rate = before?.progress.rate ?? 0;
      this.#store.set({ id, file, status: 'success', result: outcome.result, progress: { bytes: file.size, total: file.size, percent: 100, rate } });
    } else if (outcome.status === 'error') {
      this.#store.set({ id, file, status: 'error', error: outcome.error, progress: before?.progress ?? noProgress(file) });
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
    this.#store.set({ id, file: upload.file, status: 'canceled', progress: upload.progress });
    run.settle(outcome);
    const { onSettled } = this.#options;
    callSafely(() => onSettled?.(outcome));
  }

  #forgetMutations(id: string): void {
    const cache = this.#client.getMutationCache();
    for (const mutation of cache.findAll({ mutationKey: [...uploadMutationKey, id], exact: true })) cache.remove(mutation);
  }
}

function prepareOptions(options: UploadManagerOptions): Omit<PrepareOptions, 'signal'> {
  const { policy, objectKey, metadata, allowedHosts, clockSkewMs } = options;
  return {
    policy,
    ...(objectKey !== undefined ? { key: objectKey } : {}),
    ...(metadata !== undefined ? { metadata } : {}),
    ...(allowedHosts !== undefined ? { allowedHosts } : {}),
    ...(clockSkewMs !== undefined ? { clockSkewMs } : {}),
  };
}

/**
 * Progress in the file's own bytes. The transport counts the whole multipart body (fields and file),
 * which is a little larger than the file and means nothing to a person.
 */
function measure(file: File, event: UploadProgress, meter: RateMeter): FileProgress {
  const fraction = event.total > 0 ? Math.min(1, event.loaded / event.total) : 0;
  const bytes = Math.round(fraction * file.size);
  return { bytes, total: file.size, percent: Math.floor(fraction * 100), rate: meter.sample(Date.now(), bytes) };
}

// https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-HTTPPOSTConstructPolicy.html: S3 answers an
// expired policy with AccessDenied, "Invalid according to Policy: Policy expired."
function isExpiredPolicy(error: unknown): boolean {
  return error instanceof S3ResponseError && error.code === 'AccessDenied' && /policy expired/i.test(error.s3.message);
}

/**
 * An app callback that throws must not stall the queue or leave upload() pending; its error goes to
 * reportError (or is thrown again on its own task), so the console and error monitors still see it.
 */
function callSafely(callback: () => void): void {
  try {
    callback();
  } catch (error) {
    if (typeof reportError === 'function') reportError(error);
    else
      setTimeout(() => {
        throw error;
      });
  }
}

function toError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}
