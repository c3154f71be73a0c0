// @vitest-environment node
// (happy-dom's fetch acts as a browser and drops the Origin and Access-Control-Request-* headers a test
// must set here; Node's fetch sends them, so this file also runs the emulator outside happy-dom.)
// CORS: what a browser needs to read S3's answers, and what it sees when the bucket has no rule.
// https://docs.aws.amazon.com/AmazonS3/latest/userguide/cors.html

import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createS3Emulator, type S3EmulatorOptions } from '../../mocks';
import { BUCKET_URL, emulatorOptions, formData, post, signedForm } from './fixtures';

const ORIGIN = 'https://app.example.com';
const server = setupServer();
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

function use(overrides: Partial<S3EmulatorOptions> = {}) {
  const emulator = createS3Emulator(emulatorOptions(overrides));
  server.use(...emulator.handlers);
  return emulator;
}

function preflight(method = 'POST', origin = ORIGIN) {
  return fetch(BUCKET_URL, {
    method: 'OPTIONS',
    headers: { Origin: origin, 'Access-Control-Request-Method': method, 'Access-Control-Request-Headers': 'x-trace-id' },
  });
}

describe('with the default rule (every origin)', () => {
  it('lets the browser read a successful upload, ETag and Location included', async () => {
    use();
    const response = await post(formData(signedForm()), BUCKET_URL, { headers: { Origin: ORIGIN } });

    expect(response.status).toBe(204);
    expect(response.headers.get('access-control-allow-origin')).toBe('*');
    expect(response.headers.get('access-control-expose-headers')).toBe('ETag, Location, x-amz-request-id');
  });

  it('lets the browser read an error too', async () => {
    use();
    const response = await post(formData(signedForm({ secret: 'wrong' })), BUCKET_URL, { headers: { Origin: ORIGIN } });

    expect(response.status).toBe(403);
    expect(response.headers.get('access-control-allow-origin')).toBe('*');
    expect(response.headers.get('x-amz-request-id')).toMatch(/^[0-9A-F]{16}$/);
  });

  it('adds no CORS headers to a request without Origin (not from a browser page)', async () => {
    use();
    const response = await post(formData(signedForm()));
    expect(response.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('answers a preflight, echoing the requested headers', async () => {
    use();
    const response = await preflight();

    expect(response.status).toBe(200);
    expect(response.headers.get('access-control-allow-origin')).toBe('*');
    expect(response.headers.get('access-control-allow-methods')).toBe('POST, PUT, GET, HEAD, DELETE');
    expect(response.headers.get('access-control-allow-headers')).toBe('x-trace-id');
  });

  it('refuses a preflight for a method the rule does not allow', async () => {
    use();
    expect((await preflight('PATCH')).status).toBe(403);
  });
});

describe('with a list of origins', () => {
  const allowedOrigins = [ORIGIN, 'http://*.localhost:5173'];

  it('echoes an allowed origin, wildcards included', async () => {
    use({ cors: { allowedOrigins } });
    const exact = await preflight('POST', ORIGIN);
    const wildcard = await preflight('POST', 'http://demo.localhost:5173');

    expect(exact.headers.get('access-control-allow-origin')).toBe(ORIGIN);
    expect(wildcard.headers.get('access-control-allow-origin')).toBe('http://demo.localhost:5173');
  });

  it('gives another origin no CORS headers, so its browser cannot read the answer', async () => {
    use({ cors: { allowedOrigins } });
    const response = await post(formData(signedForm()), BUCKET_URL, { headers: { Origin: 'https://evil.example' } });

    expect(response.headers.get('access-control-allow-origin')).toBeNull();
    expect((await preflight('POST', 'https://evil.example')).status).toBe(403);
  });

  it('exposes the headers the rule names', async () => {
    use({ cors: { exposeHeaders: ['ETag'] } });
    const response = await post(formData(signedForm()), BUCKET_URL, { headers: { Origin: ORIGIN } });
    expect(response.headers.get('access-control-expose-headers')).toBe('ETag');
  });
});

describe('with cors: false (a bucket without CORS configuration)', () => {
  it('sends no CORS headers, even on success, and still stores the upload', async () => {
    const emulator = use({ cors: false });
    const response = await post(formData(signedForm()), BUCKET_URL, { headers: { Origin: ORIGIN } });

    expect(response.status).toBe(204);
    expect([...response.headers.keys()].filter((name) => name.startsWith('access-control-'))).toEqual([]);
    expect(emulator.store.listObjects('uploads')).toHaveLength(1);
  });

  it('refuses the preflight as S3 does, without CORS headers', async () => {
    use({ cors: false });
    const response = await preflight();

    expect(response.status).toBe(403);
    expect(response.headers.get('access-control-allow-origin')).toBeNull();
    expect(await response.text()).toContain('<Message>CORSResponse: CORS is not enabled for this bucket.</Message>');
  });
});
