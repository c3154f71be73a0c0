// Small AbortSignal tools. (AbortSignal.any would do for linking, but Safari has it only since 17.4.)

import { UploadAbortedError } from '../errors/UploadAbortedError';

/** A controller that also aborts when `parent` does; `dispose` detaches it from the parent. */
export function childController(parent: AbortSignal): { controller: AbortController; dispose: () => void } {
  const controller = new AbortController();
  const onAbort = (): void => controller.abort(parent.reason);
  if (parent.aborted) controller.abort(parent.reason);
  else parent.addEventListener('abort', onAbort, { once: true });
  return { controller, dispose: () => parent.removeEventListener('abort', onAbort) };
}

/** Waits `ms` milliseconds; rejects with UploadAbortedError as soon as `signal` aborts. */
export function sleep(ms: number, { signal }: { readonly signal: AbortSignal }): Promise<void> {
  if (signal.aborted) return Promise.reject(new UploadAbortedError('upload', { cause: signal.reason }));
  return new Promise((resolve, reject) => {
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(new UploadAbortedError('upload', { cause: signal.reason }));
    };
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

/**
 * Settles with `promise`, or rejects with UploadAbortedError at once when `signal` aborts: for the app's
 * own functions, which may ignore the signal they are given.
 */
export async function raceAbort<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) throw new UploadAbortedError('upload', { cause: signal.reason });
  let onAbort: (() => void) | undefined;
  const aborted = new Promise<never>((_, reject) => {
    onAbort = () => reject(new UploadAbortedError('upload', { cause: signal.reason }));
    signal.addEventListener('abort', onAbort, { once: true });
  });
  try {
    return await Promise.race([promise, aborted]);
  } finally {
    if (onAbort) signal.removeEventListener('abort', onAbort);
  }
}
