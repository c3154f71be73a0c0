// Test set-up (vite.config.ts, setupFiles): Testing Library's waitFor and findBy* wait with the suite's
// patience (eventually.ts) instead of their default second, which a loaded or slow machine can spend
// on a dynamic import or a 12 MiB request body before the state a test waits for is published.
import { configure } from '@testing-library/dom';
import { PATIENCE_MS } from './eventually';

configure({ asyncUtilTimeout: PATIENCE_MS });
