// An AbortController linked to a parent signal (AbortSignal.any would do, but Safari has it only since
// 17.4). Apart from the other signal tools (signals.ts) because the React layer's multipart control
// needs it before the engine is loaded.

/** A controller that also aborts when `parent` does; `dispose` detaches it from the parent. */
export function childController(parent: AbortSignal): { controller: AbortController; dispose: () => void } {
  const controller = new AbortController();
  const onAbort = (): void => controller.abort(parent.reason);
  if (parent.aborted) controller.abort(parent.reason);
  else parent.addEventListener('abort', onAbort, { once: true });
  return { controller, dispose: () => parent.removeEventListener('abort', onAbort) };
}
