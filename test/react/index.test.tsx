// @vitest-environment node
// s3-direct-upload/react on a server: importing it touches no window or document, and <Uploader>
// renders to a string, with or without a QueryClientProvider.
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { renderToString } from 'react-dom/server';
import { describe, expect, it } from 'vitest';

describe('server-side rendering', () => {
  it('imports and renders <Uploader> where there is no DOM', async () => {
    expect(typeof window).toBe('undefined');
    expect(typeof document).toBe('undefined');
    const { Uploader, uploadMutationKey } = await import('../../src/react/index');
    expect(uploadMutationKey).toEqual(['s3-direct-upload', 'upload']);

    const html = renderToString(<Uploader policy="/api/policy" accept="image/png" maxSize={1024} />);
    expect(html).toContain('Drop files here or choose files');
    expect(html).toContain('Accepts image/png. Up to 1 KB per file.');
    expect(html).toContain('type="file"');
    expect(html).not.toContain('<style');

    const provided = renderToString(
      <QueryClientProvider client={new QueryClient()}>
        <Uploader policy="/api/policy" multiple={false} />
      </QueryClientProvider>,
    );
    expect(provided).toContain('Drop a file here or choose a file');
  });
});
