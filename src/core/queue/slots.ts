// A counting semaphore for upload concurrency: at most `limit` files sign and send at once, the rest
// wait in order. Waiting is abortable, so canceling a queued file frees nothing and settles at once.

import { UploadAbortedError } from '../errors/UploadAbortedError';

export class Slots {
  #limit: number;
  #active = 0;
  readonly #waiting: Array<() => void> = [];

  constructor(limit: number) {
    this.#limit = normalise(limit);
  }

  setLimit(limit: number): void {
    this.#limit = normalise(limit);
    this.#drain();
  }

  /** Resolves with the function that gives the slot back, once one is free. */
  acquire({ signal }: { readonly signal: AbortSignal }): Promise<() => void> {
    if (signal.aborted) return Promise.reject(new UploadAbortedError('upload', { cause: signal.reason }));
    return new Promise((resolve, reject) => {
      const grant = (): void => {
        signal.removeEventListener('abort', onAbort);
        this.#active += 1;
        resolve(this.#releaser());
      };
      const onAbort = (): void => {
        const index = this.#waiting.indexOf(grant);
        if (index >= 0) this.#waiting.splice(index, 1);
        reject(new UploadAbortedError('upload', { cause: signal.reason }));
      };
      signal.addEventListener('abort', onAbort, { once: true });
      this.#waiting.push(grant);
      this.#drain();
    });
  }

  #releaser(): () => void {
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.#active -= 1;
      this.#drain();
    };
  }

  #drain(): void {
    while (this.#active < this.#limit) {
      const next = this.#waiting.shift();
      if (!next) return;
      next();
    }
  }
}

function normalise(limit: number): number {
  return Number.isNaN(limit) ? 1 : Math.max(1, Math.floor(limit));
}
