// The new row features cost idle rows nothing: with multipart, uploadFinished and deleteFile all on, a
// finished row and a paused multipart row do not render again while another file progresses. UploadRow
// is wrapped in a counter with the same memo comparison, so a render of the counter is a render of it.
import { act, render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { HttpResponse, http } from 'msw';
import * as React from 'react';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import type { MultipartOptions } from '../../src/index';
import { Uploader } from '../../src/react/index';
import type { UploadRowProps } from '../../src/react/UploadRow';
import { MIB, PART_SIZE, beforeParts, isolateXhrResponseHeaders, memoryStorage, randomFile } from '../support/multipart-fixtures';
import { MULTIPART_API, presignedBackend } from '../support/multipart-presigned-backend';
import { APP, BUCKET_URL, REUSABLE_POLICY, file, s3, server, useTestServer } from '../support/react-harness';
import { captureUploadProgress, controlFrames, nextTask } from '../support/react-progress';

const renders = vi.hoisted(() => new Map<string, number>());

vi.mock('../../src/react/UploadRow', async (importOriginal) => {
  const original = await importOriginal<typeof import('../../src/react/UploadRow')>();
  const Real = original.UploadRow;
  const Counted = React.memo(function Counted(props: UploadRowProps) {
    const name = props.upload.file.name;
    renders.set(name, (renders.get(name) ?? 0) + 1);
    return <Real {...props} />;
  });
  return { ...original, UploadRow: Counted };
});

useTestServer();
beforeAll(() => isolateXhrResponseHeaders());

describe('idle rows', () => {
  it('a finished row and a paused multipart row do not render while another file progresses', async () => {
    const backend = presignedBackend();
    server.use(...backend.handlers, http.post(`${APP}/api/finished`, () => HttpResponse.json({})), http.post(`${APP}/api/delete`, () => HttpResponse.json({})));
    // Part 2 of the movie never answers, so that it can be paused mid-way.
    server.use(beforeParts(s3, (partNumber) => (partNumber === 1 ? undefined : new Promise<never>(() => undefined))).handler);
    const multipart: MultipartOptions = { backend: { presigned: { url: MULTIPART_API } }, threshold: 6 * MIB, partSize: PART_SIZE, concurrency: 1, resume: { storage: memoryStorage() } };
    const user = userEvent.setup();
    render(<Uploader policy={REUSABLE_POLICY} multipart={multipart} uploadFinished={`${APP}/api/finished`} deleteFile={`${APP}/api/delete`} />);
    const chooser = screen.getByLabelText('Choose files to upload');

    await user.upload(chooser, file('done.png'));
    await screen.findByText('Uploaded');
    await user.upload(chooser, randomFile(12 * MIB).file);
    await screen.findByText('1 of 3 parts · 1 in flight', { exact: false });
    await user.click(screen.getByRole('button', { name: 'Pause movie.mp4' }));
    await screen.findByText(/^Paused at/);

    // A third file whose POST S3 holds, progressing under the test's control.
    server.use(
      http.post(BUCKET_URL, async () => {
        await new Promise<never>(() => undefined);
        return new HttpResponse(null, { status: 204 });
      }),
    );
    const frames = controlFrames();
    const progress = captureUploadProgress();
    await user.upload(chooser, file('busy.png', 'x'.repeat(1000)));
    await waitFor(() => expect(progress.count()).toBe(1));
    const busy = within(screen.getByText('busy.png', { selector: '.s3u-name' }).closest('li') ?? document.body);
    await busy.findByText(/^Uploading 0%/);
    await act(nextTask);
    const before = new Map(renders);

    for (const loaded of [200, 400, 600, 800]) {
      progress.emit(0, loaded, 1020);
      await nextTask();
      act(() => frames.run());
    }
    expect(busy.getByRole('progressbar').getAttribute('aria-valuenow')).toBe('78');
    expect((renders.get('busy.png') ?? 0) - (before.get('busy.png') ?? 0)).toBe(4);
    expect(renders.get('done.png')).toBe(before.get('done.png'));
    expect(renders.get('movie.mp4')).toBe(before.get('movie.mp4'));
  });
});
