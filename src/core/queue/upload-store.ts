// The state of every file, outside React. Each file's snapshot is an immutable object replaced only when
// that file changes, so a memoized row skips rendering while another file progresses. Status changes
// publish at once; progress publishes at most once per animation frame.

import type { ResignReason } from '../retry/post-retry';
import type { UploadResult } from '../transport/xhr-transport';
import { createFrameBatcher } from './frame-batcher';
import type { FileRejection } from './file-rules';

export type UploadStatus =
  | 'queued'
  | 'signing'
  | 'uploading'
  /** On its way, but moving no byte for now (`wait` says why); it goes on by itself. */
  | 'waiting'
  /** A multipart file stopped by pause(id); resume(id) goes on, sending no finished part again. */
  | 'paused'
  /** S3 has the file; the app's upload-finished call is on its way. */
  | 'finishing'
  | 'success'
  /** deleteUploaded(id) is on its way; on success the file leaves the list. */
  | 'deleting'
  | 'error'
  | 'canceled';

/** Why a file on its way moves no byte now. Each wait ends by itself; cancel(id) still stops the file. */
export type FileWait =
  /** The browser is offline (`navigator.onLine` false): nothing is sent until the `online` event. */
  | { readonly reason: 'offline' }
  /**
   * A try failed in passing (`error`: a network error, 500, 503 SlowDown); try `attempt` of `attempts`
   * starts at `until` (epoch ms). POST files only: a multipart file retries its parts one by one.
   */
  | { readonly reason: 'retry'; readonly attempt: number; readonly attempts: number; readonly until: number; readonly error: Error }
  /** S3 refused a policy that is no longer good (`cause`): the backend is asked to sign again, once. */
  | { readonly reason: 'resign'; readonly cause: ResignReason };

/** A multipart file's parts: how many in all, finished, and on their way now. */
export interface UploadParts {
  readonly total: number;
  readonly done: number;
  readonly inFlight: number;
}

export interface FileProgress {
  /** Bytes of the file sent so far. */
  readonly bytes: number;
  /** The file's size. */
  readonly total: number;
  /** 0 to 100, whole numbers; 100 only once S3 has everything. */
  readonly percent: number;
  /** Bytes per second over the last three seconds of sending; 0 before. */
  readonly rate: number;
}

interface UploadBase {
  readonly id: string;
  readonly file: File;
  readonly progress: FileProgress;
  /** For a file going by multipart upload (options.multipart); undefined for one POST. Total 0 until planned. */
  readonly parts: UploadParts | undefined;
  /** The multipart engine took up an upload this browser began before (a reload, a failed try). */
  readonly resumed: boolean;
}

export type Upload =
  | (UploadBase & { readonly status: 'queued' | 'signing' | 'uploading' | 'paused' })
  | (UploadBase & { readonly status: 'waiting'; readonly wait: FileWait })
  | (UploadBase & { readonly status: 'finishing'; readonly result: UploadResult })
  /**
   * `finished` is the answer of the upload-finished call (undefined without one); `deleteError` the
   * failure of the last deleteUploaded(id), the object still being in S3.
   */
  | (UploadBase & { readonly status: 'success'; readonly result: UploadResult; readonly finished: unknown; readonly deleteError: Error | undefined })
  | (UploadBase & { readonly status: 'deleting'; readonly result: UploadResult; readonly finished: unknown })
  /**
   * The kit's error (an S3UploadError: message, hint, code; S3ResponseError adds S3's evidence in `s3`).
   * `result` is there when S3 holds the file and only the upload-finished call failed (AfterUploadError).
   */
  | (UploadBase & { readonly status: 'error'; readonly error: Error; readonly result: UploadResult | undefined })
  | (UploadBase & { readonly status: 'canceled' });

export type InFlightUpload = Extract<Upload, { status: 'queued' | 'signing' | 'uploading' | 'waiting' | 'paused' | 'finishing' }>;

export interface UploadSnapshot {
  /** Every file in the order it was added. */
  readonly uploads: readonly Upload[];
  /** Files the last upload() call refused (accept, size, maxFiles). */
  readonly rejections: readonly FileRejection[];
  /** Over the files that are queued, in flight or done; failed and canceled files are left out. */
  readonly progress: FileProgress;
  readonly isUploading: boolean;
}

/** Queued, on its way (waiting included), or paused: what cancel() stops and `isUploading` counts. */
export function isInFlight(upload: Upload): upload is InFlightUpload {
  const { status } = upload;
  return (
    status === 'queued' || status === 'signing' || status === 'uploading' || status === 'waiting' || status === 'paused' || status === 'finishing'
  );
}

export function noProgress(file: File): FileProgress {
  return { bytes: 0, total: file.size, percent: 0, rate: 0 };
}

/** Every derived value in one place. */
export function deriveSnapshot(uploads: readonly Upload[], rejections: readonly FileRejection[]): UploadSnapshot {
  let bytes = 0;
  let total = 0;
  let rate = 0;
  let counted = 0;
  let done = 0;
  for (const upload of uploads) {
    if (upload.status === 'error' || upload.status === 'canceled') continue;
    counted += 1;
    if (upload.status === 'success' || upload.status === 'deleting') done += 1;
    bytes += upload.progress.bytes;
    total += upload.progress.total;
    if (upload.status === 'uploading') rate += upload.progress.rate;
  }
  // Whole percent, and 100 only when every counted file is done: the sum of byte counts can reach the
  // total a moment before S3 has answered for the last file.
  const percent = counted === 0 ? 0 : done === counted ? 100 : total > 0 ? Math.min(99, Math.floor((bytes / total) * 100)) : 0;
  return {
    uploads,
    rejections,
    progress: { bytes, total, percent, rate },
    isUploading: uploads.some(isInFlight),
  };
}

const EMPTY: UploadSnapshot = deriveSnapshot([], []);

export class UploadStore {
  readonly #uploads = new Map<string, Upload>();
  #rejections: readonly FileRejection[] = [];
  #snapshot = EMPTY;
  readonly #listeners = new Set<() => void>();
  readonly #frame = createFrameBatcher(() => this.#publish());

  readonly subscribe = (listener: () => void): (() => void) => {
    this.#listeners.add(listener);
    return () => {
      this.#listeners.delete(listener);
    };
  };

  readonly getSnapshot = (): UploadSnapshot => this.#snapshot;

  get size(): number {
    return this.#uploads.size;
  }

  get(id: string): Upload | undefined {
    return this.#uploads.get(id);
  }

  ids(): string[] {
    return [...this.#uploads.keys()];
  }

  /** 'frame' for progress: many calls within a frame cost one publish. */
  set(upload: Upload, timing: 'now' | 'frame' = 'now'): void {
    this.#uploads.set(upload.id, upload);
    if (timing === 'frame') this.#frame.schedule();
    else this.#frame.flush();
  }

  delete(id: string): void {
    if (this.#uploads.delete(id)) this.#frame.flush();
  }

  setRejections(rejections: readonly FileRejection[]): void {
    if (rejections.length === 0 && this.#rejections.length === 0) return;
    this.#rejections = rejections;
    this.#frame.flush();
  }

  clear(): void {
    this.#uploads.clear();
    this.#rejections = [];
    this.#frame.flush();
  }

  #publish(): void {
    this.#snapshot = deriveSnapshot([...this.#uploads.values()], this.#rejections);
    for (const listener of this.#listeners) listener();
  }
}
