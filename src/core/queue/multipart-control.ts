// One multipart file's task as the queue drives it: pause and resume asked for before the task exists
// (the file still queued, or the engine still loading) take effect when it starts; a paused file gives
// its concurrency slot to the next queued file and takes one again on resume. (The engine's state as the
// file's snapshot is multipart-snapshot.ts.) Type-only imports of the engine: the queue loads it on
// first use.

import type { MultipartTask } from '../multipart/multipart-state';
import { childController } from '../transport/child-controller';
import type { Slots } from './slots';
import type { UploadParts } from './upload-store';

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
