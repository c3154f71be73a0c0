// Bundle sizes as an app ships them: each target is one small app entry (an import and a use), built by
// Vite (Rolldown, its default Oxc minifier) the way `vite build` builds an app, with code splitting, so a
// dynamic import() becomes a lazy chunk. The kit is built from its sources (src/), as the package's own
// names resolve in demo/vite.config.ts, so no `npm run build` (and no stale dist/) is involved.
// "initial" = the entry chunk and every chunk it imports statically (what the page loads up front);
// "lazy" = the chunks reached only through import(). Sizes: minified bytes, and gzip level 9 of each
// chunk (gzip is per file on the wire, so per-chunk sizes are added up).

import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { decode } from '@jridgewell/sourcemap-codec';
import { build } from 'vite';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const BENCH_MODULES = fileURLToPath(new URL('../node_modules/', import.meta.url));
const source = (path) => `${ROOT}${path}`;

/** What an app keeps outside the kit's weight: the frameworks it already has. */
const FRAMEWORKS = [/^react($|\/)/, /^react-dom($|\/)/, /^@tanstack\/react-query($|\/)/];

/** @typedef {{ id: string, label: string, entry: string, external: RegExp[] }} Target */

/** @type {Target[]} */
export const KIT_TARGETS = [
  {
    id: 'core',
    label: "core: import { uploadFile } from 's3-direct-upload'",
    entry: `import { uploadFile } from 's3-direct-upload';\nglobalThis.upload = (file) => uploadFile(file, { policy: '/api/s3-policy' });\n`,
    external: FRAMEWORKS,
  },
  {
    id: 'react',
    label: "react: import { useS3Upload } from 's3-direct-upload/react'",
    entry: `import { useS3Upload } from 's3-direct-upload/react';\nglobalThis.useUpload = () => useS3Upload({ policy: '/api/s3-policy' });\n`,
    external: FRAMEWORKS,
  },
  {
    id: 'uploader',
    label: "<Uploader>: import { Uploader } from 's3-direct-upload/react'",
    entry: `import { createElement } from 'react';\nimport { Uploader } from 's3-direct-upload/react';\nglobalThis.app = () => createElement(Uploader, { policy: '/api/s3-policy' });\n`,
    external: FRAMEWORKS,
  },
];

/** @type {Target[]} */
export const COMPETITOR_TARGETS = [
  {
    id: 'uppy',
    label: "Uppy: @uppy/core + @uppy/aws-s3 (new Uppy().use(AwsS3))",
    entry: `import Uppy from '@uppy/core';\nimport AwsS3 from '@uppy/aws-s3';\nglobalThis.uppy = () => new Uppy().use(AwsS3, { endpoint: '/companion' });\n`,
    external: [],
  },
];

/**
 * Fine Uploader ships prebuilt, minified bundles and no ES modules: its own files are measured as they are.
 * The core build is headless (comparable to the kit's core); the other adds its default UI.
 */
export const FINE_UPLOADER_FILES = [
  { id: 'fine-core', label: 'Fine Uploader S3 core (s3.fine-uploader.core.min.js)', file: 's3.fine-uploader/s3.fine-uploader.core.min.js' },
  { id: 'fine-ui', label: 'Fine Uploader S3 with UI (s3.fine-uploader.min.js)', file: 's3.fine-uploader/s3.fine-uploader.min.js' },
];

const gzip = (text) => gzipSync(Buffer.from(text), { level: 9 }).length;

/**
 * @typedef {{ fileName: string, code: string, map: import('vite').Rollup.SourceMap | null, isEntry: boolean,
 *   imports: string[], dynamicImports: string[], moduleIds: string[] }} Chunk
 * @typedef {{ id: string, label: string, initial: { min: number, gzip: number }, lazy: { min: number, gzip: number },
 *   chunks: Array<{ fileName: string, min: number, gzip: number, initial: boolean, modules: string[] }>,
 *   initialChunks: Chunk[] }} BundleSize
 */

/** Builds one target and measures it. */
export async function measureTarget(target) {
  const entryId = '\0bench-entry.js';
  const output = await build({
    configFile: false,
    root: ROOT,
    logLevel: 'silent',
    mode: 'production',
    resolve: {
      alias: [
        { find: /^s3-direct-upload$/, replacement: source('src/index.ts') },
        { find: /^s3-direct-upload\/react$/, replacement: source('src/react/index.ts') },
        // The competitors live in bench/node_modules only.
        { find: /^(@uppy\/[a-z0-9-]+)$/, replacement: `${BENCH_MODULES}$1` },
      ],
    },
    plugins: [
      {
        name: 'bench-entry',
        resolveId: (id) => (id === 'bench-entry' ? entryId : undefined),
        load: (id) => (id === entryId ? target.entry : undefined),
      },
    ],
    build: {
      write: false,
      sourcemap: true,
      minify: true,
      copyPublicDir: false,
      reportCompressedSize: false,
      modulePreload: false,
      rollupOptions: {
        input: { entry: 'bench-entry' },
        external: target.external,
        // An app's entry exports nothing; what it uses is kept by the globalThis assignment.
        preserveEntrySignatures: false,
      },
    },
  });
  const outputs = Array.isArray(output) ? output : [output];
  /** @type {Chunk[]} */
  const chunks = outputs
    .flatMap((result) => ('output' in result ? result.output : []))
    .filter((item) => item.type === 'chunk')
    .map((chunk) => ({
      fileName: chunk.fileName,
      code: chunk.code,
      map: chunk.map,
      isEntry: chunk.isEntry,
      imports: chunk.imports,
      dynamicImports: chunk.dynamicImports,
      moduleIds: chunk.moduleIds ?? Object.keys(chunk.modules),
    }));
  const byName = new Map(chunks.map((chunk) => [chunk.fileName, chunk]));
  const initialNames = new Set();
  const visit = (name) => {
    if (initialNames.has(name)) return;
    initialNames.add(name);
    for (const imported of byName.get(name)?.imports ?? []) visit(imported);
  };
  for (const chunk of chunks) if (chunk.isEntry) visit(chunk.fileName);

  const sized = chunks.map((chunk) => ({
    fileName: chunk.fileName,
    min: Buffer.byteLength(chunk.code),
    gzip: gzip(chunk.code),
    initial: initialNames.has(chunk.fileName),
    modules: chunk.moduleIds.map(displayId),
  }));
  const sum = (items, key) => items.reduce((total, item) => total + item[key], 0);
  const initial = sized.filter((chunk) => chunk.initial);
  const lazy = sized.filter((chunk) => !chunk.initial);
  return {
    id: target.id,
    label: target.label,
    initial: { min: sum(initial, 'min'), gzip: sum(initial, 'gzip') },
    lazy: { min: sum(lazy, 'min'), gzip: sum(lazy, 'gzip') },
    chunks: sized,
    initialChunks: chunks.filter((chunk) => initialNames.has(chunk.fileName)),
  };
}

export function measureFineUploader() {
  const base = `${BENCH_MODULES}fine-uploader/`;
  return FINE_UPLOADER_FILES.map(({ id, label, file }) => {
    const code = readFileSync(`${base}${file}`, 'utf8');
    const size = { min: Buffer.byteLength(code), gzip: gzip(code) };
    return { id, label, initial: size, lazy: { min: 0, gzip: 0 }, chunks: [], initialChunks: [] };
  });
}

/** The lazy chunks that hold the multipart engine (src/core/multipart/multipart-upload.ts), if split. */
export function multipartSplit(size) {
  const holds = (chunk) => chunk.modules.some((id) => id.endsWith('src/core/multipart/multipart-upload.ts'));
  const lazy = size.chunks.filter((chunk) => !chunk.initial && holds(chunk));
  const inInitial = size.chunks.some((chunk) => chunk.initial && holds(chunk));
  return { split: lazy.length > 0 && !inInitial, lazyGzip: lazy.reduce((total, chunk) => total + chunk.gzip, 0) };
}

/**
 * Each source module's share of the initial chunks: the minified bytes the chunk's source map attributes
 * to it (as source-map-explorer does), and an estimate of its gzip contribution: those bytes gzipped on
 * their own, scaled so that the modules of a chunk add up to the chunk's real gzip size (gzip is not
 * additive, so this is an apportioning, not a measurement of each module in isolation).
 * @returns {Array<{ module: string, min: number, gzip: number }>}
 */
export function moduleBreakdown(size) {
  /** @type {Map<string, { min: number, gzip: number }>} */
  const totals = new Map();
  for (const chunk of size.initialChunks) {
    if (!chunk.map) continue;
    const lines = chunk.code.split('\n');
    const decoded = decode(chunk.map.mappings);
    /** @type {Map<string, string[]>} */
    const pieces = new Map();
    const add = (module, text) => {
      const list = pieces.get(module) ?? [];
      list.push(text);
      pieces.set(module, list);
    };
    // A text the map leaves unmapped belongs to the segment before it: the lines of a multi-line template
    // literal (the stylesheet) carry no mappings of their own.
    let owner = '(bundler glue)';
    decoded.forEach((segments, lineIndex) => {
      const line = lines[lineIndex] ?? '';
      let cursor = 0;
      for (const segment of segments) {
        const column = segment[0];
        if (column > cursor) add(owner, line.slice(cursor, column));
        cursor = Math.max(cursor, column);
        owner = segment.length >= 4 ? displayId(chunk.map.sources[segment[1]] ?? '?') : '(bundler glue)';
      }
      add(owner, line.slice(cursor) + '\n');
    });
    const chunkGzip = gzip(chunk.code);
    const raw = [...pieces].map(([module, texts]) => {
      const text = texts.join('');
      return { module, min: Buffer.byteLength(text), alone: text.trim() === '' ? 0 : gzip(text) };
    });
    const aloneTotal = raw.reduce((total, item) => total + item.alone, 0) || 1;
    for (const item of raw) {
      const current = totals.get(item.module) ?? { min: 0, gzip: 0 };
      current.min += item.min;
      current.gzip += (item.alone / aloneTotal) * chunkGzip;
      totals.set(item.module, current);
    }
  }
  return [...totals]
    .map(([module, value]) => ({ module, min: value.min, gzip: Math.round(value.gzip) }))
    .sort((a, b) => b.gzip - a.gzip);
}

/** A module id as the repository names it: src/core/upload.ts, node_modules/@uppy/core/..., ... */
function displayId(id) {
  const clean = id.replace(/^\0/, '').replace(/\?.*$/, '');
  const bench = clean.indexOf('bench/node_modules/');
  if (bench >= 0) return clean.slice(bench + 'bench/'.length);
  const nm = clean.lastIndexOf('node_modules/');
  if (nm >= 0) return clean.slice(nm);
  const resolved = clean.startsWith(ROOT) ? clean.slice(ROOT.length) : clean.replace(/^(\.\.\/)+/, '');
  return resolved;
}

export const formatBytes = (bytes) => (bytes >= 1024 ? `${(bytes / 1024).toFixed(1)} KB` : `${bytes} B`);
