// Security: file names and S3's words reach the page as text, never as markup. A file named like an XSS
// payload, and an S3 error (or a proxy pretending to be S3) whose Message carries one, must show those
// characters literally and create no element, run no handler, load nothing.
import { render, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { HttpResponse, http } from 'msw';
import { afterEach, describe, expect, it } from 'vitest';
import { Uploader } from '../../src/react/index';
import { BUCKET_URL, REUSABLE_POLICY, file, server, useTestServer } from '../support/react-harness';

useTestServer();

const PAYLOADS = [
  '<img src=x onerror="window.__pwned=1">.png',
  '"><script>window.__pwned=2</script>.png',
  '<svg onload=window.__pwned=3>.png',
  'javascript:window.__pwned=4//.png',
  '<a href="javascript:alert(1)">click</a>.png',
] as const;

declare global {
  interface Window {
    __pwned?: number;
  }
}

afterEach(() => {
  delete window.__pwned;
});

const URL_ATTRIBUTES = new Set(['href', 'src', 'action', 'formaction', 'xlink:href', 'poster', 'srcset']);

/** Nothing that a payload could have made: no element of its kinds, no handler attribute, no javascript: link. */
function expectNoInjectedMarkup(container: HTMLElement): void {
  expect(container.querySelectorAll('script, svg[onload], iframe, object, embed')).toHaveLength(0);
  expect([...container.querySelectorAll('img')].filter((img) => img.getAttribute('src') === 'x')).toHaveLength(0);
  for (const element of container.querySelectorAll('*')) {
    for (const attribute of element.attributes) {
      expect(attribute.name.startsWith('on'), `${element.tagName} has ${attribute.name}`).toBe(false);
      if (URL_ATTRIBUTES.has(attribute.name)) {
        expect(attribute.value.trim().toLowerCase().startsWith('javascript:'), `${element.tagName} ${attribute.name}=${attribute.value}`).toBe(false);
      }
    }
  }
  expect(window.__pwned).toBeUndefined();
}

describe('rendered as text only', () => {
  it.each(PAYLOADS)('a file named %s uploads and its name shows literally', async (name) => {
    const user = userEvent.setup();
    const { container } = render(<Uploader policy={REUSABLE_POLICY} />);
    await user.upload(screen.getByLabelText('Choose files to upload'), [file(name, 'bytes', 'image/png')]);

    await waitFor(() => expect(screen.getByText('Uploaded')).toBeTruthy());
    // The name is one text node, characters and all (the key the kit made from it is S3's business).
    expect(screen.getByText(name, { selector: '.s3u-name' }).textContent).toBe(name);
    expectNoInjectedMarkup(container);
  });

  it("an S3 error whose Message, Code and evidence carry markup shows them as text", async () => {
    const hostile = '<img src=x onerror="window.__pwned=5">';
    server.use(
      http.post(BUCKET_URL, () =>
        HttpResponse.xml(
          `<?xml version="1.0" encoding="UTF-8"?><Error><Code>AccessDenied</Code><Message>Denied &lt;script&gt;window.__pwned=6&lt;/script&gt; ${hostile.replace(/</g, '&lt;').replace(/>/g, '&gt;')}</Message><StringToSign>${hostile.replace(/</g, '&lt;').replace(/>/g, '&gt;')}</StringToSign><RequestId>R</RequestId></Error>`,
          { status: 403 },
        ),
      ),
    );
    const user = userEvent.setup();
    const { container } = render(<Uploader policy={REUSABLE_POLICY} />);
    await user.upload(screen.getByLabelText('Choose files to upload'), [file('cat.png')]);

    await waitFor(() => expect(container.textContent).toContain('<script>window.__pwned=6</script>'));
    expect(container.textContent).toContain(hostile);
    expectNoInjectedMarkup(container);
  });
});
