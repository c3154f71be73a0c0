// Whether the browser says it is offline, and waiting until it says it is back. An upload sent while
// offline can only fail, and a connection lost with the network says nothing about S3, so the kit
// waits for the `online` event (https://html.spec.whatwg.org/multipage/system-state.html#dom-navigator-online)
// rather than spending its tries. `navigator.onLine === false` is reliable; `true` only means "maybe".

import { UploadAbortedError } from '../errors/UploadAbortedError';

export interface OnlineWatch {
  isOffline(): boolean;
  /** Resolves at once when online, else on the `online` event; rejects with UploadAbortedError on abort. */
  waitUntilOnline(signal: AbortSignal): Promise<void>;
}

/** `onOffline` is called each time a wait begins, so that a UI can say "waiting for the network". */
export function onlineWatch(onOffline?: () => void): OnlineWatch {
  return {
    isOffline: browserOffline,
    waitUntilOnline(signal) {
      if (signal.aborted) return Promise.reject(new UploadAbortedError('upload', { cause: signal.reason }));
      if (!browserOffline()) return Promise.resolve();
      onOffline?.();
      return new Promise<void>((resolve, reject) => {
        const done = (): void => {
          globalThis.removeEventListener('online', onOnline);
          signal.removeEventListener('abort', onAbort);
        };
        const onOnline = (): void => {
          done();
          resolve();
        };
        const onAbort = (): void => {
          done();
          reject(new UploadAbortedError('upload', { cause: signal.reason }));
        };
        globalThis.addEventListener('online', onOnline);
        signal.addEventListener('abort', onAbort, { once: true });
      });
    },
  };
}

/** True when the browser says it is offline and an `online` event can end the wait. */
export function browserOffline(): boolean {
  // Where no `online` event can be heard (a worker without it), waiting could never end: act as online.
  return typeof globalThis.addEventListener === 'function' && typeof navigator !== 'undefined' && navigator.onLine === false;
}
