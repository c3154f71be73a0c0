// `npm run bench`: installs the benchmark's own dependencies (bench/package.json) when they are missing,
// runs every benchmark and prints one table. Benchmarks print figures; they never fail on a timing
// (the size budget has its own check: node bench/size-check.mjs). Progress goes to stderr.
//   BENCH_PAIRS=n        pairs of 256 MiB uploads per loopback throughput figure (default 7; 5 on the embedded S3)
//   BENCH_LINK_PAIRS=n   pairs per throughput figure over the emulated uplink, and per larger part size (default 3)
//   BENCH_S3=embedded    throughput against the demo's embedded S3 even when radosgw is installed

import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { fileURLToPath } from 'node:url';

const BENCH = fileURLToPath(new URL('./', import.meta.url));
const log = (message) => console.error(`[bench] ${message}`);
const started = Date.now();

const NEEDED = ['@uppy/core', '@uppy/aws-s3', 'fine-uploader'];
if (NEEDED.some((name) => !existsSync(`${BENCH}node_modules/${name}/package.json`))) {
  log('installing the benchmark dependencies: npm --prefix bench ci');
  const installed = spawnSync('npm', ['--prefix', BENCH, 'ci', '--no-audit', '--no-fund'], { stdio: ['ignore', 2, 2] });
  if (installed.status !== 0) throw new Error(`npm --prefix bench ci failed (exit ${installed.status})`);
}

// Imported after the install: they resolve packages from bench/node_modules and the repository's.
const { measureAll, bundleRows } = await import('./bundle/report.mjs');
const { startBenchServer } = await import('./browser/server.mjs');
const { launchChromium } = await import('./browser/chromium.mjs');
const { throughputBenchmarks } = await import('./browser/throughput.mjs');
const { renderBenchmarks } = await import('./browser/renders.mjs');

/** @type {Array<{ figure: string, value: string, target: string, how: string }>} */
const rows = [];
const failed = (figure, error) => {
  log(`${figure} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  rows.push({ figure, value: `not measured: ${String(error instanceof Error ? error.message : error).split('\n')[0]}`, target: '—', how: '—' });
  // A broken harness is not a timing: the table is still printed, and the exit status says it.
  process.exitCode = 1;
};

log('bundle sizes');
// vite build() sets process.env.NODE_ENV to "production" for the rest of the process; the bench page's
// dev server would then pre-bundle React's production build, whose <Profiler> reports nothing.
const nodeEnv = process.env.NODE_ENV;
try {
  rows.push(...bundleRows(await measureAll()));
} catch (error) {
  failed('Bundle sizes', error);
} finally {
  if (nodeEnv === undefined) delete process.env.NODE_ENV;
  else process.env.NODE_ENV = nodeEnv;
}

let server;
let browser;
let chromiumVersion = 'Chromium ?';
try {
  server = await startBenchServer();
  browser = await launchChromium();
  chromiumVersion = `Chromium ${browser.version()}`;
  // The first visit makes Vite transform the page's modules; later visits load at once.
  const warm = await browser.newPage();
  await warm.goto(server.url);
  await warm.waitForFunction(() => window.bench !== undefined, undefined, { timeout: 60_000 });
  await warm.close();
  for (const [figure, run] of [
    ['Throughput', throughputBenchmarks],
    ['Renders and policy reuse', renderBenchmarks],
  ]) {
    try {
      rows.push(...(await run({ server, browser, log })));
    } catch (error) {
      failed(figure, error);
    }
  }
} catch (error) {
  failed('Browser benchmarks', error);
} finally {
  await browser?.close().catch((error) => log(`closing Chromium: ${error}`));
  await server?.stop().catch((error) => log(`stopping the bench server: ${error}`));
}

const cpu = cpus()[0]?.model.replace(/\s+/g, ' ').trim() ?? 'unknown CPU';
const kitVersion = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')).version;
rows.push({
  figure: 'Machine / date',
  value: `${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC; ${cpus().length} × ${cpu}, ${Math.round(totalmem() / 2 ** 30)} GiB; Node ${process.version}; ${chromiumVersion}; s3-direct-upload ${kitVersion}`,
  target: '',
  how: `npm run bench, ${((Date.now() - started) / 1000).toFixed(0)} s`,
});

console.log(markdownTable(['Figure', 'Value', 'Target', 'Measured'], rows.map((row) => [row.figure, row.value, row.target, row.how])));

function markdownTable(header, body) {
  const cell = (text) => String(text).replace(/\|/g, '\\|');
  return [header, header.map(() => '---'), ...body].map((line) => `| ${line.map(cell).join(' | ')} |`).join('\n');
}
