import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

// React 18, as the package test/react/react18 installs it: its own react, react-dom and scheduler, in a
// node_modules of their own, so that React 18's files, which require('react') and require('react-dom')
// by name, find each other there and never the root's React 19.
const react18 = fileURLToPath(new URL('./test/react/react18/node_modules/', import.meta.url));
// Testing Library's ES module build (its package.json "module"). Vitest resolves as Node does, to the
// CommonJS "main", whose require('react') Node would answer with the root's React 19.
const testingLibraryReactEsm = fileURLToPath(
  new URL('./node_modules/@testing-library/react/dist/@testing-library/react.esm.js', import.meta.url),
);

const source = (path: string) => fileURLToPath(new URL(path, import.meta.url));

// One config for the library build (Vite library mode, ESM only) and for Vitest.
// Declarations are emitted by tsc after `vite build` (see the build script in package.json).
export default defineConfig({
  resolve: {
    // The package's own names are its sources (as tsconfig.json's paths say), never a stale dist/.
    alias: [
      { find: /^s3-direct-upload$/, replacement: source('./src/index.ts') },
      { find: /^s3-direct-upload\/react$/, replacement: source('./src/react/index.ts') },
      { find: /^s3-direct-upload\/msw$/, replacement: source('./mocks/index.ts') },
    ],
  },
  build: {
    lib: {
      entry: {
        index: 'src/index.ts',
        react: 'src/react/index.ts',
        msw: 'mocks/index.ts',
      },
      formats: ['es'],
    },
    rollupOptions: {
      external: [/^react($|\/)/, /^react-dom($|\/)/, /^@tanstack\//, /^msw($|\/)/, /^@noble\//],
    },
    sourcemap: true,
    target: 'es2022',
  },
  test: {
    environment: 'happy-dom',
    restoreMocks: true,
    // No test depends on the machine's speed (test/support/eventually.ts): a File's bytes stay out of
    // failure messages, waits are for events with a deadline that only a hang reaches, and the test
    // timeouts are above that deadline.
    setupFiles: ['test/support/printable-blobs.ts', 'test/support/patient-waits.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // Each project names its own tests: `extends: true` would add a root `include` to a project's.
    projects: [
      // Every test, with the React the package is developed against (19).
      { extends: true, test: { name: 'default', include: ['test/**/*.test.{ts,tsx}'] } },
      // The React tests again with React 18, the oldest React the peer range ("^18 || ^19") allows.
      {
        extends: true,
        resolve: {
          alias: [
            { find: /^react(\/.*)?$/, replacement: `${react18}react$1` },
            { find: /^react-dom(\/.*)?$/, replacement: `${react18}react-dom$1` },
            { find: /^@testing-library\/react$/, replacement: testingLibraryReactEsm },
          ],
        },
        test: {
          name: 'react18',
          include: ['test/react/**/*.test.{ts,tsx}'],
          // The aliases reach only what Vite transforms. A dependency left to Node (as node_modules are)
          // would import the root's React 19 alongside: those that import React are transformed too.
          server: { deps: { inline: ['@testing-library/react', '@tanstack/react-query'] } },
          setupFiles: ['test/react/react18.setup.ts'],
        },
      },
    ],
  },
});
