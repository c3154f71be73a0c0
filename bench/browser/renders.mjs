// Renders and policy reuse, in headless Chromium against the embedded S3, throttled so the uploads take a
// few seconds (the demo's DEMO_S3_THROTTLE, per upload).
//   Renders: 100 files chosen at once in <Uploader> (concurrency 100) inside a React Profiler: commits per
//   second (onRender calls over the run) and renders of rows whose upload snapshot did not change (counted
//   by bench/browser/counting-row.tsx in front of the real memoized row).
//   Policy reuse: 100 small files through useS3Upload; the bench server counts POST /api/policy/aws-sdk.
// The page runs React's development build (Vite dev server): the counts do not depend on it, the
// durations of each render would.

import { openBenchPage } from './chromium.mjs';
import { startEmbeddedTarget } from './s3-targets.mjs';

const FILES = 100;
const KiB = 1024;
const MiB = 1024 * KiB;
const FILE_SIZE = 1 * MiB;
const THROTTLE = 4 * MiB;
const POLICY_CALL = 'POST /api/policy/aws-sdk';

export async function renderBenchmarks({ server, browser, log }) {
  const s3 = await startEmbeddedTarget({ maxSize: 10 * MiB, bytesPerSecond: THROTTLE });
  server.setApi(s3.api);
  const where = `Chromium headless (React dev build) → ${s3.name}`;
  const rows = [];
  let bench;
  try {
    bench = await openBenchPage(browser, server.url);
    log(`renders: ${FILES} files of ${FILE_SIZE / MiB} MiB through <Uploader>, S3 reading ${THROTTLE / MiB} MiB/s per upload`);
    server.resetCalls();
    const figures = await bench.page.evaluate(([count, size]) => window.bench.renders(count, size), [FILES, FILE_SIZE]);
    const renderPolicyCalls = server.calls().get(POLICY_CALL) ?? 0;
    log(`  ${JSON.stringify(figures)}; policy calls ${renderPolicyCalls}`);
    rows.push({
      figure: `Renders: React commits per second, ${FILES} files uploading in <Uploader>`,
      value: `${figures.commitsPerSecond.toFixed(1)} (${figures.commits} commits in ${(figures.durationMs / 1000).toFixed(1)} s; peak ${figures.peakCommitsInOneSecond} in one second; ${figures.succeeded}/${FILES} uploaded)`,
      target: '≤ 60',
      how: `${where}; React Profiler onRender`,
    });
    rows.push({
      figure: 'Renders: renders of rows whose file did not change',
      value: `${figures.idleRowRenders} (of ${figures.rowRenders} row renders)`,
      target: '0',
      how: `${where}; a counting memo wrapper over UploadRow`,
    });

    log(`policy reuse: ${FILES} files through useS3Upload`);
    await bench.page.reload();
    await bench.page.waitForFunction(() => window.bench !== undefined);
    server.resetCalls();
    const reuse = await bench.page.evaluate((count) => window.bench.policyReuse(count), FILES);
    const calls = server.calls().get(POLICY_CALL) ?? 0;
    if (reuse.failures.length > 0) log(`  failures: ${[...new Set(reuse.failures)].join(' | ')}`);
    rows.push({
      figure: `Policy reuse: backend policy calls for ${FILES} files under a prefix policy`,
      value: `${calls} (useS3Upload, ${reuse.succeeded}/${FILES} uploaded; <Uploader> run above: ${renderPolicyCalls})`,
      target: '1',
      how: `Chromium headless → ${s3.name}; POSTs to /api/policy/aws-sdk counted by the bench server`,
    });
    return rows;
  } finally {
    const errors = bench?.errors() ?? [];
    await bench?.close();
    server.setApi(undefined);
    await s3.stop();
    if (errors.length > 0) log(`page errors: ${errors.join('\n')}`);
  }
}
