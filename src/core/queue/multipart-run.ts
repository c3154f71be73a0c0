// A multipart file's run in the queue: the engine loaded on first use, started for the file, its states
// shown as the file's snapshot (FileRun.engineState), pause and resume through the file's control.

import { UploadAbortedError } from '../errors/UploadAbortedError';
import type { MultipartUploadOptions } from '../multipart/multipart-options';
import type { UploadResult } from '../transport/xhr-transport';
import type { FileRun } from './file-run';
import type { MultipartControl } from './multipart-control';
import { RateMeter } from './rate-meter';

export async function sendByMultipart(run: FileRun, control: MultipartControl, options: MultipartUploadOptions): Promise<UploadResult> {
  run.enter('signing');
  // Loaded on first use, as uploadFile does: apps whose files all go by POST do not ship the engine.
  const { startMultipartUpload } = await import('../multipart/multipart-upload');
  if (run.controller.signal.aborted) throw new UploadAbortedError('upload');
  // Offline, the engine waits for the network before creating the upload, and says so (state.waiting).
  // No signal: cancel goes through control.cancel(), which the queue awaits (AbortMultipartUpload).
  const task = startMultipartUpload(run.upload.file, options);
  const meter = new RateMeter(Date.now());
  const unsubscribe = task.subscribe((state) => run.engineState(state, meter));
  control.attach(task);
  run.engineState(task.state, meter);
  try {
    return await task.promise;
  } finally {
    unsubscribe();
  }
}

/** Multipart files on their way, by name, size and lastModified: how many of each. */
export class LiveFiles {
  readonly #counts = new Map<string, number>();

  /** Counts `file` in: `first` when no other copy of it is on its way; `leave` counts it out. */
  enter(file: File): { readonly first: boolean; readonly leave: () => void } {
    const fingerprint = `${file.name}\u0000${file.size}\u0000${file.lastModified}`;
    const before = this.#counts.get(fingerprint) ?? 0;
    this.#counts.set(fingerprint, before + 1);
    const leave = (): void => {
      const left = (this.#counts.get(fingerprint) ?? 1) - 1;
      if (left > 0) this.#counts.set(fingerprint, left);
      else this.#counts.delete(fingerprint);
    };
    return { first: before === 0, leave };
  }
}
