// axe-core over <Uploader> with the new row states on screen at once: a paused multipart row (parts
// text, Resume), an uploaded row whose delete failed (Delete, the reason), and a row whose
// upload-finished call failed. (happy-dom has no layout: colour contrast is left to the e2e suite.)
import { render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import axe from 'axe-core';
import { HttpResponse, http } from 'msw';
import { beforeAll, describe, expect, it } from 'vitest';
import type { MultipartOptions } from '../../src/index';
import { Uploader } from '../../src/react/index';
import { MIB, PART_SIZE, beforeParts, isolateXhrResponseHeaders, memoryStorage, randomFile } from '../support/multipart-fixtures';
import { MULTIPART_API, presignedBackend } from '../support/multipart-presigned-backend';
import { APP, REUSABLE_POLICY, file, s3, server, useTestServer } from '../support/react-harness';

useTestServer();
beforeAll(() => isolateXhrResponseHeaders());

const row = (name: string) => within(screen.getByText(name, { selector: '.s3u-name' }).closest('li') ?? document.body);

describe('accessibility', () => {
  it('axe finds no violation with paused, resumed, delete-failed and upload-finished-failed rows', async () => {
    const backend = presignedBackend();
    server.use(
      ...backend.handlers,
      // Files named fail-*.png fail the upload-finished call; deletes always fail.
      http.post(`${APP}/api/finished`, async ({ request }) => {
        const body: unknown = await request.json();
        const failing = typeof body === 'object' && body !== null && 'key' in body && String(body.key).includes('fail-');
        return failing ? new HttpResponse('no', { status: 500 }) : HttpResponse.json({});
      }),
      http.post(`${APP}/api/delete`, () => new HttpResponse('locked', { status: 409 })),
      beforeParts(s3, (partNumber) => (partNumber === 1 ? undefined : new Promise<never>(() => undefined))).handler,
    );
    const multipart: MultipartOptions = { backend: { presigned: { url: MULTIPART_API } }, threshold: 6 * MIB, partSize: PART_SIZE, concurrency: 1, resume: { storage: memoryStorage() } };
    const user = userEvent.setup();
    render(
      <main>
        <h1>Files</h1>
        <Uploader policy={REUSABLE_POLICY} multipart={multipart} uploadFinished={`${APP}/api/finished`} deleteFile={`${APP}/api/delete`} />
      </main>,
    );
    const chooser = screen.getByLabelText('Choose files to upload');
    await user.upload(chooser, [file('kept.png'), file('fail-notice.png')]);
    await row('kept.png').findByText('Uploaded');
    await row('fail-notice.png').findByText('Failed');
    await user.click(row('kept.png').getByRole('button', { name: 'Delete kept.png' }));
    await row('kept.png').findByText('Uploaded · not deleted');
    await user.upload(chooser, randomFile(12 * MIB).file);
    await row('movie.mp4').findByText('1 of 3 parts · 1 in flight', { exact: false });
    await user.click(row('movie.mp4').getByRole('button', { name: 'Pause movie.mp4' }));
    await row('movie.mp4').findByText(/^Paused at/);

    const results = await axe.run(document.body, { resultTypes: ['violations'] });
    expect(results.violations.map((violation) => `${violation.id}: ${violation.nodes.map((node) => node.target.join(' ')).join(', ')}`)).toEqual([]);
  });
});
