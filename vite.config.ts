import { defineConfig } from 'vitest/config';

// One config for the library build (Vite library mode, ESM only) and for Vitest.
// Declarations are emitted by `tsc -p tsconfig.build.json` after `vite build` (see package.json).
export default defineConfig({
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
    include: ['test/**/*.test.{ts,tsx}'],
    restoreMocks: true,
  },
});
