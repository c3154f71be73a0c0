// Which parts are done (with the ETag and checksum Complete needs), which are on the way and how far,
// and the upload's progress from them. Progress is what a user watches, so it must never go backwards
// nor past 100%: a part's bytes count as done once, however often it was sent; a part on the way counts
// the most its current attempt has sent; and the figure reported is the highest ever computed, so a
// retried or paused part holds the bar where it was until the upload passes it again.

import type { FinishedPart } from './backends/backend';
import { partRange, type MultipartPlan } from './plan';

export interface ActivePart {
  readonly partNumber: number;
  /** Bytes of this part sent by its current attempt. */
  readonly loaded: number;
  readonly size: number;
  /** 1 for the first try. */
  readonly attempt: number;
}

export class PartLedger {
  readonly plan: MultipartPlan;
  readonly #done = new Map<number, FinishedPart>();
  readonly #active = new Map<number, ActivePart>();
  #doneBytes = 0;
  #reported = 0;

  constructor(plan: MultipartPlan, done: readonly FinishedPart[]) {
    this.plan = plan;
    for (const part of done) this.finish(part);
    this.#reported = this.#doneBytes;
  }

  get doneCount(): number {
    return this.#done.size;
  }

  /** Part numbers still to send, ascending. */
  pending(): number[] {
    const numbers: number[] = [];
    for (let partNumber = 1; partNumber <= this.plan.partCount; partNumber++) {
      if (!this.#done.has(partNumber)) numbers.push(partNumber);
    }
    return numbers;
  }

  start(partNumber: number, attempt: number): void {
    this.#active.set(partNumber, { partNumber, loaded: 0, size: partRange(this.plan, partNumber).size, attempt });
  }

  progress(partNumber: number, loaded: number): void {
    const active = this.#active.get(partNumber);
    if (!active) return;
    const capped = Math.min(active.size, Math.max(active.loaded, loaded));
    if (capped !== active.loaded) this.#active.set(partNumber, { ...active, loaded: capped });
  }

  finish(part: FinishedPart): void {
    this.#active.delete(part.partNumber);
    if (this.#done.has(part.partNumber)) return;
    this.#done.set(part.partNumber, part);
    this.#doneBytes += partRange(this.plan, part.partNumber).size;
  }

  /** The part stopped without finishing (paused, canceled, failed): its bytes on the way no longer count. */
  drop(partNumber: number): void {
    this.#active.delete(partNumber);
  }

  /** Every part on the way stopped at once (pause): none counts as on the way any more. */
  dropAll(): void {
    this.#active.clear();
  }

  /** The finished parts in ascending order, as CompleteMultipartUpload lists them. */
  finished(): FinishedPart[] {
    return [...this.#done.values()].sort((a, b) => a.partNumber - b.partNumber);
  }

  active(): ActivePart[] {
    return [...this.#active.values()].sort((a, b) => a.partNumber - b.partNumber);
  }

  /** Bytes uploaded, never less than before and never more than the file. */
  loaded(): number {
    let inFlight = 0;
    for (const part of this.#active.values()) inFlight += part.loaded;
    this.#reported = Math.min(this.plan.size, Math.max(this.#reported, this.#doneBytes + inFlight));
    return this.#reported;
  }
}
