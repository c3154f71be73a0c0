// useS3Upload through its public API: what upload() resolves to, the state it exposes, TanStack Query
// integration, policy reuse, cancel/retry/remove/reset, and StrictMode.
import { act, render, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { QueryClient, QueryClientProvider, useIsMutating, useMutationState, type Mutation } from '@tanstack/react-query';
import * as React from 'react';
import { describe, expect, it, vi } from 'vitest';
import { S3ResponseError } from '../../src/index';
import { Uploader, uploadMutationKey } from '../../src/react/index';
import { flatAnswer } from '../support/aws-signer';
import { REGION } from '../support/backends';
import {
  BUCKET,
  BUCKET_URL,
  PER_FILE_POLICY,
  REUSABLE_POLICY,
  backendCalls,
  failBackendOnce,
  file,
  s3Requests,
  server,
  storedKeys,
  storedText,
  useTestServer,
  holdS3Forever,
  renderUpload,
} from '../support/react-harness';

useTestServer();


describe('upload()', () => {
  it('resolves with a result per file, and the list shows each file with its tagged status', async () => {
    const { result } = renderUpload({ policy: REUSABLE_POLICY });
    expect(result.current.uploads).toEqual([]);
    expect(result.current.isUploading).toBe(false);

    let pending: ReturnType<typeof result.current.upload> | undefined;
    act(() => {
      pending = result.current.upload([file('cat.png'), file('dog.png')]);
    });
    expect(result.current.isUploading).toBe(true);
    expect(result.current.uploads.map((upload) => upload.status)).toEqual(['queued', 'queued']);

    const outcomes = await act(() => pending ?? Promise.resolve([]));
    expect(outcomes.map((outcome) => [outcome.file.name, outcome.status])).toEqual([
      ['cat.png', 'success'],
      ['dog.png', 'success'],
    ]);
    const [cat] = outcomes;
    expect(cat?.status === 'success' && cat.result).toMatchObject({ bucket: BUCKET, key: 'uploads/cat.png' });
    expect(result.current.isUploading).toBe(false);
    expect(result.current.uploads.map((upload) => [upload.status, upload.progress.percent])).toEqual([
      ['success', 100],
      ['success', 100],
    ]);
    expect(result.current.progress).toMatchObject({ percent: 100, bytes: 32, total: 32 });
    expect(storedKeys()).toEqual(['uploads/cat.png', 'uploads/dog.png']);
  });

  it('returns refused files as data, with react-dropzone codes, and never throws for them', async () => {
    const { result } = renderUpload({ policy: REUSABLE_POLICY, accept: ['.png'], minSize: 2, maxSize: 100 });
    const outcomes = await act(() =>
      result.current.upload([file('notes.txt', 'text', 'text/plain'), file('big.png', 'x'.repeat(101)), file('tiny.png', 'x'), file('ok.png')]),
    );
    expect(outcomes.map((outcome) => outcome.file.name)).toEqual(['ok.png']);
    expect(result.current.rejections.map((rejection) => [rejection.file.name, rejection.errors.map((error) => error.code)])).toEqual([
      ['notes.txt', ['file-invalid-type']],
      ['big.png', ['file-too-large']],
      ['tiny.png', ['file-too-small']],
    ]);
    expect(result.current.rejections[0]?.errors[0]?.message).toBe('notes.txt is text/plain; this uploader accepts .png.');
    expect(result.current.rejections[2]?.errors[0]?.message).toBe('tiny.png is 1 B; this uploader takes files of at least 2 B. Choose a larger file.');
  });

  it('maxFiles counts the files already in the list', async () => {
    const { result } = renderUpload({ policy: REUSABLE_POLICY, maxFiles: 2 });
    await act(() => result.current.upload([file('a.png')]));
    await act(() => result.current.upload([file('b.png'), file('c.png')]));
    expect(result.current.uploads.map((upload) => upload.file.name)).toEqual(['a.png']);
    expect(result.current.rejections.map((rejection) => rejection.errors[0]?.message)).toEqual([
      '2 files were chosen and 1 is already in the list; this uploader holds at most 2 files. Remove some and choose again.',
      '2 files were chosen and 1 is already in the list; this uploader holds at most 2 files. Remove some and choose again.',
    ]);
    act(() => result.current.remove(result.current.uploads[0]?.id ?? ''));
    await act(() => result.current.upload([file('b.png'), file('c.png')]));
    expect(result.current.uploads.map((upload) => upload.file.name)).toEqual(['b.png', 'c.png']);
    expect(result.current.rejections).toEqual([]);
  });

  it('calls onProgress, onSuccess, onError and onSettled', async () => {
    failBackendOnce();
    const onProgress = vi.fn();
    const onSuccess = vi.fn();
    const onError = vi.fn();
    const onSettled = vi.fn();
    const { result } = renderUpload({ policy: REUSABLE_POLICY, concurrency: 1, onProgress, onSuccess, onError, onSettled });
    await act(() => result.current.upload([file('bad.png'), file('good.png')]));

    expect(onError).toHaveBeenCalledTimes(1);
    expect(onError.mock.calls[0]?.[0]).toMatchObject({ code: 'backend-http-error', status: 500 });
    expect(onError.mock.calls[0]?.[1]).toMatchObject({ file: { name: 'bad.png' } });
    expect(onSuccess).toHaveBeenCalledTimes(1);
    expect(onSuccess.mock.calls[0]?.[0]).toMatchObject({ key: 'uploads/good.png' });
    expect(onProgress.mock.calls.at(-1)).toEqual([{ bytes: 17, total: 17, percent: 100, rate: expect.any(Number) }, expect.objectContaining({ file: expect.objectContaining({ name: 'good.png' }) })]);
    expect(onSettled.mock.calls.map(([outcome]) => [outcome.file.name, outcome.status])).toEqual([
      ['bad.png', 'error'],
      ['good.png', 'success'],
    ]);
  });

  it('a callback that throws neither stalls the queue nor hides its error', async () => {
    const reported = vi.fn();
    vi.stubGlobal('reportError', reported);
    const broken = new Error('bug in the app');
    const { result } = renderUpload({
      policy: REUSABLE_POLICY,
      concurrency: 1,
      onSuccess: () => {
        throw broken;
      },
    });
    const outcomes = await act(() => result.current.upload([file('a.png'), file('b.png')]));
    expect(outcomes.map((outcome) => outcome.status)).toEqual(['success', 'success']);
    expect(reported.mock.calls).toEqual([[broken], [broken]]);
  });

  it("settled uploads are left to the cache's gcTime, not kept forever", async () => {
    const client = new QueryClient({ defaultOptions: { mutations: { gcTime: 10 } } });
    const { result } = renderUpload({ policy: REUSABLE_POLICY }, client);
    await act(() => result.current.upload([file('a.png')]));
    expect(client.getMutationCache().findAll({ mutationKey: uploadMutationKey })).toHaveLength(1);
    await waitFor(() => expect(client.getMutationCache().findAll({ mutationKey: uploadMutationKey })).toHaveLength(0));
    expect(result.current.uploads.map((upload) => upload.status)).toEqual(['success']);
  });

  it('a failed file keeps the kit error (message, hint, code, S3 evidence) and can be retried', async () => {
    let calls = 0;
    const policy = async () => {
      calls += 1;
      const credentials = calls === 1 ? { accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: 'wrong' } : undefined;
      return flatAnswer({ url: BUCKET_URL, key: 'k/${filename}', region: REGION, bucket: BUCKET, ...(credentials ? { credentials } : {}) });
    };
    const { result } = renderUpload({ policy });
    await act(() => result.current.upload([file('cat.png')]));
    const [failed] = result.current.uploads;
    if (failed?.status !== 'error') throw new Error(`expected an error, got ${failed?.status}`);
    expect(failed.file.name).toBe('cat.png');
    expect(failed.error).toBeInstanceOf(S3ResponseError);
    expect(failed.error).toMatchObject({ code: 'SignatureDoesNotMatch', hint: expect.stringContaining('secret'), s3: { code: 'SignatureDoesNotMatch' } });

    const outcome = await act(() => result.current.retry(failed.id));
    expect(outcome?.status).toBe('success');
    expect(result.current.uploads.map((upload) => [upload.id, upload.status])).toEqual([[failed.id, 'success']]);
    expect(storedText('k/cat.png')).toBe('bytes of cat.png');
  });
});

describe('with the app QueryClient', () => {
  it('uploads are mutations under uploadMutationKey: useMutationState and useIsMutating in a sibling see them', async () => {
    holdS3Forever();
    const user = userEvent.setup();
    const client = new QueryClient();
    const nameOf = (mutation: Mutation<unknown, Error, unknown, unknown>) => {
      const variables = mutation.state.variables;
      return typeof variables === 'object' && variables !== null && 'file' in variables && variables.file instanceof File ? variables.file.name : '?';
    };
    function Sibling() {
      const states = useMutationState({ filters: { mutationKey: uploadMutationKey }, select: (mutation) => `${nameOf(mutation)} ${mutation.state.status}` });
      const mutating = useIsMutating({ mutationKey: uploadMutationKey });
      return <p data-testid="sibling">{`${states.join(', ')} | ${mutating} in progress`}</p>;
    }
    render(
      <QueryClientProvider client={client}>
        <Uploader policy={REUSABLE_POLICY} />
        <Sibling />
      </QueryClientProvider>,
    );
    await user.upload(screen.getByLabelText('Choose files to upload'), [file('cat.png'), file('dog.png')]);
    await waitFor(() => expect(screen.getByTestId('sibling').textContent).toBe('cat.png pending, dog.png pending | 2 in progress'));

    server.resetHandlers();
    await user.click(screen.getByRole('button', { name: 'Cancel cat.png' }));
    await user.click(screen.getByRole('button', { name: 'Retry cat.png' }));
    await user.click(screen.getByRole('button', { name: 'Remove dog.png' }));
    await waitFor(() => expect(screen.getByTestId('sibling').textContent).toBe('cat.png success | 0 in progress'));
  });

  it("the app's retry defaults do not repeat a failed upload or policy request", async () => {
    failBackendOnce();
    const client = new QueryClient({ defaultOptions: { queries: { retry: 3, retryDelay: 0 }, mutations: { retry: 3, retryDelay: 0 } } });
    const { result } = renderUpload({ policy: REUSABLE_POLICY }, client);
    const [outcome] = await act(() => result.current.upload([file('cat.png')]));
    expect(outcome?.status).toBe('error');
    expect(backendCalls).toHaveLength(1);
  });
});

describe('policy reuse', () => {
  it('several files under a ${filename} policy cost one backend call', async () => {
    const { result } = renderUpload({ policy: REUSABLE_POLICY, concurrency: 3 });
    const names = ['a.png', 'b.png', 'c.png', 'd.png', 'e.png'];
    const outcomes = await act(() => result.current.upload(names.map((name) => file(name))));
    expect(outcomes.map((outcome) => outcome.status)).toEqual(['success', 'success', 'success', 'success', 'success']);
    expect(backendCalls).toEqual(['/api/policy/boto3']);
    expect(storedKeys()).toEqual(names.map((name) => `uploads/${name}`));

    await act(() => result.current.upload([file('later.png')]));
    expect(backendCalls).toHaveLength(1);
    expect(storedText('uploads/later.png')).toBe('bytes of later.png');
  });

  it('a policy signed for one exact key: each file asks for its own', async () => {
    const { result } = renderUpload({ policy: PER_FILE_POLICY });
    await act(() => result.current.upload([file('a.png'), file('b.png'), file('c.png')]));
    expect(backendCalls).toHaveLength(3);
    expect(storedKeys()).toEqual(['uploads/a.png', 'uploads/b.png', 'uploads/c.png']);
  });

  it('a policy S3 finds expired is fetched again once, automatically', async () => {
    let calls = 0;
    const policy = async () => {
      calls += 1;
      // The first answer is one S3 calls expired while this device, allowing for clock skew, does not.
      const stale = calls === 1 ? { now: new Date(Date.now() - 120_000), expiresInSeconds: 60 } : {};
      return flatAnswer({ url: BUCKET_URL, key: 'uploads/${filename}', region: REGION, bucket: BUCKET, ...stale });
    };
    const { result } = renderUpload({ policy });
    const [outcome] = await act(() => result.current.upload([file('cat.png')]));
    expect(outcome?.status).toBe('success');
    expect(calls).toBe(2);
    expect(s3Requests().map((request) => request.status)).toEqual([403, 204]);
  });

  it('only once: a second expired policy fails the file with S3 evidence', async () => {
    let calls = 0;
    const policy = async () => {
      calls += 1;
      return flatAnswer({ url: BUCKET_URL, key: 'uploads/${filename}', region: REGION, bucket: BUCKET, now: new Date(Date.now() - 120_000), expiresInSeconds: 60 });
    };
    const { result } = renderUpload({ policy });
    const [outcome] = await act(() => result.current.upload([file('cat.png')]));
    expect(outcome?.status === 'error' && outcome.error).toMatchObject({ code: 'AccessDenied', s3: { message: 'Invalid according to Policy: Policy expired.' } });
    expect(calls).toBe(2);
  });
});

describe('cancel, concurrency, remove, reset', () => {
  it('runs at most `concurrency` files at once; cancel() with no id cancels every queued and running file at once', async () => {
    holdS3Forever();
    const { result } = renderUpload({ policy: REUSABLE_POLICY, concurrency: 2 });
    let pending: ReturnType<typeof result.current.upload> | undefined;
    act(() => {
      pending = result.current.upload(['a.png', 'b.png', 'c.png', 'd.png'].map((name) => file(name)));
    });
    await waitFor(() => expect(result.current.uploads.map((upload) => upload.status)).toEqual(['uploading', 'uploading', 'queued', 'queued']));

    act(() => result.current.cancel());
    expect(result.current.uploads.map((upload) => upload.status)).toEqual(['canceled', 'canceled', 'canceled', 'canceled']);
    expect(result.current.isUploading).toBe(false);
    const outcomes = await act(() => pending ?? Promise.resolve([]));
    expect(outcomes.map((outcome) => outcome.status)).toEqual(['canceled', 'canceled', 'canceled', 'canceled']);
  });

  it('cancel(id) stops one file; the others go on', async () => {
    const { result } = renderUpload({ policy: REUSABLE_POLICY, concurrency: 1 });
    let pending: ReturnType<typeof result.current.upload> | undefined;
    act(() => {
      pending = result.current.upload([file('a.png'), file('b.png')]);
    });
    act(() => result.current.cancel(result.current.uploads[1]?.id));
    const outcomes = await act(() => pending ?? Promise.resolve([]));
    expect(outcomes.map((outcome) => outcome.status)).toEqual(['success', 'canceled']);
    expect(storedKeys()).toEqual(['uploads/a.png']);
  });

  it('reset() empties the list and the MutationCache', async () => {
    const client = new QueryClient();
    const { result } = renderUpload({ policy: REUSABLE_POLICY, accept: 'image/png' }, client);
    await act(() => result.current.upload([file('a.png'), file('b.txt', 'b', 'text/plain')]));
    expect(client.getMutationCache().findAll({ mutationKey: uploadMutationKey })).toHaveLength(1);
    act(() => result.current.reset());
    expect(result.current.uploads).toEqual([]);
    expect(result.current.rejections).toEqual([]);
    expect(client.getMutationCache().findAll({ mutationKey: uploadMutationKey })).toHaveLength(0);
  });
});

describe('StrictMode', () => {
  it('double effects and double state init upload each file once', async () => {
    const user = userEvent.setup();
    const onSuccess = vi.fn();
    render(
      <React.StrictMode>
        <Uploader policy={REUSABLE_POLICY} onSuccess={onSuccess} />
      </React.StrictMode>,
    );
    await user.upload(screen.getByLabelText('Choose files to upload'), file('cat.png'));
    expect(await screen.findByText('Uploaded')).toBeTruthy();
    expect(screen.getAllByRole('listitem')).toHaveLength(1);
    expect(backendCalls).toHaveLength(1);
    expect(s3Requests().filter((request) => request.method === 'POST')).toHaveLength(1);
    expect(onSuccess).toHaveBeenCalledTimes(1);
  });
});
