// Loading a failure path's module (an error's words, the retry loop) only when the failure happens, so
// that an upload that succeeds never fetches it. When the module cannot be loaded (offline, or a new
// deploy removed its chunk), the failure still reaches the caller: `fallback` is thrown instead.

export async function loadOnFailure<T>(load: () => Promise<T>, fallback: (loadError: unknown) => unknown): Promise<T> {
  try {
    return await load();
  } catch (error) {
    throw fallback(error);
  }
}
