// One multipart file's task as the manager drives it: pause and resume asked for before the task exists
// (the file still queued, or the engine still loading) take effect when it starts, and the engine's
// state becomes the file's snapshot: its figures, in the manager's statuses. Type-only imports of the
// engine: the manager loads it on first use.

import type { MultipartOptions, MultipartUploadOptions } from '../core/multipart/multipart-options';
import type { MultipartState, MultipartTask } from '../core/multipart/multipart-state';
import type { UploadOptions } from '../core/upload';
import type { RateMeter } from './rate-meter';
import type { Upload, UploadParts } from './upload-store';

export const NO_PARTS: UploadParts = { total: 0, done: 0, inFlight: 0 };

export class MultipartControl {
  #task: MultipartTask | undefined;
  #paused = false;

  get task(): MultipartTask | undefined {
    return this.#task;
  }

  get paused(): boolean {
    return this.#paused;
  }

  attach(task: MultipartTask): void {
    this.#task = task;
    if (this.#paused) task.pause();
  }

  /** False when there is nothing to pause: already paused, or past the parts (completing). */
  pause(): boolean {
    const status = this.#task?.state.status;
    if (this.#paused || (status !== undefined && status !== 'creating' && status !== 'uploading')) return false;
    this.#paused = true;
    this.#task?.pause();
    return true;
  }

  resume(): boolean {
    if (!this.#paused) return false;
    this.#paused = false;
    this.#task?.resume();
    return true;
  }

  /** Resolves once AbortMultipartUpload has answered (at once when no upload was created). */
  cancel(): Promise<void> {
    return this.#task?.cancel() ?? Promise.resolve();
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
  paused: boolean,
  before: Upload | undefined,
  meter: RateMeter | undefined,
): Upload | undefined {
  const status = statusOf(state, paused);
  if (!status) return undefined;
  const { file } = variables;
  const bytes = Math.max(before?.progress.bytes ?? 0, Math.min(state.loaded, file.size));
  const rate = status === 'uploading' ? (meter?.sample(Date.now(), bytes) ?? before?.progress.rate ?? 0) : 0;
  // All parts sent is not yet an object: CompleteMultipartUpload may still fail.
  const percent = file.size > 0 ? Math.min(99, Math.floor((bytes / file.size) * 100)) : 0;
  const { total, done, inFlight } = state.parts;
  return { ...variables, status, progress: { bytes, total: file.size, percent, rate }, parts: { total, done, inFlight }, resumed: state.resumed };
}

/** A multipart file's parts once S3 has them all; undefined for a POST file. */
export function doneParts(upload: Upload | undefined): UploadParts | undefined {
  return upload?.parts ? { total: upload.parts.total, done: upload.parts.total, inFlight: 0 } : undefined;
}

/** The manager's status for an engine state on the way; undefined for a final one. */
function statusOf(state: MultipartState, paused: boolean): 'signing' | 'uploading' | 'paused' | undefined {
  switch (state.status) {
    case 'creating':
      return paused ? 'paused' : 'signing';
    case 'uploading':
    case 'completing':
      return paused ? 'paused' : 'uploading';
    case 'paused':
      return 'paused';
    case 'success':
    case 'error':
    case 'canceled':
      return undefined;
  }
}
