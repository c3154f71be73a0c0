// Calling the app's callbacks from the upload queue.

/**
 * An app callback that throws must not stall the queue or leave upload() pending; its error goes to
 * reportError (or is thrown again on its own task), so the console and error monitors still see it.
 */
export function callSafely(callback: () => void): void {
  try {
    callback();
  } catch (error) {
    if (typeof reportError === 'function') reportError(error);
    else
      setTimeout(() => {
        throw error;
      });
  }
}

export function toError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}
