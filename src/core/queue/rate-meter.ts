// Upload speed over the last few seconds rather than since the start. Browsers report the first
// megabytes as sent as soon as they enter the socket buffers, so an average since the start reads many
// times the real speed for a long while; a window forgets that burst once it has passed.

const WINDOW_MS = 3000;

export class RateMeter {
  readonly #samples: Array<{ readonly at: number; readonly bytes: number }> = [];
  readonly #windowMs: number;

  constructor(startedAt: number, windowMs = WINDOW_MS) {
    this.#windowMs = windowMs;
    this.#samples.push({ at: startedAt, bytes: 0 });
  }

  /** Records `bytes` sent so far at time `at` (ms) and returns bytes per second over the window. */
  sample(at: number, bytes: number): number {
    this.#samples.push({ at, bytes });
    // Keep one sample at or before the window's start, so the window is always fully measured.
    while (this.#samples.length > 2 && (this.#samples[1]?.at ?? at) <= at - this.#windowMs) this.#samples.shift();
    const [oldest] = this.#samples;
    if (!oldest || at <= oldest.at) return 0;
    return Math.round(((bytes - oldest.bytes) * 1000) / (at - oldest.at));
  }
}
