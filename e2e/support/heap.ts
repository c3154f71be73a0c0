// The page's JS heap while something runs in it, read through the Chrome DevTools Protocol
// (Performance.getMetrics, JSHeapUsedSize) rather than performance.memory, which Chromium rounds and
// updates only now and then. A garbage collection before and after makes "before" and "after" the live
// heap, not garbage waiting; "peak" is the largest sample, garbage included, as a user's tab would hold it.
// https://chromedevtools.github.io/devtools-protocol/tot/Performance/#method-getMetrics
//
// JSHeapUsedSize leaves out the bytes of ArrayBuffers (a part read with blob.arrayBuffer() lives outside
// the V8 heap: a 50 MB Uint8Array moves it by 0.1 MB), so the same samples also read the backing stores
// of ArrayBuffers (Runtime.getHeapUsage's backingStorageSize): a kit that copied parts into memory shows
// there. https://chromedevtools.github.io/devtools-protocol/tot/Runtime/#method-getHeapUsage

import type { BrowserContext, CDPSession, Page } from 'playwright-core';

export interface Figures {
  /** After a collection, before the work. Bytes. */
  readonly before: number;
  /** The largest sample during the work. Bytes. */
  readonly peak: number;
  /** After a collection, after the work. Bytes. */
  readonly after: number;
}

export interface HeapFigures extends Figures {
  /** The ArrayBuffers' backing stores, outside the JS heap. */
  readonly buffers: Figures;
  /** How many samples the peaks are the largest of. */
  readonly samples: number;
}

export interface HeapSampler {
  /** Stops sampling, collects garbage and reads the heap once more. */
  stop(): Promise<HeapFigures>;
}

/** Starts sampling `page`'s JS heap every `intervalMs`; the work to measure runs between this and stop(). */
export async function sampleHeap(context: BrowserContext, page: Page, intervalMs = 100): Promise<HeapSampler> {
  const cdp = await context.newCDPSession(page);
  await cdp.send('Performance.enable');
  const before = await liveHeap(cdp);
  let peak = before.heap;
  let buffersPeak = before.buffers;
  let samples = 0;
  let sampling = Promise.resolve();
  const timer = setInterval(() => {
    // One read at a time: a slow answer must not pile requests up on the page's renderer.
    sampling = sampling.then(async () => {
      const used = await heapUsed(cdp).catch(() => undefined);
      if (used === undefined) return;
      samples += 1;
      peak = Math.max(peak, used.heap);
      buffersPeak = Math.max(buffersPeak, used.buffers);
    });
  }, intervalMs);

  return {
    async stop() {
      clearInterval(timer);
      await sampling;
      const after = await liveHeap(cdp);
      await cdp.detach();
      return {
        before: before.heap,
        peak: Math.max(peak, after.heap),
        after: after.heap,
        buffers: { before: before.buffers, peak: Math.max(buffersPeak, after.buffers), after: after.buffers },
        samples,
      };
    },
  };
}

/** "multipart heap growth: 12.3 MB (file 300.0 MB)", MB being 2^20 bytes, as for the file. */
export function describeHeapGrowth(label: string, figures: Figures, fileSize: number): string {
  return `${label} heap growth: ${mb(figures.peak - figures.before)} MB (file ${mb(fileSize)} MB)`;
}

/** "before 7.4 MB, peak 10.4 MB, after 8.6 MB" */
export function describeFigures(figures: Figures): string {
  return `before ${mb(figures.before)} MB, peak ${mb(figures.peak)} MB, after ${mb(figures.after)} MB`;
}

function mb(bytes: number): string {
  return (bytes / 2 ** 20).toFixed(1);
}

interface Usage {
  readonly heap: number;
  readonly buffers: number;
}

async function liveHeap(cdp: CDPSession): Promise<Usage> {
  await cdp.send('HeapProfiler.collectGarbage');
  return heapUsed(cdp);
}

async function heapUsed(cdp: CDPSession): Promise<Usage> {
  const [{ metrics }, usage] = await Promise.all([cdp.send('Performance.getMetrics'), cdp.send('Runtime.getHeapUsage')]);
  const heap = metrics.find((metric) => metric.name === 'JSHeapUsedSize')?.value;
  if (heap === undefined) throw new Error('Performance.getMetrics answered without JSHeapUsedSize');
  // Experimental in the protocol, and absent from older Chromiums: 0 then, rather than no figure at all.
  return { heap, buffers: usage.backingStorageSize ?? 0 };
}
