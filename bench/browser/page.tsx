// The benchmark page, driven by bench/browser/*.mjs through playwright-core: each benchmark is a function
// on window.bench that does one measured thing and returns plain data. Served by the bench server
// (bench/browser/server.mjs) next to the demo's signing backend, under /api/.

import * as React from 'react';
import { createRoot, type Root } from 'react-dom/client';
import { uploadFile, type UploadOptions } from 's3-direct-upload';
import { Uploader, useS3Upload, type UseS3UploadResult } from 's3-direct-upload/react';
import { resetRowRenderCounts, rowRenderCounts } from './counting-row';

/** The demo backend's policy in the AWS SDK's shape ({ url, fields }): a prefix policy, key uploads/<uuid>/${filename}. */
const POLICY_URL = '/api/policy/aws-sdk';
/** The demo backend's multipart endpoints, presigned contract (POST /api/multipart/create, ...). */
const MULTIPART_URL = '/api/multipart';

export interface TimedUpload {
  readonly ms: number;
  readonly key: string;
  readonly status: number;
  /** Milliseconds spent in each backend endpoint (its path under /api/), from the page's resource timings. */
  readonly backendMs: Readonly<Record<string, number>>;
}

export interface RenderFigures {
  readonly files: number;
  readonly commits: number;
  /** From the first commit after the files were chosen to the commit that showed the last one settled. */
  readonly durationMs: number;
  readonly commitsPerSecond: number;
  /** The most commits within any one second of the run. */
  readonly peakCommitsInOneSecond: number;
  readonly rowRenders: number;
  readonly idleRowRenders: number;
  readonly succeeded: number;
}

export interface PolicyReuseFigures {
  readonly files: number;
  readonly succeeded: number;
  readonly failures: readonly string[];
}

export interface BenchApi {
  /**
   * Takes the file chosen in `<input id="bench-file">` (playwright's setInputFiles) as the one the throughput
   * runs send, and returns its size. A file on disk, as users pick: Chromium copies the bytes of each slice
   * of an in-memory Blob (and fails with ERR_BLOB_OUT_OF_MEMORY once the copies outgrow its blob memory),
   * while a slice of a file-backed File is a reference.
   */
  takeChosenFile(): number;
  kitPost(name: string): Promise<TimedUpload>;
  rawPost(name: string): Promise<TimedUpload>;
  /** Multipart with the kit's default part size unless `partSize` is given. */
  kitMultipart(name: string, partSize?: number): Promise<TimedUpload>;
  renders(count: number, size: number): Promise<RenderFigures>;
  policyReuse(count: number): Promise<PolicyReuseFigures>;
}

declare global {
  interface Window {
    bench: BenchApi;
  }
}

let blob: Blob | undefined;

function benchFile(name: string): File {
  if (!blob) throw new Error('bench.takeChosenFile() first');
  return new File([blob], name, { type: 'application/octet-stream' });
}

async function timed(run: () => Promise<{ key: string; status: number }>): Promise<TimedUpload> {
  performance.setResourceTimingBufferSize(10_000);
  performance.clearResourceTimings();
  const started = performance.now();
  const { key, status } = await run();
  const ms = performance.now() - started;
  const backendMs: Record<string, number> = {};
  for (const entry of performance.getEntriesByType('resource')) {
    const { pathname } = new URL(entry.name);
    if (!pathname.startsWith('/api/')) continue;
    const endpoint = pathname.slice('/api/'.length);
    backendMs[endpoint] = (backendMs[endpoint] ?? 0) + entry.duration;
  }
  return { ms, key, status, backendMs };
}

/**
 * What a developer would write without the kit: ask the backend for the policy, put its fields and the
 * Content-Type its policy names in a FormData with the file last, and POST it with XMLHttpRequest.
 */
async function rawPost(file: File): Promise<{ key: string; status: number }> {
  const answer: unknown = await (
    await fetch(POLICY_URL, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ filename: file.name, contentType: file.type, size: file.size }),
    })
  ).json();
  if (!isPolicyAnswer(answer)) throw new Error(`unexpected policy answer ${JSON.stringify(answer)}`);
  const form = new FormData();
  for (const [name, value] of Object.entries(answer.fields)) form.append(name, value);
  form.append('Content-Type', file.type);
  form.append('file', file, file.name);
  const xhr = new XMLHttpRequest();
  const loaded = new Promise<void>((resolve, reject) => {
    xhr.onload = () => resolve();
    xhr.onerror = () => reject(new Error('raw XHR: network error'));
  });
  xhr.open('POST', answer.url);
  xhr.send(form);
  await loaded;
  if (xhr.status >= 300) throw new Error(`raw XHR: S3 answered ${xhr.status}: ${xhr.responseText}`);
  const key = /<Key>([^<]*)<\/Key>/.exec(xhr.responseText)?.[1] ?? (answer.fields['key'] ?? '').replace('${filename}', file.name);
  return { key, status: xhr.status };
}

function isPolicyAnswer(value: unknown): value is { url: string; fields: Record<string, string> } {
  if (typeof value !== 'object' || value === null || !('url' in value) || !('fields' in value)) return false;
  return typeof value.url === 'string' && typeof value.fields === 'object' && value.fields !== null;
}

let root: Root | undefined;
function mount(element: React.ReactElement): void {
  root?.unmount();
  const container = document.getElementById('root');
  if (!container) throw new Error('no #root');
  root = createRoot(container);
  root.render(element);
}

/** Chooses files in <input type="file"> the way a user would: the input's files, then a change event. */
function chooseFiles(input: HTMLInputElement, files: readonly File[]): void {
  const transfer = new DataTransfer();
  for (const file of files) transfer.items.add(file);
  input.files = transfer.files;
  input.dispatchEvent(new Event('change', { bubbles: true }));
}

async function waitFor<T>(read: () => T | undefined, what: string, timeoutMs = 60_000): Promise<T> {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    const value = read();
    if (value !== undefined) return value;
    if (performance.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

function smallFiles(count: number, size: number, stem: string): File[] {
  const bytes = new Uint8Array(size);
  crypto.getRandomValues(bytes.subarray(0, Math.min(size, 65_536)));
  return Array.from({ length: count }, (_, index) => new File([bytes], `${stem}-${index}.bin`, { type: 'application/octet-stream' }));
}

async function renders(count: number, size: number): Promise<RenderFigures> {
  resetRowRenderCounts();
  const commits: number[] = [];
  let settled: number | undefined;
  let succeeded = 0;
  const onRender: React.ProfilerOnRenderCallback = (_id, _phase, _actual, _base, _start, commitTime) => {
    commits.push(commitTime);
  };
  mount(
    <React.Profiler id="uploader" onRender={onRender}>
      <Uploader
        policy={POLICY_URL}
        // Every file in flight at once (the browser still opens at most 6 connections per host).
        concurrency={count}
        onComplete={(results) => {
          succeeded = results.filter((result) => result.status === 'success').length;
          settled = performance.now();
        }}
      />
    </React.Profiler>,
  );
  const input = await waitFor(() => document.querySelector<HTMLInputElement>('#root input[type="file"]') ?? undefined, 'the file input');
  await new Promise((resolve) => setTimeout(resolve, 100));
  const before = commits.length;
  chooseFiles(input, smallFiles(count, size, 'render'));
  await waitFor(() => settled, 'every upload to settle', 120_000);
  // The commit that shows the last file settled comes on the next frame at the latest.
  await new Promise((resolve) => setTimeout(resolve, 200));
  const run = commits.slice(before);
  if (run.length === 0) throw new Error('The React Profiler reported no commit: is the page running React\'s production build?');
  const first = run[0] ?? 0;
  const last = run.at(-1) ?? first;
  let peak = 0;
  for (let start = 0, end = 0; end < run.length; end += 1) {
    while ((run[end] ?? 0) - (run[start] ?? 0) >= 1000) start += 1;
    peak = Math.max(peak, end - start + 1);
  }
  // The counting row stands in for ./UploadRow only while Uploader.tsx imports it by that name (server.mjs).
  if (rowRenderCounts.renders === 0) throw new Error('No UploadRow render was counted: bench/browser/server.mjs no longer swaps in counting-row.tsx.');
  const durationMs = last - first;
  return {
    files: count,
    commits: run.length,
    durationMs,
    commitsPerSecond: durationMs > 0 ? run.length / (durationMs / 1000) : run.length,
    peakCommitsInOneSecond: peak,
    rowRenders: rowRenderCounts.renders,
    idleRowRenders: rowRenderCounts.idleRenders,
    succeeded,
  };
}

async function policyReuse(count: number): Promise<PolicyReuseFigures> {
  let uploader: UseS3UploadResult | undefined;
  function Probe(): null {
    uploader = useS3Upload({ policy: POLICY_URL, concurrency: 6 });
    return null;
  }
  mount(<Probe />);
  const hook = await waitFor(() => uploader, 'useS3Upload');
  const outcomes = await hook.upload(smallFiles(count, 1024, 'reuse'));
  return {
    files: count,
    succeeded: outcomes.filter((outcome) => outcome.status === 'success').length,
    failures: outcomes.flatMap((outcome) => (outcome.status === 'error' ? [outcome.error.message] : [])),
  };
}

window.bench = {
  takeChosenFile() {
    const input = document.querySelector<HTMLInputElement>('#bench-file');
    const chosen = input?.files?.[0];
    if (!chosen) throw new Error('choose a file in #bench-file first (page.setInputFiles)');
    blob = chosen;
    return chosen.size;
  },
  kitPost: (name) =>
    timed(async () => {
      const result = await uploadFile(benchFile(name), { policy: POLICY_URL });
      return { key: result.key, status: result.status };
    }),
  rawPost: (name) => timed(() => rawPost(benchFile(name))),
  kitMultipart: (name, partSize) =>
    timed(async () => {
      const options: UploadOptions = {
        policy: POLICY_URL,
        multipart: { backend: { presigned: { url: MULTIPART_URL } }, threshold: 0, ...(partSize === undefined ? {} : { partSize }), resume: false },
      };
      const result = await uploadFile(benchFile(name), options);
      return { key: result.key, status: result.status };
    }),
  renders,
  policyReuse,
};
