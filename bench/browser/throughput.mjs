// Throughput: a 256 MB file sent by the kit (uploadFile, policy from the demo backend) and by a raw
// XMLHttpRequest FormData POST with the same fields (bench/browser/page.tsx rawPost), in headless
// Chromium, to radosgw when it can start (else the embedded S3), interleaved kit, raw, kit, raw, ...
// after one unmeasured pair. Each time covers the policy request and the upload, until S3's answer.
// Also: multipart (the demo backend's /api/multipart/* presigned contract) vs one POST, interleaved the
// same way; both figures again over an emulated network uplink (Chromium's CDP throttling); and the JS
// heap during a multipart upload.

import { randomFillSync } from 'node:crypto';
import { mkdtemp, open, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openBenchPage } from './chromium.mjs';
import { startEmbeddedTarget, startRadosgwTarget } from './s3-targets.mjs';

const MiB = 1024 * 1024;
const SIZE = 256 * MiB;
/** The kit's default part size (DEFAULT_PART_SIZE in src/core/multipart/plan.ts): multipart runs leave partSize out. */
const PART_SIZE = 8 * MiB;
/** Other part sizes measured on loopback, for users choosing `multipart.partSize`. */
const OTHER_PART_SIZES = [16 * MiB, 32 * MiB, 64 * MiB];
const SETTLE_MS = 500;
/** The emulated uplink of the second set of throughput figures: about a second of latency-free bytes is 50 MB. */
const LINK = { megabitsPerSecond: 400, latencyMs: 20 };
// Uploads over the link take about 5.4 s each, and link-bound times vary little: fewer pairs.
const LINK_PAIRS = Math.max(1, Number(process.env.BENCH_LINK_PAIRS ?? 3));

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
  const fileDir = await mkdtemp(join(tmpdir(), 's3du-bench-'));
  try {
    const { page } = bench;
    // A file on disk, chosen through a file input as a user would (see takeChosenFile in page.tsx).
    const path = await writeRandomFile(join(fileDir, 'bench-256MiB.bin'), SIZE);
    await page.setInputFiles('#bench-file', path);
    const taken = await page.evaluate(() => window.bench.takeChosenFile());
    if (taken !== SIZE) throw new Error(`the page took a file of ${taken} bytes, not ${SIZE}`);
    const once = async (kind, name, ...args) => {
      const result = await page.evaluate(([k, n, a]) => window.bench[k](n, ...a), [kind, `${name}.bin`, args]);
      await s3.cleanup(result.key);
      // A moment for the store to finish its own work on the deletion before the next measured upload.
      await new Promise((resolve) => setTimeout(resolve, SETTLE_MS));
      return result;
    };

    // A warm-up pair, then `pairs` measured pairs a, b, a, b, ...; the figure is the median of the per-pair ratios.
    const interleaved = async (pairs, [aLabel, aKind, ...aArgs], [bLabel, bKind, ...bArgs]) => {
      await once(aKind, `warm-${aLabel}`, ...aArgs);
      await once(bKind, `warm-${bLabel}`, ...bArgs);
      const a = [];
      const b = [];
      for (let pair = 0; pair < pairs; pair += 1) {
        a.push(await once(aKind, `${aLabel}-${pair}`, ...aArgs));
        b.push(await once(bKind, `${bLabel}-${pair}`, ...bArgs));
        log(`  pair ${pair + 1}: ${aLabel} ${seconds(a.at(-1).ms)}, ${bLabel} ${seconds(b.at(-1).ms)}`);
      }
      const aMs = a.map((run) => run.ms);
      const bMs = b.map((run) => run.ms);
      const ratios = aMs.map((ms, index) => ms / bMs[index]);
      const ratio = median(ratios);
      const summary =
        `${ratio.toFixed(3)} (ratios ${ratios.map((r) => r.toFixed(2)).join(' ')}; median times ` +
        `${aLabel} ${seconds(median(aMs))} ≈ ${rate(median(aMs))}, ${bLabel} ${seconds(median(bMs))} ≈ ${rate(median(bMs))}, ` +
        `their ratio ${(median(aMs) / median(bMs)).toFixed(3)})`;
      /** The median milliseconds `a` spent in a backend endpoint. */
      const backendMs = (endpoint) => median(a.map((run) => run.backendMs[endpoint] ?? 0));
      return { ratio, summary, backendMs };
    };
    const KIT_POST = ['kit', 'kitPost'];
    const RAW_POST = ['raw', 'rawPost'];
    const MULTIPART = ['multipart', 'kitMultipart'];
    const multipartOf = (partSize) => [`multipart-${partSize / MiB}MiB`, 'kitMultipart', partSize];
    const POST = ['POST', 'kitPost'];
    const partsHow = `${PART_SIZE / MiB} MiB parts (the default), 4 at once`;
    // Multipart's serial steps, which a single POST does not have: creating the upload, and completing it
    // (the store assembling the parts; radosgw takes tens of milliseconds).
    const serialSteps = ({ backendMs }) =>
      `; of which create ${backendMs('multipart/create').toFixed(0)} ms and complete ${backendMs('multipart/complete').toFixed(0)} ms (medians)`;

    log(`throughput: ${PAIRS} pairs kit/raw of 256 MiB to ${s3.name}`);
    const rows = [
      {
        figure: 'Throughput: kit POST / raw XHR POST time (median of pair ratios)',
        value: (await interleaved(PAIRS, KIT_POST, RAW_POST)).summary,
        target: '≤ 1.03',
        how: where,
      },
    ];
    log(`multipart: ${PAIRS} pairs multipart/POST`);
    rows.push({
      figure: 'Throughput: kit multipart / kit single POST time (median)',
      value: await (async () => {
        const measured = await interleaved(PAIRS, MULTIPART, POST);
        return `${measured.summary}; ${partsHow}${serialSteps(measured)}`;
      })(),
      target: '≤ 1.03',
      how: where,
    });
    log(`multipart part sizes: ${LINK_PAIRS} pairs each of ${OTHER_PART_SIZES.map((size) => `${size / MiB} MiB`).join(', ')}`);
    const bySize = [];
    for (const partSize of OTHER_PART_SIZES) {
      const measured = await interleaved(LINK_PAIRS, multipartOf(partSize), POST);
      bySize.push(`${partSize / MiB} MiB ${measured.ratio.toFixed(3)}`);
    }
    rows.push({
      figure: 'Throughput: kit multipart / kit single POST with larger parts (median)',
      value: `${bySize.join(', ')} (4 at once)`,
      target: '—',
      how: where.replace(`${PAIRS} pairs`, `${LINK_PAIRS} pairs each`),
    });

    // On loopback an upload of 256 MiB takes about a second, so a few round trips (multipart's create,
    // signing and complete) weigh several per cent. Over a network link the bytes dominate: the same
    // pairs again with Chromium's network emulation (CDP), whose upload throughput is shared by all of
    // the page's requests (4 parts at once share it as they would share a real uplink) and whose latency
    // delays every request, the backend's included.
    const link = await emulatedLink(bench, LINK);
    try {
      const linkWhere = `${where.replace(`${PAIRS} pairs`, `${LINK_PAIRS} pairs`)}, through ${link.name}`;
      log(`throughput over ${link.name}: ${LINK_PAIRS} pairs kit/raw, then ${LINK_PAIRS} pairs multipart/POST`);
      rows.push({
        figure: `Throughput over ${link.name}: kit POST / raw XHR POST (median)`,
        value: (await interleaved(LINK_PAIRS, KIT_POST, RAW_POST)).summary,
        target: '≤ 1.03',
        how: linkWhere,
      });
      rows.push({
        figure: `Throughput over ${link.name}: kit multipart / kit single POST (median)`,
        value: await (async () => {
          const measured = await interleaved(LINK_PAIRS, MULTIPART, POST);
          return `${measured.summary}; ${partsHow}${serialSteps(measured)}`;
        })(),
        target: '≤ 1.03',
        how: linkWhere,
      });
    } finally {
      await link.stop();
    }

    const heap = await heapGrowth(bench, () => once('kitMultipart', 'heap-multipart'));
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
    await rm(fileDir, { recursive: true, force: true });
    server.setApi(undefined);
    await s3.stop();
    if (errors.length > 0) log(`page errors: ${errors.join('\n')}`);
  }
}

/** `size` bytes at `path`: 1 MiB of random bytes, repeated. */
async function writeRandomFile(path, size) {
  const chunk = randomFillSync(Buffer.alloc(MiB));
  const file = await open(path, 'w');
  try {
    for (let written = 0; written < size; written += chunk.length) await file.write(chunk, 0, Math.min(chunk.length, size - written));
  } finally {
    await file.close();
  }
  return path;
}

/** Chromium's network emulation (CDP Network.emulateNetworkConditions) on the bench page until `stop()`. */
async function emulatedLink(bench, { megabitsPerSecond, latencyMs }) {
  const cdp = await bench.context.newCDPSession(bench.page);
  await cdp.send('Network.enable');
  const bytesPerSecond = (megabitsPerSecond * 1_000_000) / 8;
  await cdp.send('Network.emulateNetworkConditions', {
    offline: false,
    latency: latencyMs,
    downloadThroughput: -1,
    uploadThroughput: bytesPerSecond,
  });
  return {
    name: `an emulated ${megabitsPerSecond} Mbit/s uplink with ${latencyMs} ms latency`,
    stop: async () => {
      await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 0, downloadThroughput: -1, uploadThroughput: -1 });
      await cdp.detach();
    },
  };
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
