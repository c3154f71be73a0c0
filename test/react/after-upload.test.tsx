// What follows S3's answer in the React layer: the app's upload-finished call (the file is a success
// only once it succeeds; a failure is retried without uploading again) and deleting through the app's
// backend (the row leaves the list, or stays with the reason).
import { act, render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { http, HttpResponse } from 'msw';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { AfterUploadError, type MultipartOptions } from '../../src/index';
import { Uploader } from '../../src/react/index';
import { MIB, PART_SIZE, isolateXhrResponseHeaders, memoryStorage, randomFile } from '../support/multipart-fixtures';
import { MULTIPART_API, presignedBackend } from '../support/multipart-presigned-backend';
import { APP, BUCKET, REUSABLE_POLICY, file, s3Requests, server, storedText, useTestServer, renderUpload } from '../support/react-harness';

useTestServer();
beforeAll(() => isolateXhrResponseHeaders());

const FINISHED = `${APP}/api/upload-finished`;
const DELETE = `${APP}/api/delete`;

/** An app endpoint answering each call with the next of `answers` (the last one for ever); keeps the bodies. */
function appEndpoint(url: string, ...answers: Array<() => Response | Promise<Response>>) {
  const bodies: unknown[] = [];
  server.use(
    http.post(url, async ({ request }) => {
      bodies.push(await request.json());
      const answer = answers[Math.min(bodies.length, answers.length) - 1];
      return answer ? answer() : HttpResponse.json({});
    }),
  );
  return bodies;
}

const s3Posts = () => s3Requests().filter((request) => request.method === 'POST').length;

describe('uploadFinished', () => {
  it('is called with { key, bucket, etag } after S3 stored the file; the file is a success with its answer', async () => {
    const bodies = appEndpoint(FINISHED, () => HttpResponse.json({ id: 42 }));
    const { result } = renderUpload({ policy: REUSABLE_POLICY, uploadFinished: FINISHED });
    const [outcome] = await act(() => result.current.upload([file('cat.png')]));
    expect(outcome).toMatchObject({ status: 'success', finished: { id: 42 }, result: { key: 'uploads/cat.png' } });
    expect(bodies).toEqual([{ key: 'uploads/cat.png', bucket: BUCKET, etag: expect.stringMatching(/^[0-9a-f]{32}$/) }]);
    expect(result.current.uploads[0]).toMatchObject({ status: 'success', finished: { id: 42 } });
    expect(storedText('uploads/cat.png')).toBe('bytes of cat.png');
  });

  it("is 'finishing' while the call is on its way, and a success only after it answers", async () => {
    let answer = (): void => undefined;
    const answered = new Promise<void>((resolve) => {
      answer = resolve;
    });
    appEndpoint(FINISHED, async () => {
      await answered;
      return HttpResponse.json({ ok: true });
    });
    const { result } = renderUpload({ policy: REUSABLE_POLICY, uploadFinished: { url: FINISHED } });
    let pending: Promise<unknown> = Promise.resolve();
    act(() => {
      pending = result.current.upload([file('cat.png')]);
    });
    await waitFor(() => expect(result.current.uploads[0]?.status).toBe('finishing'));
    expect(storedText('uploads/cat.png')).toBe('bytes of cat.png');
    expect(result.current.isUploading).toBe(true);
    answer();
    await act(() => pending);
    expect(result.current.uploads[0]?.status).toBe('success');
  });

  it('a failed call leaves an error that says the file IS in S3; retry repeats only the call', async () => {
    const bodies = appEndpoint(FINISHED, () => new HttpResponse('queue is full', { status: 503, statusText: 'Service Unavailable' }), () => HttpResponse.json({ id: 7 }));
    const onError = vi.fn();
    const { result } = renderUpload({ policy: REUSABLE_POLICY, uploadFinished: FINISHED, onError });
    const [first] = await act(() => result.current.upload([file('cat.png')]));
    expect(first?.status).toBe('error');
    const failed = result.current.uploads[0];
    if (failed?.status !== 'error') throw new Error(`expected an error, got ${failed?.status}`);
    expect(failed.error).toBeInstanceOf(AfterUploadError);
    expect(failed.error).toMatchObject({ code: 'upload-finished-failed', status: 503 });
    expect(failed.error.message).toContain('The file is in S3 (s3://photos/uploads/cat.png)');
    expect(failed.error.message).toContain('queue is full');
    expect(failed.result).toMatchObject({ key: 'uploads/cat.png' });
    expect(onError).toHaveBeenCalledTimes(1);
    expect(s3Posts()).toBe(1);

    const again = await act(() => result.current.retry(failed.id));
    expect(again).toMatchObject({ status: 'success', finished: { id: 7 } });
    expect(s3Posts()).toBe(1);
    expect(bodies).toHaveLength(2);
    expect(bodies[1]).toEqual(bodies[0]);
  });

  it('cancel while the call is on its way aborts it; retry repeats only the call', async () => {
    let calls = 0;
    server.use(
      http.post(FINISHED, async () => {
        calls += 1;
        if (calls === 1) await new Promise<never>(() => undefined);
        return HttpResponse.json({ second: true });
      }),
    );
    const { result } = renderUpload({ policy: REUSABLE_POLICY, uploadFinished: FINISHED });
    let pending: Promise<Array<{ status: string }>> = Promise.resolve([]);
    act(() => {
      pending = result.current.upload([file('cat.png')]);
    });
    await waitFor(() => expect(result.current.uploads[0]?.status).toBe('finishing'));
    act(() => result.current.cancel());
    expect((await act(() => pending)).map((outcome) => outcome.status)).toEqual(['canceled']);

    const again = await act(() => result.current.retry(result.current.uploads[0]?.id ?? ''));
    expect(again).toMatchObject({ status: 'success', finished: { second: true } });
    expect(calls).toBe(2);
    expect(s3Posts()).toBe(1);
  });

  it('a function gets { key, bucket, etag, location } for a multipart file too', async () => {
    const backend = presignedBackend();
    server.use(...backend.handlers);
    const multipart: MultipartOptions = { backend: { presigned: { url: MULTIPART_API } }, threshold: 6 * MIB, partSize: PART_SIZE, resume: { storage: memoryStorage() } };
    const uploadFinished = vi.fn(async () => 'recorded');
    const { result } = renderUpload({ policy: REUSABLE_POLICY, multipart, uploadFinished });
    const [outcome] = await act(() => result.current.upload([randomFile(12 * MIB).file]));
    expect(outcome).toMatchObject({ status: 'success', finished: 'recorded' });
    expect(uploadFinished).toHaveBeenCalledTimes(1);
    expect(uploadFinished).toHaveBeenCalledWith(
      { key: 'uploads/movie.mp4', bucket: BUCKET, etag: expect.stringMatching(/-3$/), location: expect.any(String) },
      { signal: expect.any(AbortSignal) },
    );
  });

  it('<Uploader> shows the failure with its hint and Retry, and Retry makes the row Uploaded', async () => {
    appEndpoint(FINISHED, () => new HttpResponse('boom', { status: 500 }), () => HttpResponse.json({}));
    const user = userEvent.setup();
    render(<Uploader policy={REUSABLE_POLICY} uploadFinished={FINISHED} />);
    await user.upload(screen.getByLabelText('Choose files to upload'), file('cat.png'));
    const row = within(await screen.findByRole('listitem'));
    expect(await row.findByText('Failed')).toBeTruthy();
    expect(row.getByText(/^The file is in S3 \(s3:\/\/photos\/uploads\/cat\.png\), but the backend's upload-finished call/)).toBeTruthy();
    expect(row.getByText(/Nothing needs to be uploaded again/)).toBeTruthy();
    await user.click(row.getByRole('button', { name: 'Retry cat.png' }));
    expect(await row.findByText('Uploaded')).toBeTruthy();
    expect(s3Posts()).toBe(1);
  });
});

describe('deleteFile', () => {
  it('the hook: deleting, then the file leaves the list and onDeleted is called', async () => {
    const bodies = appEndpoint(DELETE, () => HttpResponse.json({ deleted: true }));
    const onDeleted = vi.fn();
    const { result } = renderUpload({ policy: REUSABLE_POLICY, deleteFile: DELETE, onDeleted });
    await act(() => result.current.upload([file('cat.png')]));
    const id = result.current.uploads[0]?.id ?? '';
    let deleting: Promise<boolean> = Promise.resolve(false);
    act(() => {
      deleting = result.current.deleteUploaded(id);
    });
    expect(result.current.uploads[0]?.status).toBe('deleting');
    expect(result.current.progress.percent).toBe(100);
    await expect(act(() => deleting)).resolves.toBe(true);
    expect(result.current.uploads).toEqual([]);
    expect(bodies).toEqual([{ key: 'uploads/cat.png', bucket: BUCKET }]);
    expect(onDeleted).toHaveBeenCalledWith(expect.objectContaining({ key: 'uploads/cat.png' }), expect.objectContaining({ id }));
  });

  it('the hook: nothing to delete without deleteFile, or for a file that is not uploaded', async () => {
    const { result } = renderUpload({ policy: REUSABLE_POLICY });
    await act(() => result.current.upload([file('cat.png')]));
    await expect(act(() => result.current.deleteUploaded(result.current.uploads[0]?.id ?? ''))).resolves.toBe(false);
    await expect(act(() => result.current.deleteUploaded('no-such-file'))).resolves.toBe(false);
    expect(result.current.uploads.map((upload) => upload.status)).toEqual(['success']);
  });

  it('<Uploader>: Delete is busy while deleting, then the row is gone, focus returns to the drop area, and it is announced', async () => {
    let answer = (): void => undefined;
    const answered = new Promise<void>((resolve) => {
      answer = resolve;
    });
    appEndpoint(DELETE, async () => {
      await answered;
      return new HttpResponse(null, { status: 204 });
    });
    const user = userEvent.setup();
    render(<Uploader policy={REUSABLE_POLICY} deleteFile={DELETE} />);
    await user.upload(screen.getByLabelText('Choose files to upload'), file('cat.png'));
    const row = within(await screen.findByRole('listitem'));
    await row.findByText('Uploaded');
    await user.click(row.getByRole('button', { name: 'Delete cat.png' }));
    const busy = row.getByRole('button', { name: 'Delete cat.png' });
    expect(busy.getAttribute('aria-busy')).toBe('true');
    expect(busy.getAttribute('aria-disabled')).toBe('true');
    expect(busy.textContent).toBe('Deleting…');
    expect(busy).toBe(document.activeElement);
    answer();
    await waitFor(() => expect(screen.queryByRole('listitem')).toBeNull());
    expect(await screen.findByText('cat.png deleted.')).toBeTruthy();
    expect(document.activeElement).toBe(screen.getByRole('button', { name: 'Drop files here or choose files' }));
  });

  it('<Uploader>: a failed delete keeps the row as uploaded with the reason; Delete again retries', async () => {
    appEndpoint(DELETE, () => HttpResponse.json({ error: 'object is locked' }, { status: 409, statusText: 'Conflict' }), () => HttpResponse.json({}));
    const user = userEvent.setup();
    render(<Uploader policy={REUSABLE_POLICY} deleteFile={{ url: DELETE }} />);
    await user.upload(screen.getByLabelText('Choose files to upload'), file('cat.png'));
    const row = within(await screen.findByRole('listitem'));
    await row.findByText('Uploaded');
    await user.click(row.getByRole('button', { name: 'Delete cat.png' }));
    expect(await row.findByText('Uploaded · not deleted')).toBeTruthy();
    expect(row.getByText(/^The file is still in S3 \(s3:\/\/photos\/uploads\/cat\.png\).*409.*object is locked/)).toBeTruthy();
    expect(await screen.findByText(/^cat\.png was not deleted: The file is still in S3/)).toBeTruthy();
    expect(row.getByRole('button', { name: 'Delete cat.png' }).textContent).toBe('Delete');

    await user.click(row.getByRole('button', { name: 'Delete cat.png' }));
    await waitFor(() => expect(screen.queryByRole('listitem')).toBeNull());
  });

  it('<Uploader> without deleteFile shows no Delete button', async () => {
    const user = userEvent.setup();
    render(<Uploader policy={REUSABLE_POLICY} />);
    await user.upload(screen.getByLabelText('Choose files to upload'), file('cat.png'));
    const row = within(await screen.findByRole('listitem'));
    await row.findByText('Uploaded');
    expect(row.queryByRole('button', { name: 'Delete cat.png' })).toBeNull();
  });
});
