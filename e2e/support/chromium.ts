// Debian's Chromium for the browser suite, driven through playwright-core (no browser download: the
// system binary). The flags keep a headless run quiet and self-contained: no GPU, no sandbox (CI runs as
// root), no background traffic to Google, no QUIC. playwright-core gives every launch a fresh temporary
// --user-data-dir and removes it on close.

import { accessSync, constants } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';

export const CHROMIUM_PATH = process.env['CHROMIUM'] ?? '/usr/bin/chromium';

export const CHROMIUM_ARGS: readonly string[] = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];

const INSTALL = 'apt-get install -y --no-install-recommends chromium';

/**
 * Why the browser suite cannot run on this machine, or undefined when it can. Only a developer's machine
 * may skip: under CI (`CI` set) a missing Chromium is a broken setup, so this throws.
 */
export function chromiumUnavailable(env: NodeJS.ProcessEnv = process.env): string | undefined {
  try {
    accessSync(CHROMIUM_PATH, constants.X_OK);
    return undefined;
  } catch {
    const reason = `Chromium is not installed at ${CHROMIUM_PATH} (install it with \`${INSTALL}\`, or set CHROMIUM to another binary)`;
    if (env['CI']) throw new Error(`${reason}. CI must run the browser suite, so this is a failure, not a skip.`);
    return reason;
  }
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: [...CHROMIUM_ARGS] });
}
