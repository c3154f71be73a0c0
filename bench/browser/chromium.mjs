// Debian's Chromium through playwright-core (no browser download), headless, quiet, self-contained.

import { chromium } from 'playwright-core';

export const CHROMIUM_PATH = process.env.CHROMIUM ?? '/usr/bin/chromium';

const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

export function launchChromium() {
  return chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: ARGS });
}

/** A fresh page on the bench page, once window.bench is there. Errors in the page are thrown by `errors()`. */
export async function openBenchPage(browser, url) {
  const context = await browser.newContext();
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (error) => errors.push(error.stack ?? error.message));
  await page.goto(url);
  await page.waitForFunction(() => window.bench !== undefined, undefined, { timeout: 60_000 });
  return {
    page,
    context,
    errors: () => errors,
    close: () => context.close(),
  };
}
