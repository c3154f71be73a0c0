// Control over time for render tests. MSW in Node reports upload progress once, at 100%; these let a
// test deliver progress events of its choosing to the kit's real XHR listener, and decide when an
// animation frame happens.
import { vi } from 'vitest';

type ProgressListener = (event: ProgressEvent) => void;

/** Captures every XHR upload progress listener, in the order uploads start. */
export function captureUploadProgress(): { emit: (index: number, loaded: number, total: number) => void; count: () => number } {
  const listeners: ProgressListener[] = [];
  const original = XMLHttpRequestUpload.prototype.addEventListener;
  vi.spyOn(XMLHttpRequestUpload.prototype, 'addEventListener').mockImplementation(function (
    this: XMLHttpRequestUpload,
    type: string,
    listener: EventListenerOrEventListenerObject,
    options?: boolean | AddEventListenerOptions,
  ) {
    if (type === 'progress') {
      listeners.push((event) => (typeof listener === 'function' ? listener(event) : listener.handleEvent(event)));
    }
    return original.call(this, type, listener, options);
  });
  return {
    emit(index, loaded, total) {
      const listener = listeners[index];
      if (!listener) throw new Error(`no upload #${index} has started (${listeners.length} have)`);
      listener(new ProgressEvent('progress', { loaded, total, lengthComputable: true }));
    },
    count: () => listeners.length,
  };
}

/** Replaces requestAnimationFrame: frames happen only when the test runs them. */
export function controlFrames(): { run: () => void; pending: () => number } {
  const callbacks = new Map<number, FrameRequestCallback>();
  let last = 0;
  vi.stubGlobal('requestAnimationFrame', (callback: FrameRequestCallback) => {
    last += 1;
    callbacks.set(last, callback);
    return last;
  });
  vi.stubGlobal('cancelAnimationFrame', (handle: number) => {
    callbacks.delete(handle);
  });
  return {
    run() {
      const due = [...callbacks.values()];
      callbacks.clear();
      for (const callback of due) callback(performance.now());
    },
    pending: () => callbacks.size,
  };
}

/** A macrotask boundary, as between two real XHR events. */
export function nextTask(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 0));
}
