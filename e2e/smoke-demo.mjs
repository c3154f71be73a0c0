// Smoke test of the demo in a real browser: starts the demo's dev server (vite --config demo/vite.config.ts,
// embedded S3 read at 1.5 MB/s), opens the page in Debian's Chromium through playwright-core, and goes
// through it as a visitor would: a PNG through the drop-in <Uploader> (progress seen, the image read
// back from S3), two files through the custom useS3Upload UI, a file in sign-my-policy mode, then the
// backend mistakes: uppercase-hex (stored, with the kit's warning), v2-field-names (refused by the kit
// before sending) and wrong-secret (refused by S3, with its evidence). Screenshots go to e2e/artifacts/:
// demo-idle, demo-uploading, demo-done, demo-warning, demo-error, demo-s3-error, demo-dark.
//
//   node e2e/smoke-demo.mjs            (CHROMIUM=/path/to/chromium to use another binary)
//
// Everything it starts (the dev server, the browser, its profile directory) is stopped and removed at the end.

import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { crc32, deflateSync } from 'node:zlib';
import { chromium } from 'playwright-core';

const repo = join(dirname(fileURLToPath(import.meta.url)), '..');
const artifacts = join(repo, 'e2e', 'artifacts');
const executablePath = process.env.CHROMIUM ?? '/usr/bin/chromium';
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];

/**
 * A real PNG (so the page can show it back): a colour gradient, `width` x `height`, RGB, with random
 * low bits so that it does not compress and the upload is big enough to report progress.
 */
function gradientPng(width, height) {
  const rows = [];
  for (let y = 0; y < height; y++) {
    const row = Buffer.alloc(1 + width * 3);
    for (let x = 0; x < width; x++) {
      const noise = () => Math.floor(Math.random() * 24);
      row[1 + x * 3] = Math.min(255, Math.round((230 * x) / width) + noise());
      row[2 + x * 3] = Math.min(255, Math.round((230 * y) / height) + noise());
      row[3 + x * 3] = 170 + noise();
    }
    rows.push(row);
  }
  const chunk = (type, data) => {
    const length = Buffer.alloc(4);
    length.writeUInt32BE(data.length);
    const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(body));
    return Buffer.concat([length, body, crc]);
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 2, 0, 0, 0], 8); // 8-bit RGB
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(Buffer.concat(rows))),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

/** Starts the demo's dev server and resolves with its URL once it is ready. */
function startDemo() {
  const child = spawn(process.execPath, [join(repo, 'node_modules', 'vite', 'bin', 'vite.js'), '--config', 'demo/vite.config.ts'], {
    cwd: repo,
    // A free port for the embedded S3, so a running `npm run demo` does not get in the way, and uploads
    // at 1.5 MB/s, slow enough for the progress bar to move over loopback.
    env: { ...process.env, DEMO_S3_PORT: '0', DEMO_S3_THROTTLE: '1500000', NO_COLOR: '1', FORCE_COLOR: '0' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const ready = new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`The demo did not start within 30 s:\n${output}`)), 30_000);
    const read = (chunk) => {
      output += chunk.toString();
      const match = /Local:\s+(http:\/\/\S+)/.exec(output.replace(/\x1b\[[0-9;]*m/g, ''));
      if (match) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    };
    child.stdout.on('data', read);
    child.stderr.on('data', read);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`The demo exited with ${code}:\n${output}`));
    });
  });
  return { child, ready, output: () => output };
}

function stop(child) {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

async function main() {
  await mkdir(artifacts, { recursive: true });
  const profile = await mkdtemp(join(tmpdir(), 'demo-smoke-chromium-'));
  const demo = startDemo();
  let context;
  try {
    const url = await demo.ready;
    console.log(`demo at ${url}`);
    context = await chromium.launchPersistentContext(profile, {
      executablePath,
      headless: true,
      args: CHROMIUM_ARGS,
      viewport: { width: 1280, height: 900 },
      // No width transitions on the progress bars: a screenshot shows the value the page holds.
      reducedMotion: 'reduce',
    });
    const page = context.pages()[0] ?? (await context.newPage());
    const problems = [];
    page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
    page.on('console', (message) => {
      if (message.type() === 'error') problems.push(`console error: ${message.text()}`);
    });
    const shot = (name) => page.screenshot({ path: join(artifacts, `${name}.png`), fullPage: true });

    const dropIn = page.getByTestId('drop-in');
    const custom = page.getByTestId('custom-ui');
    const diagnostics = page.getByTestId('diagnostics');
    const inFlight = page.getByTestId('in-flight');
    const shape = page.getByLabel('Answer shape');
    const mistake = page.getByLabel('Backend mistake');
    /** Waits until no upload is in flight anywhere (the box that reads the mutation cache says 0). */
    const settled = () => inFlight.filter({ hasText: /^0 uploads in flight$/ }).waitFor({ timeout: 30_000 });
    const text = (name, body) => ({ name, mimeType: 'text/plain', buffer: Buffer.from(body) });

    await page.goto(url);
    await page.getByText('Embedded S3 emulator').waitFor();
    await dropIn.waitFor();
    await shot('demo-idle');

    // 1. A real image through <Uploader> (about 7 MB at 1.5 MB/s: the first few MB vanish into socket
    //    buffers at once), its progress bar seen moving, and the image read back from S3.
    await page.evaluate(() => {
      const seen = [];
      window.__progressSeen = seen;
      new MutationObserver((records) => {
        for (const record of records) {
          const value = Number(record.target.getAttribute('aria-valuenow'));
          if (seen.at(-1) !== value) seen.push(value);
        }
      }).observe(document.querySelector('[data-testid="drop-in"]'), { subtree: true, attributes: true, attributeFilter: ['aria-valuenow'] });
    });
    const png = gradientPng(2000, 1500);
    await dropIn.locator('input[type="file"]').setInputFiles({ name: 'gradient.png', mimeType: 'image/png', buffer: png });
    const row = dropIn.locator('.s3u-row').first();
    await page.waitForFunction(() => {
      const bar = document.querySelector('[data-testid="drop-in"] .s3u-row[data-status="uploading"] [role="progressbar"]');
      const value = Number(bar?.getAttribute('aria-valuenow'));
      return value >= 25 && value <= 75;
    }, undefined, { timeout: 30_000 });
    await shot('demo-uploading');
    await dropIn.locator('.s3u-row[data-status="success"]').waitFor({ timeout: 30_000 });
    const image = dropIn.locator('.gallery img').first();
    await image.waitFor();
    await page.waitForFunction((img) => img.complete && img.naturalWidth > 0, await image.elementHandle());
    const progress = await page.evaluate(() => window.__progressSeen);
    const between = progress.filter((value) => value > 0 && value < 100);
    console.log(`<Uploader>: ${png.length} bytes stored, progress seen: ${progress.join('% ')}%`);
    if (between.length < 2) throw new Error(`Expected the progress bar to move through several values, saw ${progress.join(', ')}`);
    const rowText = await row.innerText();
    if (!rowText.includes('Uploaded')) throw new Error(`Unexpected row:\n${rowText}`);
    await diagnostics.getByText('Stored in S3').waitFor();
    const facts = await diagnostics.locator('.facts').first().innerText();
    if (!/Key\s+uploads\/[0-9a-f-]{36}\/gradient\.png/.test(facts)) throw new Error(`Unexpected result facts:\n${facts}`);
    if (!/ETag\s+[0-9a-f]{32}/.test(facts)) throw new Error(`No ETag in the result:\n${facts}`);
    await diagnostics.getByRole('list', { name: 'Form fields, in the order sent' }).waitFor();
    const fields = await diagnostics.locator('.fields .field-name').allInnerTexts();
    console.log(`diagnostics: fields in order ${fields.join(', ')}`);
    if (fields.at(-1) !== 'file' || !fields.includes('X-Amz-Signature')) throw new Error(`Unexpected fields: ${fields.join(', ')}`);

    // 2. Two files at once through the custom UI; the total bar ends full.
    await settled();
    await custom.locator('input[type="file"]').setInputFiles([
      text('notes.txt', 'Meeting notes\n'.repeat(2000)),
      { name: 'small.png', mimeType: 'image/png', buffer: gradientPng(300, 200) },
    ]);
    await custom.locator('tbody tr[data-status="success"]').nth(1).waitFor({ timeout: 30_000 });
    const total = custom.getByRole('progressbar');
    if ((await total.getAttribute('aria-valuenow')) !== '100') throw new Error(`The total bar is at ${await total.getAttribute('aria-valuenow')}%`);
    const fill = await total.evaluate((bar) => bar.firstElementChild.getBoundingClientRect().width / bar.getBoundingClientRect().width);
    if (Math.abs(fill - 1) > 0.01) throw new Error(`The total bar says 100% but is ${Math.round(fill * 100)}% filled`);
    await settled();
    const recent = await page.getByRole('list', { name: 'Recent uploads, newest first' }).innerText();
    if ((recent.match(/stored/g) ?? []).length !== 3) throw new Error(`Expected 3 stored uploads in the mutation cache:\n${recent}`);
    await shot('demo-done');
    console.log('custom UI: two files stored; the mutation cache lists three stored uploads');

    // 3. Sign-my-policy: the page composes the policy, the backend only signs it.
    await shape.selectOption('sign-my-policy');
    await dropIn.locator('input[type="file"]').setInputFiles(text('signed.txt', 'signed by the backend'));
    await dropIn.locator('.s3u-row[data-status="success"]').nth(1).waitFor({ timeout: 30_000 });
    await diagnostics.getByText('signed-policy').waitFor();
    console.log('sign-my-policy: stored');

    // 4. uppercase-hex: the kit lowercases the signature, S3 takes it, and the page says what to fix.
    await settled();
    await shape.selectOption('boto3');
    await mistake.selectOption('uppercase-hex');
    await custom.locator('input[type="file"]').setInputFiles(text('upper.txt', 'uppercase hex'));
    await diagnostics.getByTestId('warnings').getByText('signature-uppercase-hex').waitFor({ timeout: 30_000 });
    await shot('demo-warning');
    console.log('uppercase-hex: stored, with the kit\'s warning');

    // 5. v2-field-names: the kit refuses the backend's answer before sending, and explains.
    await settled();
    await shape.selectOption('aws-sdk');
    await mistake.selectOption('v2-field-names');
    await dropIn.locator('input[type="file"]').setInputFiles(text('v2.txt', 'signature version 2'));
    await dropIn.locator('.s3u-row[data-status="error"]').waitFor({ timeout: 30_000 });
    const lastError = diagnostics.getByTestId('last-error');
    await lastError.getByText('v2-field-names').waitFor({ timeout: 30_000 });
    const errorText = await lastError.innerText();
    if (!errorText.includes('before sending a single byte') || !errorText.includes('How to fix it')) throw new Error(`Unexplained error:\n${errorText}`);
    await shot('demo-error');
    console.log('v2-field-names: refused before sending, explained');

    // 6. wrong-secret: only S3 can tell; the page shows its evidence.
    await settled();
    await shape.selectOption('flat');
    await mistake.selectOption('wrong-secret');
    await custom.locator('input[type="file"]').setInputFiles(text('secret.txt', 'wrong secret'));
    await lastError.getByText('SignatureDoesNotMatch').first().waitFor({ timeout: 30_000 });
    const evidence = await lastError.innerText();
    if (!evidence.includes('StringToSign') || !evidence.includes('RequestId')) throw new Error(`No S3 evidence:\n${evidence}`);
    await shot('demo-s3-error');
    console.log('wrong-secret: S3 answered SignatureDoesNotMatch, the page shows its evidence');

    // 7. The same page in dark mode.
    await page.emulateMedia({ colorScheme: 'dark' });
    await shot('demo-dark');
    await page.emulateMedia({ colorScheme: 'light' });

    // Failed requests the demo makes on purpose (S3's 403) show up as console errors; anything else is a problem.
    const unexpected = problems.filter((problem) => !/status of 403/.test(problem));
    if (unexpected.length > 0) throw new Error(`The page reported problems:\n${unexpected.join('\n')}`);
    console.log(`screenshots in ${artifacts}`);
  } finally {
    await context?.close();
    await stop(demo.child);
    await rm(profile, { recursive: true, force: true });
  }
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
