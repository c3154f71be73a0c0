// Coalesces a burst of calls into one per animation frame: XHR progress events can fire far more often
// than a screen repaints, and each would otherwise be a React commit.

export interface FrameBatcher {
  /** Runs the callback on the next frame, once, however many times this is called before then. */
  schedule(): void;
  /** Runs the callback now, dropping the scheduled run. */
  flush(): void;
  cancel(): void;
}

export function createFrameBatcher(callback: () => void): FrameBatcher {
  let pending: (() => void) | undefined;
  const run = (): void => {
    pending = undefined;
    callback();
  };
  const cancel = (): void => {
    pending?.();
    pending = undefined;
  };
  return {
    schedule() {
      if (pending) return;
      // Looked up at call time, never at import: requestAnimationFrame is missing in Node (SSR, tests),
      // where a 16 ms timer stands in for a frame.
      if (typeof requestAnimationFrame === 'function') {
        const handle = requestAnimationFrame(run);
        pending = () => cancelAnimationFrame(handle);
      } else {
        const handle = setTimeout(run, 16);
        pending = () => clearTimeout(handle);
      }
    },
    flush() {
      cancel();
      callback();
    },
    cancel,
  };
}
