// A multipart file's engine, as the queue sees it: the options the engine takes from the queue's,
// and each engine state as the file's snapshot (its figures, in the queue's statuses). Types only of the
// engine, which is loaded on the first multipart file.

import type { MultipartOptions, MultipartUploadOptions } from '../multipart/multipart-options';
import type { MultipartState } from '../multipart/multipart-state';
import type { UploadOptions } from '../upload';
import type { ControlMode } from './multipart-control';
import type { RateMeter } from './rate-meter';
import type { Upload } from './upload-store';

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
  // The upload waits for the network (to create it, send parts or complete it): shown as the POST files' offline wait.
  if ((status === 'signing' || status === 'uploading') && state.waiting) return { ...upload, status: 'waiting', wait: state.waiting };
  return { ...upload, status };
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
