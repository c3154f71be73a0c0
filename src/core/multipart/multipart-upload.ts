// One file by S3 multipart upload, as a task a UI can pause, resume and cancel:
// https://docs.aws.amazon.com/AmazonS3/latest/userguide/mpuoverview.html
//
//   creating ──▶ uploading ⇄ paused ──▶ completing ──▶ success
//        └──────────┴───────────┴────────────┴──▶ error | canceled
//
// Cancel stops the parts and sends AbortMultipartUpload, so that S3 keeps (and bills) nothing. A failure
// leaves the upload in S3 and in the resume store, to be taken up when the same file is added again;
// with resume off nothing could take it up, so it is aborted as for cancel.

import { unquoteEtag } from '../transport/etag';
import { safeFilename } from '../form/file-name';
import { UploadAbortedError } from '../errors/UploadAbortedError';
import type { UploadResult } from '../transport/xhr-transport';
import type { UploadWarning } from '../warnings';
import type { CreatedUpload, FinishedPart, MultipartBackend } from './backends/backend';
import { createBackend } from './backends/create-backend';
import { checksumAlgorithmOf, concurrencyOf, retryPolicy, type MultipartUploadOptions } from './multipart-options';
import { openUpload, storedUpload, type OpenedUpload } from './open-upload';
import { PartLedger } from './part-ledger';
import type { MultipartState, MultipartStateBase, MultipartTask, MultipartWait } from './multipart-state';
import { uploadParts } from './part-pool';
import { planParts, type MultipartPlan } from './plan';
import { checkHeaderMetadata } from './metadata-headers';
import { isRetryable, withRetries } from '../retry/retry';
import { onlineWatch, type OnlineWatch } from '../transport/online';
import { fileFingerprint, openResumeStore, type ResumeStore } from './resume-store';
import { childController } from '../transport/child-controller';

// Parts finish often and a big file has thousands: the resume entry is rewritten at most this often
// (ListParts is the authority on resume anyway), and at once on pause and on failure.
const SAVE_EVERY_MS = 1000;

/** Starts uploading `file` by multipart upload at once. */
export function startMultipartUpload(file: File, options: MultipartUploadOptions): MultipartTask {
  return new MultipartRun(file, options);
}

const OFFLINE: MultipartWait = { reason: 'offline' };

class MultipartRun implements MultipartTask {
  readonly promise: Promise<UploadResult>;
  readonly #file: File;
  readonly #options: MultipartUploadOptions;
  readonly #listeners = new Set<(state: MultipartState) => void>();
  readonly #lifetime = new AbortController();
  readonly #warnings = new Map<string, UploadWarning>();
  #state: MultipartState;
  #plan: MultipartPlan | undefined;
  #backend: MultipartBackend | undefined;
  #store: ResumeStore | undefined;
  #fingerprint = '';
  #opened: Promise<OpenedUpload> | undefined;
  #upload: CreatedUpload | undefined;
  #createdAt = 0;
  #ledger: PartLedger | undefined;
  #session: AbortController | undefined;
  #pausedSession: AbortController | undefined;
  #pauseRequested = false;
  #wake: (() => void) | undefined;
  #canceled = false;
  #cancel: Promise<void> | undefined;
  #saveTimer: ReturnType<typeof setTimeout> | undefined;
  #lastLoaded = -1;
  /** The parts wait for the network. */
  #waiting: MultipartWait | undefined;
  /** Offline before the upload exists: waiting for the network to create it (paused or not). */
  #creatingOffline = false;

  constructor(file: File, options: MultipartUploadOptions) {
    this.#file = file;
    this.#options = options;
    const parts = { total: 0, done: 0, inFlight: 0, size: 0, active: [] };
    this.#state = { status: 'creating', uploadId: undefined, key: undefined, parts, loaded: 0, total: file.size, resumed: false, waiting: undefined };
    const { signal } = options;
    if (signal?.aborted) {
      // Canceled before it began: nothing is asked of the backend, and there is nothing to abort.
      this.#canceled = true;
      this.#cancel = Promise.resolve();
      this.#state = { ...this.#state, status: 'canceled' };
      this.promise = Promise.reject(new UploadAbortedError('upload', { cause: signal.reason }));
      this.promise.catch(() => undefined);
      return;
    }
    const onAbort = (): void => void this.cancel().catch(() => undefined);
    signal?.addEventListener('abort', onAbort, { once: true });
    this.promise = this.#run().finally(() => signal?.removeEventListener('abort', onAbort));
    // The outcome is also in `state`: a UI that only subscribes must not see an unhandled rejection.
    this.promise.catch(() => undefined);
  }

  get state(): MultipartState {
    return this.#state;
  }

  subscribe(listener: (state: MultipartState) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  pause(): void {
    const { status } = this.#state;
    if (this.#pauseRequested || (status !== 'creating' && status !== 'uploading')) return;
    this.#pauseRequested = true;
    if (this.#session) {
      this.#pausedSession = this.#session;
      this.#session.abort(new UploadAbortedError('upload'));
      // The stopped parts settle a few ticks later; the state says at once that none is on the way.
      this.#ledger?.dropAll();
      this.#waiting = undefined;
      this.#emit('paused');
    } else if (this.#creatingOffline) {
      this.#waiting = undefined;
      this.#emit('paused');
    }
  }

  resume(): void {
    if (!this.#pauseRequested || this.#canceled) return;
    this.#pauseRequested = false;
    if (this.#creatingOffline) {
      this.#waiting = OFFLINE;
      this.#emit('creating');
    }
    this.#wake?.();
  }

  cancel(): Promise<void> {
    if (this.#cancel) return this.#cancel;
    if (this.#state.status === 'success') return Promise.resolve();
    this.#canceled = true;
    // The parts stop first: a part that lands after AbortMultipartUpload would be billed again.
    this.#lifetime.abort(new UploadAbortedError('upload'));
    this.#cancel = this.#abortInS3();
    this.#emit('canceled');
    return this.#cancel;
  }

  async #run(): Promise<UploadResult> {
    const options = this.#options;
    const { multipart } = options;
    let completing = false;
    try {
      const algorithm = checksumAlgorithmOf(multipart);
      const retry = retryPolicy(multipart.retry);
      const plan = planParts(this.#file.size, { partSize: multipart.partSize });
      this.#plan = plan;
      const warn = (warning: UploadWarning): void => void this.#warnings.set(warning.code, warning);
      const backend = createBackend(multipart, { checksumAlgorithm: algorithm, allowedHosts: options.allowedHosts, retry, warn });
      this.#backend = backend;
      checkHeaderMetadata(options.metadata);
      const requestedKey = requestedKeyOf(this.#file, options.key);
      this.#store = multipart.resume === false ? undefined : openResumeStore(multipart.resume ?? {});
      this.#fingerprint = fileFingerprint(this.#file, backend.identity, requestedKey);
      this.#emit('creating');
      if (onlineWatch().isOffline()) await this.#waitToCreate();

      this.#opened = openUpload({
        file: this.#file,
        backend,
        store: this.#store,
        fingerprint: this.#fingerprint,
        plan,
        checksumAlgorithm: algorithm,
        signal: this.#lifetime.signal,
        create: {
          filename: this.#file.name,
          contentType: this.#file.type,
          size: this.#file.size,
          ...(requestedKey === undefined ? {} : { key: requestedKey }),
          ...(options.metadata === undefined ? {} : { metadata: options.metadata }),
          ...(algorithm === undefined ? {} : { checksumAlgorithm: algorithm }),
        },
      });
      const opened = await this.#opened;
      this.#upload = opened.upload;
      this.#plan = opened.plan;
      this.#createdAt = opened.createdAt;
      const ledger = new PartLedger(opened.plan, opened.done);
      this.#ledger = ledger;
      this.#throwIfCanceled();

      for (;;) {
        if (this.#pauseRequested) {
          this.#emit('paused');
          this.#saveNow();
          await this.#waitForResume();
        }
        const { controller, dispose } = childController(this.#lifetime.signal);
        this.#session = controller;
        this.#emit('uploading', opened.resumed);
        try {
          await uploadParts({
            file: this.#file,
            ledger,
            backend,
            upload: opened.upload,
            checksumAlgorithm: algorithm,
            concurrency: concurrencyOf(multipart),
            retry,
            timeoutMs: options.timeoutMs,
            signal: controller.signal,
            onChange: () => this.#emit(),
            onPartDone: () => this.#saveSoon(),
            onWaiting: (wait) => {
              this.#waiting = wait;
              if (wait) this.#options.onWaiting?.(wait);
              this.#emit();
            },
          });
          break;
        } catch (error) {
          // Paused: the parts on the way stopped, and are sent again from their start on resume.
          if (this.#pausedSession !== controller || this.#lifetime.signal.aborted) throw error;
        } finally {
          dispose();
          this.#session = undefined;
        }
      }

      completing = true;
      this.#emit('completing');
      // The parts may have ended as the network went: Complete waits for it, and is retried as a part is.
      const { signal } = this.#lifetime;
      const completed = await withRetries(
        async () => ({ ok: true as const, value: await backend.complete(opened.upload, ledger.finished(), { signal }) }),
        { policy: retry, signal, online: this.#network() },
      );
      this.#store?.forget(this.#fingerprint);
      const result: UploadResult = {
        bucket: completed.bucket ?? opened.upload.bucket,
        key: completed.key ?? opened.upload.key,
        location: completed.location ?? '',
        etag: unquoteEtag(completed.etag),
        status: completed.status,
        warnings: [...this.#warnings.values()],
      };
      this.#settle({ status: 'success', result });
      return result;
    } catch (error) {
      if (this.#canceled) {
        // Settle once S3 holds nothing more, so that a caller awaiting the upload may rely on it.
        await this.#cancel?.catch(() => undefined);
        throw new UploadAbortedError('upload', { cause: error });
      }
      const failure = error instanceof Error ? error : new Error(String(error));
      await this.#keepOrDrop(completing && !isRetryable(failure));
      this.#settle({ status: 'error', error: failure });
      throw failure;
    }
  }

  /**
   * After a failure: keep the upload to resume it, unless nothing can (resume off, or a Complete that
   * S3 refused for good, such as InvalidPart), in which case S3 is told to drop it.
   */
  async #keepOrDrop(completeRefused: boolean): Promise<void> {
    clearTimeout(this.#saveTimer);
    const upload = this.#upload;
    if (!upload || !this.#backend) return;
    if (this.#store && !completeRefused) return this.#saveNow();
    this.#store?.forget(this.#fingerprint);
    await this.#backend.abort(upload, { signal: new AbortController().signal }).catch(() => undefined);
  }

  async #abortInS3(): Promise<void> {
    clearTimeout(this.#saveTimer);
    // CreateMultipartUpload is never abandoned halfway (openUpload): whatever it made is aborted here.
    const opened = this.#upload ? undefined : await this.#opened?.catch(() => undefined);
    const remembered = this.#store?.load(this.#fingerprint);
    const upload = this.#upload ?? opened?.upload ?? remembered;
    this.#store?.forget(this.#fingerprint);
    if (upload && this.#backend) await this.#backend.abort(upload, { signal: new AbortController().signal });
  }

  #waitForResume(): Promise<void> {
    return new Promise((resolve, reject) => {
      const onCancel = (): void => reject(new UploadAbortedError('upload'));
      this.#lifetime.signal.addEventListener('abort', onCancel, { once: true });
      this.#wake = () => {
        this.#wake = undefined;
        this.#lifetime.signal.removeEventListener('abort', onCancel);
        resolve();
      };
    });
  }

  #throwIfCanceled(): void {
    if (this.#lifetime.signal.aborted) throw new UploadAbortedError('upload');
  }

  #saveSoon(): void {
    if (this.#saveTimer !== undefined || !this.#store) return;
    this.#saveTimer = setTimeout(() => this.#saveNow(), SAVE_EVERY_MS);
  }

  #saveNow(): void {
    clearTimeout(this.#saveTimer);
    this.#saveTimer = undefined;
    const { upload, ledger, plan } = { upload: this.#upload, ledger: this.#ledger, plan: this.#plan };
    if (!this.#store || !upload || !ledger || !plan || this.#canceled) return;
    const finished: FinishedPart[] = ledger.finished();
    this.#store.save(this.#fingerprint, storedUpload(upload, plan, checksumAlgorithmOf(this.#options.multipart), finished, this.#createdAt));
  }

  #settle(outcome: { readonly status: 'success'; readonly result: UploadResult } | { readonly status: 'error'; readonly error: Error }): void {
    clearTimeout(this.#saveTimer);
    if (this.#canceled) return;
    this.#state = { ...this.#snapshot(), ...outcome };
    this.#notify();
  }

  /**
   * Offline, creating the upload could only fail, and creating is not repeated (a lost answer would
   * leave an upload behind): it waits for the network. Paused meanwhile, it still creates the upload
   * once online, and then stays paused.
   */
  async #waitToCreate(): Promise<void> {
    this.#creatingOffline = true;
    try {
      await this.#network().waitUntilOnline(this.#lifetime.signal);
    } finally {
      this.#creatingOffline = false;
    }
  }

  /**
   * The browser's network, as creating and completing the upload wait for it (`state.waiting`). A
   * pause (possible only while creating) shows as paused instead, and the wait goes on.
   */
  #network(): OnlineWatch {
    const watch = onlineWatch();
    return {
      isOffline: watch.isOffline,
      waitUntilOnline: async (signal) => {
        if (!watch.isOffline()) return;
        this.#waiting = this.#pauseRequested ? undefined : OFFLINE;
        this.#options.onWaiting?.(OFFLINE);
        this.#emit(this.#pauseRequested ? 'paused' : undefined);
        try {
          await watch.waitUntilOnline(signal);
        } finally {
          this.#waiting = undefined;
          this.#emit();
        }
      },
    };
  }

  /**
   * A new state with the ledger's figures, in `status` when given. Success and cancel are final; a
   * failed task can still be canceled (which drops it from S3).
   */
  #emit(status?: 'creating' | 'uploading' | 'paused' | 'completing' | 'canceled', resumed?: boolean): void {
    const current = this.#state;
    if (current.status === 'success' || current.status === 'canceled') return;
    if (current.status === 'error') {
      if (status !== 'canceled') return;
      this.#state = { ...this.#snapshot(resumed), status };
    } else {
      this.#state = { ...this.#snapshot(resumed), status: status ?? current.status };
    }
    this.#notify();
  }

  #snapshot(resumed?: boolean): MultipartStateBase {
    const ledger = this.#ledger;
    const active = ledger?.active() ?? [];
    return {
      uploadId: this.#upload?.uploadId,
      key: this.#upload?.key,
      parts: { total: this.#plan?.partCount ?? 0, done: ledger?.doneCount ?? 0, inFlight: active.length, size: this.#plan?.partSize ?? 0, active },
      loaded: ledger?.loaded() ?? 0,
      total: this.#file.size,
      resumed: resumed ?? this.#state.resumed,
      waiting: this.#waiting,
    };
  }

  #notify(): void {
    const state = this.#state;
    if (state.loaded !== this.#lastLoaded && state.status !== 'canceled' && state.status !== 'error') {
      this.#lastLoaded = state.loaded;
      this.#options.onProgress?.({ loaded: state.loaded, total: state.total });
    }
    for (const listener of [...this.#listeners]) listener(state);
  }
}

/** The key the app asked for, `${filename}` replaced (S3 substitutes it only in a POST form). */
/**
 * The key asked for, `${filename}` replaced as S3 does it for a POST form: by the name the kit sends,
 * safeFilename's (NFC, no separators or control characters), so that a file gets the same key by
 * either path and on every browser.
 */
function requestedKeyOf(file: File, key: MultipartUploadOptions['key']): string | undefined {
  if (key === undefined) return undefined;
  return (typeof key === 'function' ? key(file) : key).split('${filename}').join(safeFilename(file.name));
}
