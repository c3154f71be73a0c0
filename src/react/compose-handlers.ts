// Putting an app's props together with ours, as react-dropzone does: the app's handler runs first and
// can stop ours by calling event.stopPropagation(); refs are shared rather than replaced.

import type * as React from 'react';

type Handler<E> = ((event: E) => void) | undefined;

export function composeEventHandlers<E extends { isPropagationStopped(): boolean }>(
  ...handlers: readonly Handler<E>[]
): (event: E) => void {
  return (event) => {
    for (const handler of handlers) {
      if (event.isPropagationStopped()) return;
      handler?.(event);
    }
  };
}

/** One ref callback that feeds every given ref. */
export function mergeRefs<T>(...refs: ReadonlyArray<React.Ref<T> | undefined>): React.RefCallback<T> {
  return (node) => {
    for (const ref of refs) {
      if (typeof ref === 'function') ref(node);
      else if (ref) ref.current = node;
    }
  };
}
