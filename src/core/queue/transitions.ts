// Each change of a file's status as a pure function: the file's next snapshot from the one before.
// What each keeps: progress never goes back within a run (a wait or a pause keeps it, with no rate),
// a multipart file's parts are kept across statuses, and `resumed` stays as the engine said.

import type { UploadResult } from '../transport/xhr-transport';
import type { UploadVariables } from './queue-options';
import { noProgress, type FileProgress, type FileWait, type Upload, type UploadParts } from './upload-store';

type Stored<S extends Upload['status']> = Extract<Upload, { status: S }>;

/** Added, or run again: waiting for a slot. */
export function queued(upload: UploadVariables, before: Upload | undefined, parts: UploadParts | undefined): Upload {
  return { ...upload, status: 'queued', progress: noProgress(upload.file), parts, resumed: before?.resumed ?? false };
}

/** A new stage of a POST file (or a multipart file before its engine runs): nothing sent of it yet. */
export function stage(upload: UploadVariables, before: Upload | undefined, status: 'signing' | 'uploading' | 'queued' | 'paused'): Upload {
  return { ...upload, status, progress: noProgress(upload.file), parts: before?.parts, resumed: before?.resumed ?? false };
}

/** Held where it is (paused, queued again, or still signing): the bytes reached stay shown. */
export function held(upload: UploadVariables, before: Upload, status: 'signing' | 'queued' | 'paused'): Upload {
  return { ...upload, status, progress: still(before.progress), parts: before.parts, resumed: before.resumed };
}

/** A POST file's bytes on their way. */
export function sending(upload: UploadVariables, progress: FileProgress): Upload {
  return { ...upload, status: 'uploading', progress, parts: undefined, resumed: false };
}

export function waiting(upload: UploadVariables, before: Upload | undefined, wait: FileWait): Upload {
  const progress = still(before?.progress ?? noProgress(upload.file));
  return { ...upload, status: 'waiting', wait, progress, parts: before?.parts, resumed: before?.resumed ?? false };
}

/** S3 has the file; the app's upload-finished call is on its way. */
export function finishing(upload: UploadVariables, before: Upload | undefined, result: UploadResult): Upload {
  return { ...upload, status: 'finishing', result, progress: full(upload.file, 0), parts: doneParts(before), resumed: before?.resumed ?? false };
}

export function succeeded(upload: UploadVariables, before: Upload | undefined, result: UploadResult, finished: unknown): Upload {
  const progress = full(upload.file, before?.progress.rate ?? 0);
  return { ...upload, status: 'success', result, finished, deleteError: undefined, progress, parts: doneParts(before), resumed: before?.resumed ?? false };
}

/** `stored`: what S3 holds when only the upload-finished call failed. */
export function failed(upload: UploadVariables, before: Upload | undefined, error: Error, stored: UploadResult | undefined): Upload {
  const progress = still(before?.progress ?? noProgress(upload.file));
  return { ...upload, status: 'error', error, result: stored, progress, parts: before?.parts, resumed: before?.resumed ?? false };
}

export function canceled(before: Upload): Upload {
  const { id, file, parts, resumed } = before;
  return { id, file, status: 'canceled', progress: still(before.progress), parts, resumed };
}

export function deleting(before: Stored<'success'>): Upload {
  const { id, file, progress, parts, resumed, result, finished } = before;
  return { id, file, progress, parts, resumed, status: 'deleting', result, finished };
}

/** The delete failed: the object is still in S3, and deleting again is how to retry. */
export function deleteFailed(before: Stored<'success'>, error: Error): Upload {
  return { ...before, deleteError: error };
}

/** A multipart file's parts once S3 has them all; undefined for a POST file. */
export function doneParts(upload: Upload | undefined): UploadParts | undefined {
  return upload?.parts ? { total: upload.parts.total, done: upload.parts.total, inFlight: 0 } : undefined;
}

function still(progress: FileProgress): FileProgress {
  return { ...progress, rate: 0 };
}

function full(file: File, rate: number): FileProgress {
  return { bytes: file.size, total: file.size, percent: 100, rate };
}
