import { defineConfig } from 'vitest/config';

// The e2e suites run against real servers started on 127.0.0.1 (e2e/radosgw/start.sh): node, not a DOM,
// and hooks long enough for a Ceph cluster to come up (~2.5 s here; allow for a loaded CI machine).
//   npx vitest run --config e2e/vitest.config.ts
export default defineConfig({
  test: {
    root: new URL('..', import.meta.url).pathname,
    environment: 'node',
    include: ['e2e/**/*.test.ts'],
    hookTimeout: 120_000,
    testTimeout: 30_000,
  },
});
