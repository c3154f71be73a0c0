// Which React the React tests run against: 19 in the default project, 18 in the react18 project
// (vite.config.ts), and in either one copy of it, shared by react-dom, Testing Library and TanStack Query.
import { cleanup, render, screen } from '@testing-library/react';
import { QueryClient, QueryClientProvider, useQueryClient } from '@tanstack/react-query';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import React from 'react';
import * as ReactDOM from 'react-dom';
import { afterEach, expect, it } from 'vitest';

afterEach(cleanup);

const require = createRequire(import.meta.url);
const root = join(import.meta.dirname, '../..');
const expected = (projectName: string | undefined) =>
  projectName === 'react18'
    ? { major: /^18\./, dir: join(root, 'test/react/react18/node_modules/react/') }
    : { major: /^19\./, dir: join(root, 'node_modules/react/') };

it("is the project's React, and react-dom is the same version", ({ task }) => {
  const { major, dir } = expected(task.file.projectName);
  expect(React.version).toMatch(major);
  expect(ReactDOM.version).toBe(React.version);
  // The module `react` gave this file is the one Node loaded from the expected package.
  const loadedFrom = Object.values(require.cache).find((module) => module?.exports === React)?.filename;
  expect(loadedFrom?.startsWith(dir), `${loadedFrom} is not in ${dir}`).toBe(true);
  console.info(`[${task.file.projectName}] React ${React.version} from ${loadedFrom}; react-dom ${ReactDOM.version}`);
});

it('is one React: hooks render through react-dom, Testing Library and a QueryClientProvider', () => {
  const client = new QueryClient();
  function Probe() {
    const provided = useQueryClient();
    const [count] = React.useState(1);
    return <p>{`${provided === client ? 'same client' : 'other client'} ${count}`}</p>;
  }
  render(
    <QueryClientProvider client={client}>
      <Probe />
    </QueryClientProvider>,
  );
  expect(screen.getByText('same client 1')).toBeTruthy();
});
