// How long a test waits for something that is on its way: long enough that only a hang fails it,
// whatever the machine's speed or load. What a test waits for is an event or a state reached by one
// (a request answered, a status published); the deadline only turns a hang into a failure with a
// message. The suite's own timeouts (vite.config.ts) are above it, so a wait's failure says what it
// waited for instead of "Test timed out".
import { vi } from 'vitest';

export const PATIENCE_MS = 30_000;

/** vi.waitFor with the suite's patience: retries `check` until it stops throwing. */
export function eventually<T>(check: () => T | Promise<T>): Promise<T> {
  return vi.waitFor(check, { timeout: PATIENCE_MS, interval: 10 });
}
