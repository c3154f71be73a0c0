// Where the app's backend policy comes from: a URL the kit POSTs JSON to, or a function of the app's own.
// Everything the backend answers is handed to parsePolicyAnswer as `unknown`; here only HTTP and JSON
// problems are told apart, each with what to fix.

import { PolicyAnswerError } from './errors/PolicyAnswerError';
import { UploadAbortedError } from './errors/UploadAbortedError';
import { looksLikeHtml } from './describe-shape';

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
  let response: Response;
  try {
    response = await fetch(endpoint.url, {
      method: 'POST',
      headers,
      body: JSON.stringify(body),
      credentials: endpoint.credentials ?? 'same-origin',
      signal,
    });
  } catch (error) {
    if (signal.aborted) throw new UploadAbortedError('policy', { cause: error });
    throw new PolicyAnswerError(
      'backend-unreachable',
      `The ${purpose} endpoint POST ${endpoint.url} could not be reached (${errorText(error)}).`,
      'Check that the URL is right and the backend is running; if it is on another origin, it must answer CORS for this page.',
      { cause: error },
    );
  }
  let text: string;
  try {
    text = await response.text();
  } catch (error) {
    if (signal.aborted) throw new UploadAbortedError('policy', { cause: error });
    throw error;
  }
  const where = `POST ${endpoint.url}`;
  if (!response.ok) {
    throw new PolicyAnswerError(
      'backend-http-error',
      `The ${purpose} endpoint answered ${response.status} ${response.statusText} to ${where}${excerpt(text)}.`,
      statusHint(response.status),
      { status: response.status },
    );
  }
  if (text.trim() === '') {
    throw new PolicyAnswerError('backend-not-json', `The ${purpose} endpoint answered ${where} with an empty body; a JSON object was expected.`,
      'Make the endpoint return the signed policy as JSON (Content-Type: application/json).', { status: response.status, received: 'empty body' });
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    const html = looksLikeHtml(text);
    throw new PolicyAnswerError(
      'backend-not-json',
      `The ${purpose} endpoint answered ${where} with ${html ? 'an HTML page' : 'text that is not JSON'}${excerpt(text)}; a JSON object was expected.`,
      html
        ? 'An HTML page is usually a login redirect, a framework error page or a proxy page: check the endpoint URL and that the request carries the session (credentials, CSRF header).'
        : 'Make the endpoint return the signed policy as JSON (Content-Type: application/json).',
      { status: response.status, received: html ? 'an HTML page' : 'text', cause: error },
    );
  }
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

function statusHint(status: number): string {
  if (status === 401 || status === 403) {
    return 'The backend refused to sign: check that the request carries the session (credentials: "include" for another origin) and any CSRF header the backend expects.';
  }
  if (status === 404 || status === 405) return 'Check the endpoint URL, and that it accepts POST with a JSON body.';
  if (status === 413) return 'The backend refused the request size; it only needs the file\'s name, type and size.';
  if (status >= 500) return 'The backend failed while signing; its logs say why (a missing AWS secret in its environment is common).';
  return 'Check what the backend expects in the request; the kit sends JSON { filename, contentType, size }.';
}

function excerpt(text: string): string {
  const plain = text.replace(/<(script|style)[\s\S]*?<\/\1>/gi, ' ').replace(/<[^>]*>/g, ' ').replace(/\s+/g, ' ').trim();
  if (plain === '') return '';
  return `: "${plain.length > 160 ? `${plain.slice(0, 160)}…` : plain}"`;
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
