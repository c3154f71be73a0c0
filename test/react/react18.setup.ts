// The react18 project's guard (vite.config.ts): after each test file, every file of react or react-dom
// that Node loaded is React 18's, from test/react/react18. A dependency that slipped past the aliases
// (one Vitest leaves to Node, not in server.deps.inline) would load the root's React 19 beside it.
import { createRequire } from 'node:module';
import { sep } from 'node:path';
import { afterAll, expect } from 'vitest';

const require = createRequire(import.meta.url);
const REACT_FILE = /[\\/]node_modules[\\/](react|react-dom|scheduler)[\\/]/;
const REACT_18 = `${sep}test${sep}react${sep}react18${sep}node_modules${sep}`;

afterAll(() => {
  const stray = Object.keys(require.cache).filter((path) => REACT_FILE.test(path) && !path.includes(REACT_18));
  expect(stray, 'React files loaded from outside test/react/react18').toEqual([]);
});
