// The bench page (bench/browser/page.tsx) on a Vite dev server on 127.0.0.1, with the demo's signing
// backend (demo/backend.ts createDemoApi) under /api/, as e2e/support/demo-server.ts runs the demo.
// The backend is swapped per benchmark (setApi): radosgw or the embedded S3, throttled or not. Every
// request under /api/ is counted by path, which is how the policy-reuse figure counts backend calls.

import { createServer as createNetServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { createServer, runnerImport } from 'vite';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const PAGE_ROOT = fileURLToPath(new URL('./', import.meta.url));
const COUNTING_ROW = fileURLToPath(new URL('./counting-row.tsx', import.meta.url));

/** Loads a TypeScript module of the repository (demo/, e2e/) the way demo/vite.config.ts loads its backend. */
export async function loadTs(path) {
  const { module } = await runnerImport(`${ROOT}${path}`);
  return module;
}

export async function startBenchServer() {
  /** @type {{ middleware: (req: any, res: any, next: (error?: unknown) => void) => void } | undefined} */
  let api;
  /** @type {Map<string, number>} */
  const calls = new Map();
  const port = await freePort();
  const vite = await createServer({
    configFile: false,
    root: PAGE_ROOT,
    cacheDir: fileURLToPath(new URL('../node_modules/.vite-bench/', import.meta.url)),
    logLevel: 'warn',
    clearScreen: false,
    resolve: {
      alias: [
        { find: /^s3-direct-upload$/, replacement: `${ROOT}src/index.ts` },
        { find: /^s3-direct-upload\/react$/, replacement: `${ROOT}src/react/index.ts` },
      ],
    },
    plugins: [
      react(),
      {
        // <Uploader>'s rows, counted: src/react/Uploader.tsx gets bench/browser/counting-row.tsx for ./UploadRow.
        name: 'bench:counting-row',
        enforce: 'pre',
        resolveId(source, importer) {
          if (source === './UploadRow' && importer?.endsWith('/src/react/Uploader.tsx')) return COUNTING_ROW;
          return undefined;
        },
      },
      {
        name: 'bench:api',
        configureServer(server) {
          server.middlewares.use((req, res, next) => {
            const path = (req.url ?? '/').split('?')[0] ?? '/';
            if (!path.startsWith('/api/')) return next();
            calls.set(`${req.method} ${path}`, (calls.get(`${req.method} ${path}`) ?? 0) + 1);
            if (!api) {
              res.statusCode = 503;
              res.end('no backend yet');
              return;
            }
            api.middleware(req, res, next);
          });
        },
      },
    ],
    // React's development build: its <Profiler> reports commits (the production build's does not).
    mode: 'development',
    optimizeDeps: {
      // Pre-bundled at start, and afresh (never a cache made under another NODE_ENV), so no "new
      // dependencies optimized" reload lands in the middle of a run.
      force: true,
      include: ['react', 'react-dom', 'react-dom/client', 'react/jsx-dev-runtime', '@tanstack/react-query'],
    },
    server: { host: '127.0.0.1', port, strictPort: true, fs: { allow: [ROOT] }, hmr: false },
  });
  await vite.listen();
  return {
    url: `http://127.0.0.1:${port}/`,
    setApi(next) {
      api = next;
    },
    /** Calls under /api/ since the last reset, by "METHOD /path". */
    calls: () => new Map(calls),
    resetCalls: () => calls.clear(),
    stop: () => vite.close(),
  };
}

function freePort() {
  return new Promise((resolve, reject) => {
    const server = createNetServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address !== null ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}
