// Throughput: a 256 MB file sent by the kit (uploadFile, policy from the demo backend) and by a raw
// XMLHttpRequest FormData POST with the same fields (bench/browser/page.tsx rawPost), in headless
// Chromium, to radosgw when it can start (else the embedded S3), interleaved kit, raw, kit, raw, ...
// after one unmeasured pair. Each time covers the policy request and the upload, until S3's answer.
// Also: multipart (the demo backend's /api/multipart/* presigned contract) vs one POST, interleaved the
// same way, and the JS heap during a multipart upload.

import { openBenchPage } from './chromium.mjs';
import { startEmbeddedTarget, startRadosgwTarget } from './s3-targets.mjs';

const MiB = 1024 * 1024;
const SIZE = 256 * MiB;
const PART_SIZE = 16 * MiB;
const SETTLE_MS = 500;

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
};
const seconds = (ms) => `${(ms / 1000).toFixed(2)} s`;
const rate = (ms) => `${(SIZE / MiB / (ms / 1000)).toFixed(0)} MiB/s`;

/** @returns {Promise<Array<{ figure: string, value: string, target: string, how: string }>>} */
export async function throughputBenchmarks({ server, browser, log }) {
  let s3 =
    process.env.BENCH_S3 === 'embedded'
      ? { unavailable: 'BENCH_S3=embedded' }
      : await startRadosgwTarget({ maxSize: 300 * MiB });
  let fallback = '';
  if ('unavailable' in s3) {
    fallback = ` (radosgw unavailable: ${s3.unavailable})`;
    log(`radosgw unavailable, using the embedded S3: ${s3.unavailable}`);
    s3 = await startEmbeddedTarget({ maxSize: 300 * MiB });
  }
  // radosgw takes 256 MiB in about a second; the embedded S3 (Node) in about ten, hence fewer pairs there.
  const PAIRS = Math.max(1, Number(process.env.BENCH_PAIRS ?? (fallback ? 5 : 7)));
  const where = `Chromium headless → ${s3.name}${fallback}, 256 MiB, ${PAIRS} pairs`;
  server.setApi(s3.api);
  const bench = await openBenchPage(browser, server.url);
  try {
    const { page } = bench;
    await page.evaluate((size) => window.bench.makeFile(size), SIZE);
    const once = async (kind, name, ...args) => {
      const result = await page.evaluate(([k, n, a]) => window.bench[k](n, ...a), [kind, `${name}.bin`, args]);
      await s3.cleanup(result.key);
      // A moment for the store to finish its own work on the deletion before the next measured upload.
      await new Promise((resolve) => setTimeout(resolve, SETTLE_MS));
      return result;
    };

    log(`throughput: warm-up pair, then ${PAIRS} pairs kit/raw of 256 MiB to ${s3.name}`);
    await once('kitPost', 'warm-kit');
    await once('rawPost', 'warm-raw');
    const kit = [];
    const raw = [];
    for (let pair = 0; pair < PAIRS; pair += 1) {
      kit.push((await once('kitPost', `kit-${pair}`)).ms);
      raw.push((await once('rawPost', `raw-${pair}`)).ms);
      log(`  pair ${pair + 1}: kit ${seconds(kit.at(-1))}, raw ${seconds(raw.at(-1))}`);
    }
    const ratios = kit.map((ms, index) => ms / raw[index]);
    const rows = [
      {
        figure: 'Throughput: kit POST / raw XHR POST time (median of pair ratios)',
        value: `${median(ratios).toFixed(3)} (ratios ${ratios.map((r) => r.toFixed(2)).join(' ')}; median times kit ${seconds(median(kit))} ≈ ${rate(median(kit))}, raw ${seconds(median(raw))} ≈ ${rate(median(raw))}, their ratio ${(median(kit) / median(raw)).toFixed(3)})`,
        target: '≤ 1.03',
        how: where,
      },
    ];

    // Multipart vs one POST, and the JS heap during a multipart upload.
    log(`multipart: warm-up, then ${PAIRS} pairs multipart/POST`);
    await once('kitMultipart', 'warm-multipart', PART_SIZE);
    const parts = [];
    const posts = [];
    for (let pair = 0; pair < PAIRS; pair += 1) {
      parts.push((await once('kitMultipart', `multipart-${pair}`, PART_SIZE)).ms);
      posts.push((await once('kitPost', `post-${pair}`)).ms);
      log(`  pair ${pair + 1}: multipart ${seconds(parts.at(-1))}, POST ${seconds(posts.at(-1))}`);
    }
    const partRatios = parts.map((ms, index) => ms / posts[index]);
    rows.push({
      figure: 'Throughput: kit multipart / kit single POST time (median)',
      value: `${median(partRatios).toFixed(3)} (ratios ${partRatios.map((r) => r.toFixed(2)).join(' ')}; median times multipart ${seconds(median(parts))} (${PART_SIZE / MiB} MiB parts, 4 at once), POST ${seconds(median(posts))}, their ratio ${(median(parts) / median(posts)).toFixed(3)})`,
      target: '≤ 1.03',
      how: where,
    });
    const heap = await heapGrowth(bench, () => once('kitMultipart', 'heap-multipart', PART_SIZE));
    rows.push({
      figure: 'Memory: JS heap growth during a 256 MiB multipart upload',
      value: `${(heap.growth / MiB).toFixed(1)} MiB (heap ${(heap.baseline / MiB).toFixed(1)} MiB before, ${(heap.peak / MiB).toFixed(1)} MiB at most, ${heap.samples} samples)`,
      target: '—',
      how: `${where.split(',')[0]}; CDP Performance.getMetrics JSHeapUsedSize every 50 ms, after a forced GC`,
    });
    return rows;
  } finally {
    const errors = bench.errors();
    await bench.close();
    server.setApi(undefined);
    await s3.stop();
    if (errors.length > 0) log(`page errors: ${errors.join('\n')}`);
  }
}

/** The largest JSHeapUsedSize seen while `run` goes, above the one measured just before (after a GC). */
async function heapGrowth(bench, run) {
  const cdp = await bench.context.newCDPSession(bench.page);
  await cdp.send('Performance.enable');
  await cdp.send('HeapProfiler.collectGarbage');
  const read = async () => {
    const { metrics } = await cdp.send('Performance.getMetrics');
    return metrics.find((metric) => metric.name === 'JSHeapUsedSize')?.value ?? 0;
  };
  const baseline = await read();
  let peak = baseline;
  let samples = 0;
  let running = true;
  const sampler = (async () => {
    while (running) {
      peak = Math.max(peak, await read());
      samples += 1;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  })();
  try {
    await run();
  } finally {
    running = false;
    await sampler;
    await cdp.detach();
  }
  return { baseline, peak, growth: peak - baseline, samples };
}
