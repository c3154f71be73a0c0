// Small AbortSignal tools: waiting, and racing a promise against the signal. (Linking a controller to a
// parent signal is child-controller.ts.)

import { UploadAbortedError } from '../errors/UploadAbortedError';

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
