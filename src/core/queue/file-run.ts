// One run of one file in the queue: its cancel, its outcome, its multipart control, and how what
// happens to it becomes its snapshot in the store (transitions.ts) and the app's callbacks. A retry is
// a new run; a run that was canceled or replaced changes nothing any more.

import type { MultipartState } from '../multipart/multipart-state';
import { callSafely } from './call-safely';
import type { MultipartControl } from './multipart-control';
import { multipartSnapshot } from './multipart-snapshot';
import type { UploadCallbacks, UploadOutcome, UploadVariables } from './queue-options';
import type { RateMeter } from './rate-meter';
import { held, sending, stage, waiting } from './transitions';
import type { FileProgress, FileWait, UploadStore } from './upload-store';

export interface FileRunContext {
  readonly store: UploadStore;
  /** The run is still the file's (not canceled, not replaced by a retry, the file still listed). */
  readonly isCurrent: (run: FileRun) => boolean;
  readonly callbacks: () => UploadCallbacks;
}

export class FileRun {
  readonly upload: UploadVariables;
  readonly controller = new AbortController();
  readonly outcome: Promise<UploadOutcome>;
  readonly settle: (outcome: UploadOutcome) => void;
  /** For a file that goes by multipart upload. */
  multipart: MultipartControl | undefined;
  /** The status to show again on resume when the task has not started (queued or signing). */
  stage: 'queued' | 'signing' = 'queued';
  /** The answer of the upload-finished call. */
  finished: unknown;
  readonly #context: FileRunContext;

  constructor(upload: UploadVariables, context: FileRunContext) {
    this.upload = upload;
    this.#context = context;
    let settle: (outcome: UploadOutcome) => void = () => {};
    this.outcome = new Promise<UploadOutcome>((resolve) => {
      settle = resolve;
    });
    this.settle = settle;
  }

  get current(): boolean {
    return !this.controller.signal.aborted && this.#context.isCurrent(this);
  }

  /** A new stage begins: 'signing' before the policy request, 'uploading' before the form goes. */
  enter(status: 'signing' | 'uploading'): void {
    if (!this.current) return;
    if (status === 'signing') this.stage = status;
    const mode = this.multipart?.mode ?? 'running';
    const { store } = this.#context;
    store.set(stage(this.upload, store.get(this.upload.id), mode === 'running' ? status : mode));
  }

  /** A POST file's bytes on their way. */
  progress(progress: FileProgress): void {
    if (!this.current) return;
    const { store } = this.#context;
    // The end of a wait is a status change, published at once; progress waits for the frame.
    const timing = store.get(this.upload.id)?.status === 'uploading' ? 'frame' : 'now';
    store.set(sending(this.upload, progress), timing);
    callSafely(() => this.#context.callbacks().onProgress?.(progress, this.upload));
  }

  /** The file moves no byte for now; the progress reached stays shown. */
  wait(wait: FileWait): void {
    // A paused (or queued again) multipart file says so, whatever it would wait for.
    if (!this.current || (this.multipart && this.multipart.mode !== 'running')) return;
    const { store } = this.#context;
    store.set(waiting(this.upload, store.get(this.upload.id), wait));
    callSafely(() => this.#context.callbacks().onWaiting?.(wait, this.upload));
  }

  /** The multipart engine's state as the file's snapshot. */
  engineState(state: MultipartState, meter: RateMeter | undefined): void {
    if (!this.current) return;
    const { store } = this.#context;
    const before = store.get(this.upload.id);
    const upload = multipartSnapshot(this.upload, state, this.multipart?.mode ?? 'running', before, meter);
    if (!upload) return;
    store.set(upload, before?.status === upload.status ? 'frame' : 'now');
    const callbacks = this.#context.callbacks();
    if (upload.progress.bytes !== before?.progress.bytes) callSafely(() => callbacks.onProgress?.(upload.progress, this.upload));
    if (upload.status === 'waiting' && before?.status !== 'waiting') callSafely(() => callbacks.onWaiting?.(upload.wait, this.upload));
  }

  /** A multipart file after pause, resume, or a slot that came: the task's state, or before it exists, the control's. */
  showMultipart(): void {
    const control = this.multipart;
    const { store } = this.#context;
    const before = store.get(this.upload.id);
    if (!control || !before || !this.current) return;
    if (control.task) return this.engineState(control.task.state, undefined);
    const { mode } = control;
    store.set(held(this.upload, before, mode === 'running' ? this.stage : mode));
  }
}
