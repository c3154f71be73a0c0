// Test set-up (vite.config.ts, setupFiles): Blobs and Files whose bytes no inspector walks. happy-dom
// keeps a Blob's bytes in an own symbol-keyed Buffer, and every failing check prints the value it got
// (chai's inspector takes Object.keys of that Buffer: 12 million strings for a 12 MiB File, 4-5 s here,
// mostly garbage collection). A waitFor whose first check fails because the state is not there yet then
// blocks the event loop past its own timeout, and the state it waits for can never arrive in time: such
// a test passed only on a machine fast enough for its first check to pass. The bytes move to a WeakMap
// behind an accessor where happy-dom reads them; the constructors are happy-dom's own behind a Proxy,
// so `instanceof`, `name` and the prototype chain are unchanged. A browser's File has no own bytes either.

const bufferKey = Object.getOwnPropertySymbols(new Blob(['x'])).find((key) => key.description === 'buffer');
const bytes = new WeakMap<object, unknown>();

function printable<T extends abstract new (...args: never[]) => Blob>(constructor: T): T {
  if (bufferKey === undefined) return constructor;
  Object.defineProperty(constructor.prototype, bufferKey, {
    get(this: object) {
      return bytes.get(this);
    },
    set(this: object, value: unknown) {
      bytes.set(this, value);
    },
    configurable: true,
  });
  return new Proxy(constructor, {
    construct(target, args, newTarget) {
      const blob: object = Reflect.construct(target, args, newTarget);
      const own = Object.getOwnPropertyDescriptor(blob, bufferKey);
      if (own && 'value' in own) {
        bytes.set(blob, own.value);
        Reflect.deleteProperty(blob, bufferKey);
      }
      return blob;
    },
  });
}

globalThis.Blob = printable(globalThis.Blob);
globalThis.File = printable(globalThis.File);
