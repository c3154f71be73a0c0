// The upload queue: many files, each signed and sent with a concurrency limit, with cancel, retry,
// pause and resume (multipart), policy reuse, the core's retries and offline waiting shown as the file's
// 'waiting' status, the app's upload-finished and delete calls, and a store a UI reads by subscribe and
// getSnapshot. Framework-free: the React layer plugs its TanStack link and QueryClient into it.

import type { MultipartOptions } from '../multipart/multipart-options';
import { wantsMultipart } from '../multipart/wants-multipart';
import type { UploadResult } from '../transport/xhr-transport';
import { callSafely, toError } from './call-safely';
import { checkFiles } from './file-rules';
import { FileRun } from './file-run';
import { memoryPolicyStore } from './memory-policy-store';
import { MultipartControl, NO_PARTS } from './multipart-control';
import { LiveFiles, sendByMultipart } from './multipart-run';
import { multipartUploadOptions } from './multipart-snapshot';
import type { PolicyStore } from './policy-cache';
import { postOptions, uploadByPost } from './post-run';
import type { QueueAdapters, QueueLink, UploadOutcome, UploadQueueOptions, UploadVariables } from './queue-options';
import { Slots } from './slots';
import * as to from './transitions';
import { UploadStore, isInFlight, type UploadSnapshot } from './upload-store';

const DEFAULT_CONCURRENCY = 3;
const DIRECT: QueueLink = { run: (_, execute) => execute(), forget: () => {} };
let queues = 0;

/** A queue for `options`; `adapters` plug a framework's mutation link and policy store into it. */
export function createUploadQueue(options: UploadQueueOptions, adapters: QueueAdapters = {}): UploadQueue {
  return new UploadQueue(options, { link: adapters.link ?? DIRECT, policies: adapters.policies ?? memoryPolicyStore() });
}

export class UploadQueue {
  #options: UploadQueueOptions;
  readonly #link: QueueLink;
  readonly #policies: PolicyStore;
  readonly #store = new UploadStore();
  readonly #slots: Slots;
  /** Runs in flight (queued, signing, uploading, paused or finishing), by file id. */
  readonly #runs = new Map<string, FileRun>();
  readonly #liveMultipart = new LiveFiles();
  /** Files S3 holds whose upload-finished call has not succeeded yet: a retry repeats only that call. */
  readonly #stored = new Map<string, UploadResult>();
  /** Multipart files canceled whose AbortMultipartUpload has not answered yet. */
  readonly #canceling = new Map<string, Promise<void>>();
  /** Deletes on their way, by file id. */
  readonly #deletes = new Map<string, AbortController>();
  readonly #prefix: string;
  #files = 0;

  /** createUploadQueue fills in the adapters an app leaves out. */
  constructor(options: UploadQueueOptions, adapters: Required<{ [K in keyof QueueAdapters]: NonNullable<QueueAdapters[K]> }>) {
    queues += 1;
    this.#prefix = `upload${queues}`;
    this.#options = options;
    this.#link = adapters.link;
    this.#policies = adapters.policies;
    this.#slots = new Slots(options.concurrency ?? DEFAULT_CONCURRENCY);
  }

  setOptions(options: UploadQueueOptions): void {
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
        return this.#start({ id: `${this.#prefix}-${this.#files}`, file });
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
    const again = (): Promise<UploadOutcome | undefined> => {
      const upload = this.#store.get(id);
      const ended = upload?.status === 'error' || upload?.status === 'canceled';
      return upload && ended && !this.#runs.has(id) ? this.#start({ id, file: upload.file }) : Promise.resolve(undefined);
    };
    // A multipart upload still being aborted in S3 must be gone before the file starts again.
    const canceling = this.#canceling.get(id);
    return canceling ? canceling.then(again) : again();
  };

  /**
   * Pauses a multipart file: the parts on their way stop, and nothing is sent until resume(id). Has no
   * effect on a file that goes by one POST (it cannot be paused), or one that is not on its way.
   */
  readonly pause = (id: string): void => {
    const run = this.#runs.get(id);
    const upload = this.#store.get(id);
    if (!run?.multipart || !upload || !isInFlight(upload) || upload.status === 'finishing') return;
    if (run.multipart.pause()) run.showMultipart();
  };

  /**
   * Resumes a paused multipart file; finished parts are not sent again. The file gave its slot to the
   * next one while paused: with `concurrency` files running it is 'queued' until a slot is free. No
   * effect on any other file.
   */
  readonly resume = (id: string): void => {
    const run = this.#runs.get(id);
    if (run?.multipart && this.#store.get(id)?.status === 'paused' && run.multipart.resume()) run.showMultipart();
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
    const controller = new AbortController();
    this.#deletes.set(id, controller);
    this.#store.set(to.deleting(upload));
    let failure: Error | undefined;
    try {
      // Loaded on first use, as the upload-finished call is: only apps that configure them ship them.
      const { deleteUploadedObject } = await import('../after-upload');
      await deleteUploadedObject({ key: upload.result.key, bucket: upload.result.bucket }, deleteFile, { signal: controller.signal });
    } catch (error) {
      failure = toError(error);
    }
    // Removed (or reset) meanwhile: the list no longer has the file.
    if (this.#deletes.get(id) !== controller) return false;
    this.#deletes.delete(id);
    if (failure) {
      this.#store.set(to.deleteFailed(upload, failure));
      return false;
    }
    this.#link.forget(id);
    this.#store.delete(id);
    const { onDeleted } = this.#options;
    callSafely(() => onDeleted?.(upload.result, { id, file: upload.file }));
    return true;
  };

  /**
   * Takes a file out of the list (canceling it first when in flight). An object already in S3 stays
   * there: deleteUploaded(id) deletes it.
   */
  readonly remove = (id: string): void => {
    this.#abort(id);
    this.#deletes.get(id)?.abort();
    this.#deletes.delete(id);
    this.#stored.delete(id);
    this.#link.forget(id);
    this.#store.delete(id);
  };

  /** Cancels everything and empties the list. */
  readonly reset = (): void => {
    this.cancel();
    for (const controller of this.#deletes.values()) controller.abort();
    this.#deletes.clear();
    this.#stored.clear();
    for (const id of this.#store.ids()) this.#link.forget(id);
    this.#store.clear();
  };

  #start(upload: UploadVariables): Promise<UploadOutcome> {
    const { id, file } = upload;
    // A retry replaces the failed attempt: a mutation cache should show one entry per file.
    this.#link.forget(id);
    const run = new FileRun(upload, { store: this.#store, isCurrent: (candidate) => this.#runs.get(id) === candidate, callbacks: () => this.#options });
    const { multipart } = this.#options;
    // A file S3 already holds needs no multipart task to repeat its upload-finished call.
    if (multipart && wantsMultipart(file, multipart) && !this.#stored.has(id)) {
      run.multipart = new MultipartControl(this.#slots, run.controller.signal, () => run.showMultipart());
    }
    this.#runs.set(id, run);
    const before = this.#store.get(id);
    this.#store.set(to.queued(upload, before, run.multipart ? NO_PARTS : this.#stored.has(id) ? before?.parts : undefined));
    this.#link.run(upload, () => this.#execute(run)).then(
      (result) => this.#finish(run, { ...upload, status: 'success', result, finished: run.finished }),
      (error: unknown) => this.#finish(run, { ...upload, status: 'error', error: toError(error) }),
    );
    return run.outcome;
  }

  async #execute(run: FileRun): Promise<UploadResult> {
    const { signal } = run.controller;
    const acquired = await this.#slots.acquire({ signal });
    // A multipart file gives its slot back while paused, and takes one again on resume.
    const release = run.multipart ? run.multipart.hold(acquired) : acquired;
    try {
      const { multipart, uploadFinished } = this.#options;
      const result =
        this.#stored.get(run.upload.id) ??
        (run.multipart && multipart ? await this.#sendMultipart(run, run.multipart, multipart) : await this.#sendPost(run));
      if (uploadFinished !== undefined) {
        // S3 has it: whatever happens to the call below, a retry repeats only the call.
        this.#stored.set(run.upload.id, result);
        if (run.current) this.#store.set(to.finishing(run.upload, this.#store.get(run.upload.id), result));
        const { bucket, key, etag, location } = result;
        const { notifyUploadFinished } = await import('../after-upload');
        run.finished = await notifyUploadFinished({ bucket, key, etag, location }, uploadFinished, { signal });
      }
      return result;
    } finally {
      release();
    }
  }

  #sendPost(run: FileRun): Promise<UploadResult> {
    const { timeoutMs, retry } = this.#options;
    return uploadByPost(this.#policies, run.upload.file, postOptions(this.#options), {
      signal: run.controller.signal,
      timeoutMs,
      retry,
      onStatus: (status) => run.enter(status),
      onWaiting: (wait) => run.wait(wait),
      onProgress: (progress) => run.progress(progress),
    });
  }

  async #sendMultipart(run: FileRun, control: MultipartControl, multipart: MultipartOptions): Promise<UploadResult> {
    // The same file already on its way here (added twice) must not take up that copy's upload from the
    // resume store: the two would complete it in turn, and one would fail with NoSuchUpload. It goes as
    // an upload of its own, not kept for resuming.
    const { first, leave } = this.#liveMultipart.enter(run.upload.file);
    try {
      return await sendByMultipart(run, control, multipartUploadOptions(this.#options, first ? multipart : { ...multipart, resume: false }));
    } finally {
      leave();
    }
  }

  #finish(run: FileRun, outcome: UploadOutcome): void {
    // A canceled run was settled by #abort; a late answer from it changes nothing.
    if (!run.current) return;
    const { id } = outcome;
    this.#runs.delete(id);
    const before = this.#store.get(id);
    if (outcome.status === 'success') {
      this.#stored.delete(id);
      this.#store.set(to.succeeded(run.upload, before, outcome.result, outcome.finished));
    } else if (outcome.status === 'error') {
      this.#store.set(to.failed(run.upload, before, outcome.error, this.#stored.get(id)));
    }
    run.settle(outcome);
    const { onSuccess, onError, onSettled } = this.#options;
    if (outcome.status === 'success') callSafely(() => onSuccess?.(outcome.result, run.upload));
    if (outcome.status === 'error') callSafely(() => onError?.(outcome.error, run.upload));
    callSafely(() => onSettled?.(outcome));
  }

  #abort(id: string): void {
    const run = this.#runs.get(id);
    const upload = this.#store.get(id);
    if (!run || !upload || !isInFlight(upload)) return;
    this.#runs.delete(id);
    run.controller.abort();
    const outcome: UploadOutcome = { ...run.upload, status: 'canceled' };
    this.#store.set(to.canceled(upload));
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
}
