// The demo page (demo/App.tsx) as the browser suite drives it: its switches, its two uploaders and the
// diagnostics panel, found by role, label and test id as a visitor (or a screen reader) finds them;
// plus what the page sent to S3 and any error it threw, seen from outside it.

import type { Browser, BrowserContext, CDPSession, Locator, Page } from 'playwright-core';

export interface S3Exchange {
  readonly method: string;
  readonly url: string;
  /** The answer's status; undefined while in flight or when the request failed (canceled, network). */
  status: number | undefined;
  /** net::ERR_ABORTED and the like, when the browser gave up on the request. */
  failure: string | undefined;
}

export interface DemoPage {
  readonly page: Page;
  readonly dropIn: Locator;
  readonly custom: Locator;
  readonly diagnostics: Locator;
  /** The drop-in <Uploader>'s file input (hidden but present, as react-dropzone's). */
  readonly dropInInput: Locator;
  /** One <Uploader> row, by file name. */
  row(name: string): Locator;
  selectShape(shape: string): Promise<void>;
  selectMistake(mistake: string): Promise<void>;
  /** Every request the page made to the S3 endpoint (the preflight OPTIONS included). */
  readonly s3Requests: readonly S3Exchange[];
  /** Every request the page made to its backend, as "POST /api/policy/aws-sdk". */
  readonly apiRequests: readonly string[];
  /** Uncaught exceptions in the page. */
  readonly pageErrors: readonly string[];
  /** Slows the page's uploads to `bytesPerSecond` (Chromium's network emulation), or lifts the limit with undefined. */
  throttleUploads(bytesPerSecond: number | undefined): Promise<void>;
  /**
   * Takes the page offline as DevTools' "Offline" does (navigator.onLine false, the `offline` event,
   * requests failing with net::ERR_INTERNET_DISCONNECTED), or back online with the throttle it had.
   */
  setOffline(offline: boolean): Promise<void>;
  screenshot(path: string): Promise<void>;
  close(): Promise<void>;
}

export async function openDemoPage(browser: Browser, url: string, s3Endpoint: string): Promise<DemoPage> {
  const context: BrowserContext = await browser.newContext({
    viewport: { width: 1280, height: 900 },
    // No width transitions on the progress bars: a screenshot shows the value the page holds.
    reducedMotion: 'reduce',
  });
  const page = await context.newPage();
  const s3Requests: S3Exchange[] = [];
  const apiRequests: string[] = [];
  const pageErrors: string[] = [];
  const exchanges = new Map<object, S3Exchange>();
  page.on('pageerror', (error) => pageErrors.push(error.stack ?? error.message));
  page.on('request', (request) => {
    const { origin, pathname } = new URL(request.url());
    if (origin === new URL(url).origin && pathname.startsWith('/api/')) apiRequests.push(`${request.method()} ${pathname}`);
    if (!request.url().startsWith(s3Endpoint)) return;
    const exchange: S3Exchange = { method: request.method(), url: request.url(), status: undefined, failure: undefined };
    exchanges.set(request, exchange);
    s3Requests.push(exchange);
  });
  page.on('response', (response) => {
    const exchange = exchanges.get(response.request());
    if (exchange) exchange.status = response.status();
  });
  page.on('requestfailed', (request) => {
    const exchange = exchanges.get(request);
    if (exchange) exchange.failure = request.failure()?.errorText ?? 'failed';
  });

  await page.goto(url);
  // The page asks the backend for its configuration first; the uploaders appear once it answers.
  await page.getByText('Real S3').waitFor();
  const dropIn = page.getByTestId('drop-in');
  await dropIn.waitFor();

  let cdp: CDPSession | undefined;
  let uploadThroughput = -1;
  // https://chromedevtools.github.io/devtools-protocol/tot/Network/#method-emulateNetworkConditions (-1: no limit)
  const emulate = async (offline: boolean): Promise<void> => {
    cdp ??= await context.newCDPSession(page);
    await cdp.send('Network.enable');
    await cdp.send('Network.emulateNetworkConditions', { offline, latency: 0, downloadThroughput: -1, uploadThroughput });
  };
  return {
    page,
    dropIn,
    custom: page.getByTestId('custom-ui'),
    diagnostics: page.getByTestId('diagnostics'),
    dropInInput: dropIn.locator('input[type="file"]'),
    row: (name) => dropIn.locator('.s3u-row').filter({ has: page.getByText(name, { exact: true }) }),
    selectShape: async (shape) => void (await page.getByLabel('Answer shape').selectOption(shape)),
    selectMistake: async (mistake) => void (await page.getByLabel('Backend mistake').selectOption(mistake)),
    s3Requests,
    apiRequests,
    pageErrors,
    async throttleUploads(bytesPerSecond) {
      uploadThroughput = bytesPerSecond ?? -1;
      await emulate(false);
    },
    setOffline: emulate,
    screenshot: async (path) => void (await page.screenshot({ path, fullPage: true })),
    async close() {
      await cdp?.detach();
      await context.close();
    },
  };
}
