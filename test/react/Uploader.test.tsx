// <Uploader> as a user meets it: choosing, dropping and pasting files, watching them upload to the S3
// emulator, canceling, retrying, reading errors, and doing all of it from the keyboard.
import { act, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { http, delay } from 'msw';
import * as React from 'react';
import { describe, expect, it, vi } from 'vitest';
import { Uploader, type UploadOutcome } from '../../src/react/index';
import { CREDENTIALS, flatAnswer } from '../support/aws-signer';
import { REGION } from '../support/backends';
import {
  APP,
  BUCKET,
  BUCKET_URL,
  REUSABLE_POLICY,
  backendCalls,
  failBackendOnce,
  file,
  s3,
  s3Requests,
  server,
  storedKeys,
  storedText,
  useTestServer,
  holdS3Forever,
  gate,
} from '../support/react-harness';

useTestServer();

const chooser = () => screen.getByLabelText('Choose files to upload');
const dropArea = () => screen.getByRole('button', { name: 'Drop files here or choose files' });
const row = (name: string) => {
  const item = screen.getByText(name, { selector: '.s3u-name' }).closest('li');
  if (!item) throw new Error(`no row for ${name}`);
  return within(item);
};


describe('adding files', () => {
  it('chosen in the file dialog: each uploads, its bar ends at 100%, and S3 holds its bytes', async () => {
    const user = userEvent.setup();
    const onComplete = vi.fn<(results: UploadOutcome[]) => void>();
    render(<Uploader policy={REUSABLE_POLICY} onComplete={onComplete} />);
    await user.upload(chooser(), [file('cat.png'), file('dog.png')]);

    await waitFor(() => expect(screen.getAllByText('Uploaded')).toHaveLength(2));
    for (const name of ['cat.png', 'dog.png']) {
      const bar = screen.getByRole('progressbar', { name: `${name} upload progress` });
      expect(bar.getAttribute('aria-valuenow')).toBe('100');
      expect(bar.getAttribute('aria-valuemin')).toBe('0');
      expect(bar.getAttribute('aria-valuemax')).toBe('100');
    }
    expect(storedText('uploads/cat.png')).toBe('bytes of cat.png');
    expect(storedText('uploads/dog.png')).toBe('bytes of dog.png');
    expect(s3.store.getObject(BUCKET, 'uploads/cat.png')?.contentType).toBe('image/png');
    await waitFor(() => expect(onComplete).toHaveBeenCalledTimes(1));
    expect(onComplete.mock.calls[0]?.[0].map((result) => [result.file.name, result.status])).toEqual([
      ['cat.png', 'success'],
      ['dog.png', 'success'],
    ]);
    expect(screen.getByText('2 of 2 uploaded')).toBeTruthy();
  });

  it('dropped on the drop area', async () => {
    render(<Uploader policy={REUSABLE_POLICY} />);
    fireEvent.drop(dropArea(), { dataTransfer: { files: [file('cat.png')], types: ['Files'] } });
    expect(await screen.findByText('Uploaded')).toBeTruthy();
    expect(storedText('uploads/cat.png')).toBe('bytes of cat.png');
  });

  it('pasted into the focused drop area', async () => {
    render(<Uploader policy={REUSABLE_POLICY} />);
    dropArea().focus();
    fireEvent.paste(dropArea(), { clipboardData: { files: [file('clip.png')] } });
    expect(await screen.findByText('Uploaded')).toBeTruthy();
    expect(storedText('uploads/clip.png')).toBe('bytes of clip.png');
  });

  it('says how to add files and what it takes', () => {
    render(<Uploader policy={REUSABLE_POLICY} accept={['image/png', 'image/jpeg']} maxSize={10 * 1024 * 1024} maxFiles={3} />);
    const zone = dropArea();
    const hint = document.getElementById(zone.getAttribute('aria-describedby') ?? '');
    expect(hint?.textContent).toBe(
      'Drag files onto the area above, paste, or press Enter on it to open the file picker. Accepts image/png, image/jpeg. Up to 10 MB per file. At most 3 files.',
    );
    // The button's visible text is its name; the hint describes it from outside (WCAG 2.5.3, Label in Name).
    expect(hint && zone.contains(hint)).toBe(false);
    expect(zone.textContent).toBe('Drop files here or choose files');
  });

  it('refuses files against accept, maxSize and maxFiles, saying why, and asks nothing of the backend', async () => {
    const user = userEvent.setup({ applyAccept: false });
    render(<Uploader policy={REUSABLE_POLICY} accept="image/png,image/jpeg" maxSize={1024} maxFiles={2} />);
    await user.upload(chooser(), [file('cat.gif', 'GIF89a', 'image/gif'), file('huge.png', 'x'.repeat(2048))]);
    const refused = within(screen.getByRole('list', { name: 'Files not added' }));
    expect(refused.getByText('cat.gif is image/gif; this uploader accepts image/png, image/jpeg.')).toBeTruthy();
    expect(refused.getByText('huge.png is 2 KB; this uploader takes files up to 1 KB. Choose a smaller file.')).toBeTruthy();

    await user.upload(chooser(), [file('a.png'), file('b.png'), file('c.png')]);
    expect(
      within(screen.getByRole('list', { name: 'Files not added' })).getAllByText(
        '3 files were chosen; this uploader holds at most 2 files. Remove some and choose again.',
      ),
    ).toHaveLength(3);
    expect(screen.queryByRole('list', { name: 'Uploads' })).toBeNull();
    expect(backendCalls).toEqual([]);
    expect(s3Requests()).toHaveLength(0);
  });

  it('objectKey reaches the backend (React keeps `key` for itself) and S3 stores under it', async () => {
    const user = userEvent.setup();
    const asked: unknown[] = [];
    const policy = async (_file: File, request: { readonly key?: string }) => {
      asked.push(request.key);
      return flatAnswer({ url: BUCKET_URL, key: request.key ?? 'none', region: REGION, bucket: BUCKET });
    };
    render(<Uploader policy={policy} objectKey="avatars/${filename}" />);
    await user.upload(chooser(), [file('cat.png')]);
    await waitFor(() => expect(screen.getByText('Uploaded')).toBeTruthy());
    expect(asked).toEqual(['avatars/${filename}']);
    expect(storedText('avatars/cat.png')).toBe('bytes of cat.png');
  });

  it('renders file names as text, never as HTML', async () => {
    const user = userEvent.setup();
    const name = '<img src=x onerror=alert(1)>.png';
    render(<Uploader policy={REUSABLE_POLICY} />);
    await user.upload(chooser(), file(name));
    await screen.findByText('Uploaded');
    expect(screen.getByText(name, { selector: '.s3u-name' })).toBeTruthy();
    expect(document.querySelectorAll('img[src="x"]')).toHaveLength(0);
  });
});

describe('stopping and trying again', () => {
  it('cancel settles the file at once as canceled while S3 has not answered; retry then uploads it', async () => {
    holdS3Forever();
    const user = userEvent.setup();
    render(<Uploader policy={REUSABLE_POLICY} />);
    await user.upload(chooser(), file('cat.png'));
    await screen.findByText(/^Uploading/);

    await user.click(screen.getByRole('button', { name: 'Cancel cat.png' }));
    expect(row('cat.png').getByText('Canceled')).toBeTruthy();
    expect(screen.queryByRole('progressbar')).toBeNull();

    server.resetHandlers();
    await user.click(screen.getByRole('button', { name: 'Retry cat.png' }));
    expect(await screen.findByText('Uploaded')).toBeTruthy();
    expect(storedText('uploads/cat.png')).toBe('bytes of cat.png');
  });

  it('a file canceled while its policy is being signed never reaches S3', async () => {
    // The backend answers only once the file is canceled.
    const signed = gate();
    const answered = gate();
    server.use(
      http.post(REUSABLE_POLICY, async () => {
        await signed.opened;
        answered.open();
        return undefined;
      }),
    );
    const user = userEvent.setup();
    render(<Uploader policy={REUSABLE_POLICY} />);
    await user.upload(chooser(), file('cat.png'));
    await screen.findByText('Preparing');
    await user.click(screen.getByRole('button', { name: 'Cancel cat.png' }));
    expect(row('cat.png').getByText('Canceled')).toBeTruthy();
    signed.open();
    await act(() => answered.opened);
    // Whatever the kit would do with that answer, it would do within these few ticks.
    await act(() => delay(50));
    expect(s3Requests()).toHaveLength(0);
    expect(storedKeys()).toEqual([]);
    expect(row('cat.png').getByText('Canceled')).toBeTruthy();
  });

  it('a failure keeps the file in the list; retry succeeds', async () => {
    failBackendOnce();
    const user = userEvent.setup();
    render(<Uploader policy={REUSABLE_POLICY} />);
    await user.upload(chooser(), file('cat.png'));
    expect(await row('cat.png').findByText('Failed')).toBeTruthy();
    expect(row('cat.png').getByText(/answered 500/)).toBeTruthy();

    await user.click(screen.getByRole('button', { name: 'Retry cat.png' }));
    expect(await row('cat.png').findByText('Uploaded')).toBeTruthy();
    expect(storedText('uploads/cat.png')).toBe('bytes of cat.png');
  });

  it('remove takes the file out of the list', async () => {
    const user = userEvent.setup();
    render(<Uploader policy={REUSABLE_POLICY} />);
    await user.upload(chooser(), file('cat.png'));
    await screen.findByText('Uploaded');
    await user.click(screen.getByRole('button', { name: 'Remove cat.png' }));
    expect(screen.queryByText('cat.png')).toBeNull();
    expect(document.activeElement).toBe(dropArea());
  });
});

describe('errors, each with its hint', () => {
  const signed = (input: Partial<Parameters<typeof flatAnswer>[0]> = {}) =>
    flatAnswer({ url: BUCKET_URL, key: 'uploads/${filename}', region: REGION, bucket: BUCKET, ...input });

  it('a backend answer with Signature Version 2 field names, found before sending', async () => {
    const user = userEvent.setup();
    const answer = { ...signed(), fields: { AWSAccessKeyId: CREDENTIALS.accessKeyId } };
    render(<Uploader policy={async () => answer} />);
    await user.upload(chooser(), file('cat.png'));
    const cat = row('cat.png');
    expect(await cat.findByText('Failed')).toBeTruthy();
    expect(cat.getByText(/Signature Version 2/, { selector: '.s3u-error-message' })).toBeTruthy();
    expect(cat.getByText(/./, { selector: '.s3u-error-hint' }).textContent?.length).toBeGreaterThan(20);
    expect(s3Requests()).toHaveLength(0);
  });

  it('a file larger than the policy allows, found before sending', async () => {
    const user = userEvent.setup();
    const answer = signed({ conditions: [['content-length-range', 0, 4]] });
    render(<Uploader policy={async () => answer} />);
    await user.upload(chooser(), file('cat.png'));
    const cat = row('cat.png');
    expect(await cat.findByText('Failed')).toBeTruthy();
    expect(cat.getByText(/the policy allows at most 4/)).toBeTruthy();
    expect(cat.getByText('Choose a smaller file, or raise the maximum of content-length-range in the policy the backend signs.')).toBeTruthy();
    expect(s3Requests()).toHaveLength(0);
  });

  it("S3's SignatureDoesNotMatch, with S3's StringToSign in the expandable details", async () => {
    const user = userEvent.setup();
    const answer = signed({ credentials: { ...CREDENTIALS, secretAccessKey: 'not-the-secret' } });
    render(<Uploader policy={async () => answer} />);
    await user.upload(chooser(), file('cat.png'));
    const cat = row('cat.png');
    expect(await cat.findByText('Failed')).toBeTruthy();
    expect(cat.getByText(/S3 refused the upload: SignatureDoesNotMatch \(403\)/)).toBeTruthy();
    expect(cat.getByText(/secret/i, { selector: '.s3u-error-hint' })).toBeTruthy();

    const details = cat.getByText('Details from S3').closest('details');
    expect(details?.open).toBe(false);
    await user.click(cat.getByText('Details from S3'));
    expect(details?.open).toBe(true);
    const evidence = within(details ?? document.body);
    expect(evidence.getByText('SignatureDoesNotMatch')).toBeTruthy();
    expect(evidence.getByText('StringToSign')).toBeTruthy();
    expect(evidence.getByText(answer.policy, { selector: 'pre' })).toBeTruthy();
    expect(evidence.getByText('RequestId')).toBeTruthy();
  });
});

describe('keyboard only', () => {
  it('Tab reaches the drop area, Enter and Space open the file dialog, and the row buttons work from the keyboard', async () => {
    holdS3Forever();
    const user = userEvent.setup();
    render(<Uploader policy={REUSABLE_POLICY} />);
    const input = chooser();
    if (!(input instanceof HTMLInputElement)) throw new Error('the chooser is not an input');
    const opened = vi.spyOn(input, 'click');

    await user.tab();
    expect(document.activeElement).toBe(dropArea());
    await user.keyboard('{Enter}');
    expect(opened).toHaveBeenCalledTimes(1);
    await user.keyboard(' ');
    expect(opened).toHaveBeenCalledTimes(2);

    // What the dialog would do:
    await user.upload(input, file('cat.png'));
    await screen.findByText(/^Uploading/);
    dropArea().focus();
    await user.tab();
    expect(document.activeElement).toBe(screen.getByRole('button', { name: 'Cancel cat.png' }));
    await user.keyboard('{Enter}');
    expect(row('cat.png').getByText('Canceled')).toBeTruthy();
    // The same button, now Retry, keeps focus.
    expect(document.activeElement).toBe(screen.getByRole('button', { name: 'Retry cat.png' }));

    server.resetHandlers();
    await user.keyboard(' ');
    expect(await row('cat.png').findByText('Uploaded')).toBeTruthy();
    expect(storedText('uploads/cat.png')).toBe('bytes of cat.png');

    screen.getByRole('button', { name: 'Remove cat.png' }).focus();
    await user.keyboard('{Enter}');
    expect(screen.queryByText('cat.png')).toBeNull();
    expect(document.activeElement).toBe(dropArea());
  });

  it('the file input is out of the tab order and visually hidden, but not display:none', () => {
    render(<Uploader policy={REUSABLE_POLICY} />);
    const input = chooser();
    expect(input.tabIndex).toBe(-1);
    expect(input.style.display).not.toBe('none');
    expect(input.style.position).toBe('absolute');
    expect(input.style.width).toBe('1px');
  });
});

describe('what else a user perceives', () => {
  it('announces added, finished and failed files in a polite live region', async () => {
    const user = userEvent.setup();
    const { rerender } = render(<Uploader policy={REUSABLE_POLICY} />);
    const status = screen.getByRole('status');
    expect(status.getAttribute('aria-live')).toBe('polite');

    holdS3Forever();
    await user.upload(chooser(), file('cat.png'));
    await waitFor(() => expect(status.textContent).toBe('Added cat.png.'));
    server.resetHandlers();
    failBackendOnce(`${APP}/api/policy/flat`);
    await user.click(screen.getByRole('button', { name: 'Cancel cat.png' }));
    await waitFor(() => expect(status.textContent).toBe('cat.png canceled.'));
    await user.click(screen.getByRole('button', { name: 'Retry cat.png' }));
    await waitFor(() => expect(status.textContent).toBe('cat.png uploaded.'));

    rerender(<Uploader policy={`${APP}/api/policy/flat`} />);
    await user.upload(chooser(), file('dog.png'));
    await waitFor(() => expect(status.textContent).toMatch(/^dog\.png failed: The policy endpoint answered 500/));
  });

  it('shows an image thumbnail from an object URL, revoked when the file is removed or the uploader unmounts', async () => {
    const created: string[] = [];
    vi.spyOn(URL, 'createObjectURL').mockImplementation(() => {
      created.push(`blob:thumb-${created.length}`);
      return created[created.length - 1] ?? '';
    });
    const revoke = vi.spyOn(URL, 'revokeObjectURL').mockImplementation(() => {});
    const user = userEvent.setup();
    const { unmount } = render(<Uploader policy={REUSABLE_POLICY} />);
    await user.upload(chooser(), [file('cat.png'), file('notes.txt', 'text', 'text/plain')]);
    await waitFor(() => expect(screen.getAllByText('Uploaded')).toHaveLength(2));

    expect(created).toEqual(['blob:thumb-0']);
    const thumbnail = row('cat.png').getByRole('presentation');
    expect(thumbnail.getAttribute('src')).toBe('blob:thumb-0');

    await user.click(screen.getByRole('button', { name: 'Remove cat.png' }));
    expect(revoke.mock.calls).toEqual([['blob:thumb-0']]);

    await user.upload(chooser(), file('dog.png'));
    await screen.findByText('dog.png');
    unmount();
    expect(revoke.mock.calls).toEqual([['blob:thumb-0'], ['blob:thumb-1']]);
  });

  it('puts its stylesheet in the document once, with a data attribute, and none when unstyled', () => {
    const { unmount } = render(
      <>
        <Uploader policy={REUSABLE_POLICY} />
        <Uploader policy={REUSABLE_POLICY} className="second" />
      </>,
    );
    const styles = document.head.querySelectorAll('style[data-s3-direct-upload]');
    expect(styles).toHaveLength(1);
    expect(styles[0]?.textContent).toContain('--s3u-accent');
    expect(styles[0]?.textContent).toContain('prefers-color-scheme: dark');
    expect(styles[0]?.textContent).toContain(':focus-visible');
    unmount();
    styles[0]?.remove();

    render(<Uploader policy={REUSABLE_POLICY} unstyled />);
    expect(document.head.querySelectorAll('style[data-s3-direct-upload]')).toHaveLength(0);
    expect(document.querySelector('.s3u-drop')).not.toBeNull();
  });

  it('children as a render function give a headless UI the state and the drop zone getters', async () => {
    const user = userEvent.setup();
    render(
      <Uploader policy={REUSABLE_POLICY}>
        {({ getRootProps, getInputProps, uploads, progress }) => (
          <section {...getRootProps({ 'aria-label': 'My drop target' })}>
            <input {...getInputProps({ 'aria-label': 'My chooser' })} />
            <output>{uploads.map((item) => `${item.file.name}:${item.status}`).join(' ')}</output>
            <span>{`total ${progress.percent}%`}</span>
          </section>
        )}
      </Uploader>,
    );
    expect(screen.queryByText(/Drop files here/)).toBeNull();
    await user.upload(screen.getByLabelText('My chooser'), file('cat.png'));
    expect(await screen.findByText('cat.png:success')).toBeTruthy();
    expect(screen.getByText('total 100%')).toBeTruthy();
    expect(screen.getByRole('button', { name: 'My drop target' })).toBeTruthy();
  });

  it('works without a QueryClientProvider', async () => {
    const user = userEvent.setup();
    render(
      <React.Fragment>
        <Uploader policy={REUSABLE_POLICY} />
      </React.Fragment>,
    );
    await user.upload(chooser(), file('cat.png'));
    expect(await screen.findByText('Uploaded')).toBeTruthy();
  });
});
