// The demo's dev server: `npm run demo` (vite --config demo/vite.config.ts).
// The page imports the package by its published names, resolved here to the sources, so the demo reads
// like an app that installed s3-direct-upload. The plugin below runs the signing backend (demo/backend.ts)
// inside the dev server, and with it the embedded S3 unless S3_BUCKET / S3_ENDPOINT name a real one.
// Those variables come from the shell or from demo/.env (loaded only here, on the server side: the
// page sees no variable, because Vite exposes only VITE_* ones to it).

import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig, loadEnv, runnerImport, type Plugin } from 'vite';

const source = (path: string): string => fileURLToPath(new URL(`../${path}`, import.meta.url));

function demoBackend(): Plugin {
  return {
    name: 's3-direct-upload:demo-backend',
    apply: 'serve',
    async configureServer(server) {
      const { logger } = server.config;
      const env = loadEnv(server.config.mode, server.config.envDir || server.config.root, ['S3_', 'AWS_', 'DEMO_']);
      // Loaded through Vite's module runner rather than imported here: the config file is bundled on its
      // own, and the backend's graph (mocks/, src/) uses the extensionless imports of the repository.
      const { module } = await runnerImport<typeof import('./backend')>(fileURLToPath(new URL('./backend.ts', import.meta.url)));
      const backend = await module.startDemoBackend({
        env,
        log: (message) => logger.warn(message, { timestamp: true }),
      });
      const { config } = backend;
      logger.info(
        config.mode === 'embedded'
          ? `  demo backend: embedded S3 at ${backend.s3?.url ?? '?'} (bucket ${config.bucket}, ${config.region})`
          : `  demo backend: signing for ${config.endpoint} (${config.region}) as ${config.accessKeyId}`,
      );
      // Before Vite's own middlewares, so /api/* never falls through to the SPA fallback.
      server.middlewares.use(backend.middleware);
      let stopped: Promise<void> | undefined;
      const stop = (): Promise<void> => (stopped ??= backend.stop());
      server.httpServer?.once('close', () => void stop());
    },
  };
}

export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  plugins: [react(), demoBackend()],
  resolve: {
    alias: [
      { find: /^s3-direct-upload$/, replacement: source('src/index.ts') },
      { find: /^s3-direct-upload\/react$/, replacement: source('src/react/index.ts') },
      { find: /^s3-direct-upload\/msw$/, replacement: source('mocks/index.ts') },
    ],
  },
  server: {
    host: '127.0.0.1',
    port: 5173,
    strictPort: false,
  },
});
