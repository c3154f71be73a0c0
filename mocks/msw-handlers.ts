// The MSW 2 adapter: handlers for the emulator's URL patterns that let handle() answer. Other URLs
// match no handler here, so MSW passes them to the user's other handlers or to onUnhandledRequest.
// (URL patterns rather than a catch-all '*': a '*' handler that answers nothing still counts as
// matched, which silences onUnhandledRequest: 'error'. And rather than a custom predicate function,
// which msw accepts only since 2.11, while the package's peer range is msw ^2.)
// https://mswjs.io/docs/http/intercepting-requests

import { http, type HttpHandler } from 'msw';

export function createMswHandlers(
  patterns: readonly string[],
  handle: (request: Request) => Promise<Response | undefined>,
): HttpHandler[] {
  return patterns.map((pattern) => http.all(pattern, ({ request }) => handle(request)));
}
