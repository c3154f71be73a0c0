// Signed part requests, fetched from the backend in batches: the parts the workers ask for in the same
// tick go in one call, with `signAhead` more ahead of need when the backend's signatures last (presigned
// URLs). Once half of those are taken, the next batch is asked for in the background, so a worker that
// finishes a part finds the next one signed instead of waiting for the backend. A signature is kept for
// the part's retries until S3 calls it expired.

import type { MultipartBackend, PartToSign, SignedPart, UploadRef } from '../backends/backend';
import type { PartLedger } from '../part-ledger';
import { partRange } from '../plan';

interface Waiter {
  readonly part: PartToSign;
  readonly resolve: (signed: SignedPart) => void;
  readonly reject: (error: unknown) => void;
}

export class PartSigner {
  readonly #backend: MultipartBackend;
  readonly #upload: UploadRef;
  readonly #ledger: PartLedger;
  readonly #signal: AbortSignal;
  readonly #cache = new Map<number, SignedPart>();
  readonly #pending = new Map<number, Promise<SignedPart>>();
  readonly #queue = new Map<number, Waiter>();
  /** Parts signed (or being signed) ahead of need that no worker has asked for yet. */
  readonly #untaken = new Set<number>();
  #scheduled = false;

  constructor(backend: MultipartBackend, upload: UploadRef, ledger: PartLedger, { signal }: { readonly signal: AbortSignal }) {
    this.#backend = backend;
    this.#upload = upload;
    this.#ledger = ledger;
    this.#signal = signal;
  }

  sign(part: PartToSign): Promise<SignedPart> {
    this.#untaken.delete(part.partNumber);
    const cached = this.#cache.get(part.partNumber);
    const signed = cached ? Promise.resolve(cached) : (this.#pending.get(part.partNumber) ?? this.#enqueue(part));
    // Half of the parts signed ahead are taken: sign the next ones before a worker needs them.
    if (this.#backend.signAhead > 0 && this.#untaken.size <= this.#backend.signAhead / 2) this.#schedule();
    return signed;
  }

  /** S3 refused the part's signature as expired: the next sign() asks the backend again. */
  invalidate(partNumber: number): void {
    this.#cache.delete(partNumber);
  }

  /** The part is done; its signature is no longer needed. */
  release(partNumber: number): void {
    this.#cache.delete(partNumber);
  }

  #enqueue(part: PartToSign): Promise<SignedPart> {
    const { promise, waiter } = deferred(part);
    this.#queue.set(part.partNumber, waiter);
    this.#pending.set(part.partNumber, promise);
    this.#schedule();
    return promise;
  }

  #schedule(): void {
    if (this.#scheduled) return;
    this.#scheduled = true;
    // Workers that start together ask in the same tick: one backend call for all of them.
    queueMicrotask(() => this.#flush());
  }

  #flush(): void {
    this.#scheduled = false;
    const waiters = [...this.#queue.values()];
    this.#queue.clear();
    const ahead = this.#ledger
      .pending()
      .filter((partNumber) => !this.#cache.has(partNumber) && !this.#pending.has(partNumber))
      .slice(0, this.#backend.signAhead - this.#untaken.size)
      .map((partNumber): Waiter => {
        this.#untaken.add(partNumber);
        const { promise, waiter } = deferred({ partNumber, size: partRange(this.#ledger.plan, partNumber).size });
        // Nobody may ever ask for a part signed ahead: its failure is reported to whoever does, or to no one.
        promise.catch(() => undefined);
        this.#pending.set(partNumber, promise);
        return waiter;
      });
    const batch = [...waiters, ...ahead];
    if (batch.length === 0) return;
    const settle = (waiter: Waiter): void => {
      this.#pending.delete(waiter.part.partNumber);
    };
    this.#backend.signParts(this.#upload, batch.map((waiter) => waiter.part), { signal: this.#signal }).then(
      (signed) => {
        const byNumber = new Map(signed.map((part) => [part.partNumber, part]));
        for (const waiter of batch) {
          settle(waiter);
          const part = byNumber.get(waiter.part.partNumber);
          if (part) {
            this.#cache.set(part.partNumber, part);
            waiter.resolve(part);
          } else {
            waiter.reject(new Error(`unreachable: the backend adapter answers every part asked for (${waiter.part.partNumber})`));
          }
        }
      },
      (error: unknown) => {
        for (const waiter of batch) {
          settle(waiter);
          waiter.reject(error);
        }
      },
    );
  }
}

function deferred(part: PartToSign): { promise: Promise<SignedPart>; waiter: Waiter } {
  let resolve!: (signed: SignedPart) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<SignedPart>((onResolve, onReject) => {
    resolve = onResolve;
    reject = onReject;
  });
  return { promise, waiter: { part, resolve, reject } };
}
