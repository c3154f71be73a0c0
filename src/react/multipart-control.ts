// One multipart file's task as the manager drives it: pause and resume asked for before the task exists
// (the file still queued, or the engine still loading) take effect when it starts; a paused file gives
// its concurrency slot to the next queued file and takes one again on resume; and the engine's state
// becomes the file's snapshot: its figures, in the manager's statuses. Type-only imports of the
// engine: the manager loads it on first use.

import type { MultipartOptions, MultipartUploadOptions } from '../core/multipart/multipart-options';
import type { MultipartState, MultipartTask } from '../core/multipart/multipart-state';
import { childController } from '../core/multipart/signals';
import type { UploadOptions } from '../core/upload';
import type { RateMeter } from './rate-meter';
import type { Slots } from './slots';
import type { Upload, UploadParts } from './upload-store';

export const NO_PARTS: UploadParts = { total: 0, done: 0, inFlight: 0 };

/** What the user asked of the file: to run, to pause, or to run again once a slot is free ('queued'). */
export type ControlMode = 'running' | 'paused' | 'queued';

export class MultipartControl {
  readonly #slots: Slots;
  readonly #signal: AbortSignal;
  readonly #onChange: () => void;
  #task: MultipartTask | undefined;
  #paused = false;
  /** Gives back the slot the file holds; undefined while it holds none. */
  #release: (() => void) | undefined;
  /** The file's turn came: from then on it needs a slot of its own to go on after a pause. */
  #started = false;
  #ended = false;
  /** Waiting for a slot to go on after a pause. */
  #taking: AbortController | undefined;

  /** `signal` is the file's run; `onChange` is called when a slot came for a resumed file. */
  constructor(slots: Slots, signal: AbortSignal, onChange: () => void) {
    this.#slots = slots;
    this.#signal = signal;
    this.#onChange = onChange;
  }

  get task(): MultipartTask | undefined {
    return this.#task;
  }

  get mode(): ControlMode {
    if (this.#paused) return 'paused';
    return this.#taking ? 'queued' : 'running';
  }

  attach(task: MultipartTask): void {
    this.#task = task;
    if (this.#paused || this.#taking) task.pause();
  }

  /**
   * Takes the slot the manager acquired for the file; returns what gives back whatever slot the file
   * holds when its run ends. A file paused while queued takes its turn (its upload is created) but
   * leaves the slot to the next file at once.
   */
  hold(release: () => void): () => void {
    this.#started = true;
    this.#release = release;
    if (this.#paused) this.#giveBack();
    return () => {
      this.#ended = true;
      this.#stopTaking();
      this.#giveBack();
    };
  }

  /** False when there is nothing to pause: already paused, or past the parts (completing). */
  pause(): boolean {
    const status = this.#task?.state.status;
    if (this.#paused) return false;
    if (!this.#taking && status !== undefined && status !== 'creating' && status !== 'uploading') return false;
    this.#paused = true;
    this.#stopTaking();
    this.#task?.pause();
    this.#giveBack();
    return true;
  }

  resume(): boolean {
    if (!this.#paused) return false;
    this.#paused = false;
    if (!this.#started || this.#ended || this.#release) {
      this.#task?.resume();
      return true;
    }
    // The slot went to another file during the pause: the file waits its turn again ('queued').
    const { controller: taking, dispose } = childController(this.#signal);
    this.#taking = taking;
    this.#slots.acquire({ signal: taking.signal }).then(
      (release) => {
        dispose();
        // Paused again, canceled or ended meanwhile: the slot goes straight back.
        if (this.#taking !== taking) return release();
        this.#taking = undefined;
        this.#release = release;
        this.#task?.resume();
        this.#onChange();
      },
      () => dispose(),
    );
    return true;
  }

  /** Resolves once AbortMultipartUpload has answered (at once when no upload was created). */
  cancel(): Promise<void> {
    this.#stopTaking();
    return this.#task?.cancel() ?? Promise.resolve();
  }

  #giveBack(): void {
    const release = this.#release;
    this.#release = undefined;
    release?.();
  }

  #stopTaking(): void {
    const taking = this.#taking;
    this.#taking = undefined;
    taking?.abort();
  }
}

/** What the engine takes from the manager's options (objectKey is the core's key). */
export function multipartUploadOptions(
  options: Pick<UploadOptions, 'metadata' | 'allowedHosts' | 'timeoutMs'> & { readonly objectKey?: UploadOptions['key'] | undefined },
  multipart: MultipartOptions,
): MultipartUploadOptions {
  const { objectKey, metadata, allowedHosts, timeoutMs } = options;
  return {
    multipart,
    ...(objectKey !== undefined ? { key: objectKey } : {}),
    ...(metadata !== undefined ? { metadata } : {}),
    ...(allowedHosts !== undefined ? { allowedHosts } : {}),
    ...(timeoutMs !== undefined ? { timeoutMs } : {}),
  };
}

/**
 * The file's snapshot for an engine state on the way (undefined for a final one: the task's promise
 * tells). Progress never goes back within a run, and is 100% only once S3 has completed the object.
 */
export function multipartSnapshot(
  variables: { readonly id: string; readonly file: File },
  state: MultipartState,
  mode: ControlMode,
  before: Upload | undefined,
  meter: RateMeter | undefined,
): Upload | undefined {
  const status = statusOf(state, mode);
  if (!status) return undefined;
  const { file } = variables;
  const bytes = Math.max(before?.progress.bytes ?? 0, Math.min(state.loaded, file.size));
  const rate = status === 'uploading' ? (meter?.sample(Date.now(), bytes) ?? before?.progress.rate ?? 0) : 0;
  // All parts sent is not yet an object: CompleteMultipartUpload may still fail.
  const percent = file.size > 0 ? Math.min(99, Math.floor((bytes / file.size) * 100)) : 0;
  const { total, done, inFlight } = state.parts;
  const upload = { ...variables, progress: { bytes, total: file.size, percent, rate }, parts: { total, done, inFlight }, resumed: state.resumed };
  // The parts wait for the network: shown as the POST files' offline wait.
  if (status === 'uploading' && state.status === 'uploading' && state.waiting) return { ...upload, status: 'waiting', wait: state.waiting };
  return { ...upload, status };
}

/** A multipart file's parts once S3 has them all; undefined for a POST file. */
export function doneParts(upload: Upload | undefined): UploadParts | undefined {
  return upload?.parts ? { total: upload.parts.total, done: upload.parts.total, inFlight: 0 } : undefined;
}

/** The manager's status for an engine state on the way; undefined for a final one. */
function statusOf(state: MultipartState, mode: ControlMode): 'signing' | 'uploading' | 'paused' | 'queued' | undefined {
  switch (state.status) {
    case 'creating':
      return mode === 'running' ? 'signing' : mode;
    case 'uploading':
    case 'completing':
    // Paused in the engine while resumed here: its parts start again in a moment.
    case 'paused':
      return mode === 'running' ? 'uploading' : mode;
    case 'success':
    case 'error':
    case 'canceled':
      return undefined;
  }
}
