import { http, HttpResponse, delay } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { callPolicyFunction, postJson } from '../../../src/core/policy/policy-source';
import { PolicyAnswerError } from '../../../src/core/errors/PolicyAnswerError';
import { UploadAbortedError } from '../../../src/core/errors/UploadAbortedError';

const ENDPOINT = 'https://app.example/api/s3-policy';
const server = setupServer();
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

const signal = () => new AbortController().signal;

async function failure(promise: Promise<unknown>): Promise<PolicyAnswerError> {
  const error = await promise.then(
    () => undefined,
    (reason: unknown) => reason,
  );
  if (!(error instanceof PolicyAnswerError)) throw new Error(`expected a PolicyAnswerError, got ${String(error)}`);
  return error;
}

describe('postJson', () => {
  it('POSTs the JSON body with the app headers (also from a function) and credentials mode', async () => {
    let seen: { body: unknown; csrf: string | null; type: string | null; credentials: string } | undefined;
    server.use(
      http.post(ENDPOINT, async ({ request }) => {
        seen = {
          body: await request.json(),
          csrf: request.headers.get('x-csrf-token'),
          type: request.headers.get('content-type'),
          credentials: request.credentials,
        };
        return HttpResponse.json({ ok: true });
      }),
    );
    const answer = await postJson(
      { url: ENDPOINT, headers: async () => ({ 'X-CSRF-Token': 't0k3n' }), credentials: 'include' },
      { filename: 'a.png', contentType: 'image/png', size: 3 },
      signal(),
      'policy',
    );
    expect(answer).toEqual({ ok: true });
    expect(seen).toEqual({
      body: { filename: 'a.png', contentType: 'image/png', size: 3 },
      csrf: 't0k3n',
      type: 'application/json',
      credentials: 'include',
    });
  });

  it('sends nothing the app did not configure: no extra headers, no cookies by default, only the file facts', async () => {
    let seen: { headers: string[]; credentials: string; body: unknown } | undefined;
    server.use(
      http.post(ENDPOINT, async ({ request }) => {
        seen = { headers: [...request.headers.keys()].sort(), credentials: request.credentials, body: await request.json() };
        return HttpResponse.json({});
      }),
    );
    await postJson({ url: ENDPOINT }, { filename: 'a.png', contentType: 'image/png', size: 3 }, signal(), 'policy');
    expect(seen).toEqual({
      headers: ['accept', 'content-type'],
      credentials: 'same-origin',
      body: { filename: 'a.png', contentType: 'image/png', size: 3 },
    });
  });

  it.each([
    [401, 'session'],
    [403, 'CSRF'],
    [404, 'URL'],
    [500, 'logs'],
  ])('turns HTTP %i into an error with a hint', async (status, hint) => {
    server.use(http.post(ENDPOINT, () => HttpResponse.json({ error: 'nope' }, { status })));
    const error = await failure(postJson({ url: ENDPOINT }, {}, signal(), 'policy'));
    expect(error.code).toBe('backend-http-error');
    expect(error.status).toBe(status);
    expect(error.message).toContain(`answered ${status}`);
    expect(error.message).toContain(ENDPOINT);
    expect(error.message).toContain('nope');
    expect(error.hint).toContain(hint);
  });

  it('recognises an HTML page (a login redirect) instead of JSON', async () => {
    server.use(
      http.post(ENDPOINT, () =>
        HttpResponse.html('<!DOCTYPE html><html><head><title>Sign in</title><style>p{}</style></head><body><p>Please sign in</p></body></html>'),
      ),
    );
    const error = await failure(postJson({ url: ENDPOINT }, {}, signal(), 'policy'));
    expect(error.code).toBe('backend-not-json');
    expect(error.message).toContain('an HTML page: "Sign in Please sign in"');
    expect(error.hint).toContain('login redirect');
  });

  it('refuses an empty body and plain text', async () => {
    server.use(http.post(ENDPOINT, () => new HttpResponse(null, { status: 200 })));
    expect((await failure(postJson({ url: ENDPOINT }, {}, signal(), 'policy'))).message).toContain('empty body');
    server.use(http.post(ENDPOINT, () => HttpResponse.text('ok')));
    expect((await failure(postJson({ url: ENDPOINT }, {}, signal(), 'policy'))).code).toBe('backend-not-json');
  });

  it('says the endpoint is unreachable on a network error', async () => {
    server.use(http.post(ENDPOINT, () => HttpResponse.error()));
    const error = await failure(postJson({ url: ENDPOINT }, {}, signal(), 'policy'));
    expect(error.code).toBe('backend-unreachable');
    expect(error.message).toContain(ENDPOINT);
  });

  it('settles with UploadAbortedError when aborted while the request is in flight', async () => {
    server.use(
      http.post(ENDPOINT, async () => {
        await delay('infinite');
        return HttpResponse.json({});
      }),
    );
    const controller = new AbortController();
    const pending = postJson({ url: ENDPOINT }, {}, controller.signal, 'policy');
    setTimeout(() => controller.abort(), 10);
    await expect(pending).rejects.toBeInstanceOf(UploadAbortedError);
  });
});

describe('callPolicyFunction', () => {
  const file = new File(['abc'], 'a.txt', { type: 'text/plain' });
  const request = { filename: 'a.txt', contentType: 'text/plain', size: 3 };

  it('passes the file, the request facts and a signal', async () => {
    const answer = await callPolicyFunction(
      async (f, context) => ({ name: f.name, size: context.size, aborted: context.signal.aborted }),
      file,
      request,
      signal(),
    );
    expect(answer).toEqual({ name: 'a.txt', size: 3, aborted: false });
  });

  it('settles at once on abort even when the function ignores its signal', async () => {
    const controller = new AbortController();
    const pending = callPolicyFunction(() => new Promise(() => {}), file, request, controller.signal);
    controller.abort();
    await expect(pending).rejects.toBeInstanceOf(UploadAbortedError);
  });

  it('wraps a failing function, keeping the cause', async () => {
    const cause = new Error('backend down');
    const error = await failure(callPolicyFunction(() => Promise.reject(cause), file, request, signal()));
    expect(error.code).toBe('policy-function-failed');
    expect(error.message).toContain('backend down');
    expect(error.cause).toBe(cause);
  });
});
