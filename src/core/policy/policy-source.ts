// Where the app's backend policy comes from: a URL the kit POSTs JSON to, or a function of the app's own.
// Everything the backend answers is handed to the answer reader as `unknown`; here only HTTP and JSON
// problems are told apart (an EndpointProblem, explained on failure by diagnostics/).

import { explain } from '../diagnostics/explain';
import type { EndpointProblem } from '../diagnostics/problem';
import { PolicyAnswerError } from '../errors/PolicyAnswerError';
import { UploadAbortedError } from '../errors/UploadAbortedError';

export type HeadersSource = HeadersInit | (() => HeadersInit | Promise<HeadersInit>);

/** A backend endpoint. The kit POSTs JSON to it with exactly these headers and this credentials mode. */
export interface PolicyEndpoint {
  readonly url: string;
  /** Sent with every request, e.g. a CSRF token; a function is called for each request. */
  readonly headers?: HeadersSource;
  /** fetch's credentials mode; 'include' sends cookies to a backend on another origin. Default 'same-origin'. */
  readonly credentials?: RequestCredentials;
}

export interface PolicyRequest {
  readonly filename: string;
  readonly contentType: string;
  readonly size: number;
  /** The key the app asked for, when it did (the backend decides). */
  readonly key?: string;
  readonly metadata?: Readonly<Record<string, string>>;
  /**
   * S3's time (ISO 8601), sent only when the kit signs again after S3 found the upload's X-Amz-Date too
   * far from its clock (RequestTimeTooSkewed): a backend whose clock is off can date the policy by it
   * (X-Amz-Date, the credential's date and the expiration). Ignoring it is fine when the clock is right.
   */
  readonly serverTime?: string;
}

export type PolicyFunction = (file: File, context: PolicyRequest & { readonly signal: AbortSignal }) => Promise<unknown>;

/** POSTs `body` as JSON and returns the parsed JSON answer. */
export async function postJson(endpoint: PolicyEndpoint, body: unknown, signal: AbortSignal, purpose: string): Promise<unknown> {
  const headers = new Headers(typeof endpoint.headers === 'function' ? await endpoint.headers() : endpoint.headers);
  if (!headers.has('content-type')) headers.set('content-type', 'application/json');
  if (!headers.has('accept')) headers.set('accept', 'application/json');
  const { url } = endpoint;
  let response: Response;
  try {
    response = await fetch(url, {
      method: 'POST',
      headers,
      body: JSON.stringify(body),
      credentials: endpoint.credentials ?? 'same-origin',
      signal,
    });
  } catch (error) {
    if (signal.aborted) throw new UploadAbortedError('policy', { cause: error });
    throw await endpointError({ kind: 'unreachable', purpose, url, error });
  }
  let text: string;
  try {
    text = await response.text();
  } catch (error) {
    if (signal.aborted) throw new UploadAbortedError('policy', { cause: error });
    throw error;
  }
  const { status } = response;
  if (!response.ok) throw await endpointError({ kind: 'http', purpose, url, status, statusText: response.statusText, text });
  if (text.trim() === '') throw await endpointError({ kind: 'empty', purpose, url, status });
  try {
    return JSON.parse(text);
  } catch (error) {
    throw await endpointError({ kind: 'not-json', purpose, url, status, text, error });
  }
}

function endpointError(problem: EndpointProblem): Promise<PolicyAnswerError> {
  return explain({ kind: 'endpoint', problem });
}

/** Calls the app's policy function, settling at once on abort even if the function ignores the signal. */
export async function callPolicyFunction(fn: PolicyFunction, file: File, request: PolicyRequest, signal: AbortSignal): Promise<unknown> {
  if (signal.aborted) throw new UploadAbortedError('policy');
  let onAbort: (() => void) | undefined;
  const aborted = new Promise<never>((_, reject) => {
    onAbort = () => reject(new UploadAbortedError('policy'));
    signal.addEventListener('abort', onAbort, { once: true });
  });
  try {
    return await Promise.race([fn(file, { ...request, signal }), aborted]);
  } catch (error) {
    if (signal.aborted || error instanceof UploadAbortedError) throw new UploadAbortedError('policy', { cause: error });
    if (error instanceof PolicyAnswerError) throw error;
    throw new PolicyAnswerError('policy-function-failed', `The app's policy function failed: ${errorText(error)}.`,
      'See the cause of this error; the function must resolve to the backend\'s policy answer.', { cause: error });
  } finally {
    if (onAbort) signal.removeEventListener('abort', onAbort);
  }
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
