// The React tests' world: the S3 emulator and the app backends of test/support/backends.ts behind one
// MSW server, a count of the policy requests the backend saw, and render helpers.
import { cleanup, render, renderHook, type RenderResult } from '@testing-library/react';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { http, HttpResponse, delay } from 'msw';
import { setupServer } from 'msw/node';
import * as React from 'react';
import { afterAll, afterEach, beforeAll, beforeEach, vi } from 'vitest';
import { createS3Emulator } from '../../mocks/index';
import { useS3Upload, type UseS3UploadOptions } from '../../src/react/index';
import { CREDENTIALS } from './aws-signer';
import { APP, BUCKET, BUCKET_URL, ENDPOINT, REGION, backendHandlers } from './backends';

export { APP, BUCKET, BUCKET_URL };

/** boto3's answer: key uploads/${filename}, any Content-Type, so one policy can carry many files. */
export const REUSABLE_POLICY = `${APP}/api/policy/boto3`;
/** The AWS SDK's answer: an exact key per file, never reusable. */
export const PER_FILE_POLICY = `${APP}/api/policy/aws-sdk`;

export const s3 = createS3Emulator({ endpoint: ENDPOINT, region: REGION, buckets: [BUCKET], credentials: [CREDENTIALS] });
export const server = setupServer(...s3.handlers, ...backendHandlers());

/** Policy requests the app backend received since the test began. */
export const backendCalls: string[] = [];
let s3Baseline = 0;

/** Requests that reached the S3 emulator since the test began. */
export function s3Requests(): ReadonlyArray<{ readonly method: string; readonly status: number }> {
  return s3.requests.slice(s3Baseline);
}

export function useTestServer(): void {
  beforeAll(() => {
    server.listen({ onUnhandledRequest: 'error' });
    server.events.on('request:start', ({ request }) => {
      if (request.url.startsWith(`${APP}/`)) backendCalls.push(new URL(request.url).pathname);
    });
  });
  beforeEach(() => {
    s3.store.clear();
    backendCalls.length = 0;
    s3Baseline = s3.requests.length;
  });
  afterEach(() => {
    cleanup();
    vi.unstubAllGlobals();
    server.resetHandlers();
    document.head.querySelectorAll('style[data-s3-direct-upload]').forEach((style) => style.remove());
  });
  afterAll(() => server.close());
}

/** S3 POSTs that reached the emulator and were stored. */
export function storedKeys(): string[] {
  return s3.store.listObjects(BUCKET).map((object) => object.key);
}

export function storedText(key: string): string | undefined {
  const object = s3.store.getObject(BUCKET, key);
  return object ? new TextDecoder().decode(object.body) : undefined;
}

export function file(name: string, content = `bytes of ${name}`, type = 'image/png'): File {
  return new File([content], name, { type });
}

/** S3 never answers the POST: the upload stays in flight until canceled. */
export function holdS3Forever(): void {
  server.use(
    http.post(BUCKET_URL, async () => {
      await delay('infinite');
      return new HttpResponse(null, { status: 204 });
    }),
  );
}

/** Holds every S3 POST until release() is called, as a slow network would. */
export function holdS3Posts(): { release: () => void } {
  let release: () => void = () => {};
  const released = new Promise<void>((resolve) => {
    release = resolve;
  });
  server.use(
    http.post(BUCKET_URL, async () => {
      await released;
      return undefined;
    }),
  );
  return { release };
}

/** The policy endpoint answers 500 once, then as usual. */
export function failBackendOnce(url = REUSABLE_POLICY): void {
  server.use(http.post(url, () => new HttpResponse('Internal Server Error', { status: 500 }), { once: true }));
}

/** Never answers: for canceling while the kit waits for a policy. */
export function stallBackend(url = REUSABLE_POLICY): void {
  server.use(
    http.post(url, async () => {
      await delay('infinite');
      return HttpResponse.json({});
    }),
  );
}

export function withClient(ui: React.ReactElement, client: QueryClient): React.ReactElement {
  return <QueryClientProvider client={client}>{ui}</QueryClientProvider>;
}

export function renderStrict(ui: React.ReactElement): RenderResult {
  return render(<React.StrictMode>{ui}</React.StrictMode>);
}

/** useS3Upload in a QueryClientProvider (a fresh client unless one is given). */
export function renderUpload(options: UseS3UploadOptions, client = new QueryClient()) {
  return renderHook(() => useS3Upload(options), {
    wrapper: ({ children }) => <QueryClientProvider client={client}>{children}</QueryClientProvider>,
  });
}

/** A promise the test opens when it chooses: a handler awaits `opened`, the test calls open(). */
export function gate(): { opened: Promise<void>; open: () => void } {
  let open = (): void => undefined;
  const opened = new Promise<void>((resolve) => {
    open = resolve;
  });
  return { opened, open };
}
