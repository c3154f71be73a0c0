// The browser goes offline: the upload waits for the `online` event, says so through onWaiting, and
// goes on by itself; a connection lost with the network is not counted as a failed try. And an abort
// while the backend is still signing settles at once, with nothing sent to S3.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { UploadAbortedError, uploadFile, type UploadWait } from '../../../src/index';
import { FAULT_BUCKET, installUploadProgress, startFaultServer, type FaultServer } from '../../support/fault-server';
import { expectSteadyProgress, KEY_PREFIX, policyBackend, randomFile, sameBytes, uploadPosts } from './fault-fixtures';
import { eventually } from '../../support/eventually';

let server: FaultServer;
let restoreXhr: () => void;
let offline = false;
beforeEach(async () => {
  server = await startFaultServer({ policy: () => new Promise(() => undefined) });
  restoreXhr = installUploadProgress(server);
  offline = false;
  vi.spyOn(navigator, 'onLine', 'get').mockImplementation(() => !offline);
});
afterEach(async () => {
  restoreXhr();
  await server.stop();
});

const SIZE = 128 * 1024;

function goOnline(): void {
  offline = false;
  window.dispatchEvent(new Event('online'));
}

describe('offline', () => {
  it('offline when the upload is sent: waits for `online`, sends nothing until then, then uploads', async () => {
    offline = true;
    const { file, bytes } = randomFile(SIZE);
    const backend = policyBackend(server);
    const waits: UploadWait[] = [];
    const progress: Array<{ loaded: number; total: number }> = [];
    const upload = uploadFile(file, { policy: backend.policy, onWaiting: (wait) => waits.push(wait), onProgress: (event) => progress.push(event) });

    await eventually(() => expect(waits).toEqual([{ reason: 'offline' }]));
    expect(uploadPosts(server)).toEqual([]);
    goOnline();
    await upload;

    expect(sameBytes(server.s3.store.getObject(FAULT_BUCKET, `${KEY_PREFIX}photo.jpg`)?.body, bytes)).toBe(true);
    expect(uploadPosts(server)).toHaveLength(1);
    expectSteadyProgress(progress);
  });

  it('connection lost as the network goes: not counted as a try (attempts: 1), sent again once online', async () => {
    const { file, bytes } = randomFile(SIZE);
    server.inject({
      name: 'network gone',
      when: ({ method, url }) => {
        const upload = method === 'POST' && url.pathname === `/${FAULT_BUCKET}/`;
        if (upload) offline = true;
        return upload;
      },
      action: { kind: 'drop', afterBytes: 16 * 1024 },
    });
    const backend = policyBackend(server);
    const waits: UploadWait[] = [];
    const progress: Array<{ loaded: number; total: number }> = [];
    const upload = uploadFile(file, {
      policy: backend.policy,
      retry: { attempts: 1 },
      onWaiting: (wait) => waits.push(wait),
      onProgress: (event) => progress.push(event),
    });

    await eventually(() => expect(waits).toEqual([{ reason: 'offline' }]));
    expect(uploadPosts(server).map((post) => post.bytes)).toEqual([16 * 1024]);
    goOnline();
    await upload;

    expect(sameBytes(server.s3.store.getObject(FAULT_BUCKET, `${KEY_PREFIX}photo.jpg`)?.body, bytes)).toBe(true);
    expect(uploadPosts(server).map((post) => post.fault ?? post.status)).toEqual(['network gone', 204]);
    // The 16 KiB shown before the network went stayed shown while the upload waited.
    expect(progress.some((event) => event.loaded === 16 * 1024)).toBe(true);
    expectSteadyProgress(progress);
  });

  it('abort while waiting for the network: UploadAbortedError, nothing sent', async () => {
    offline = true;
    const controller = new AbortController();
    const waits: UploadWait[] = [];
    const upload = uploadFile(randomFile(SIZE).file, { policy: policyBackend(server).policy, signal: controller.signal, onWaiting: (wait) => waits.push(wait) });
    await eventually(() => expect(waits).toHaveLength(1));
    controller.abort();

    const error = await upload.catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(UploadAbortedError);
    expect(uploadPosts(server)).toEqual([]);
  });
});

describe('abort while the policy request is in flight', () => {
  it('to a policy endpoint that has not answered: settles with UploadAbortedError, sends nothing to S3', async () => {
    const controller = new AbortController();
    const upload = uploadFile(randomFile(SIZE).file, { policy: `${server.url}/api/policy`, signal: controller.signal });
    // The backend has the request (and will never answer it).
    await eventually(() => expect(server.received.map(({ method, path }) => `${method} ${path}`)).toContain('POST /api/policy'));
    controller.abort();

    const error = await upload.catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(UploadAbortedError);
    expect(error).toMatchObject({ code: 'aborted', message: 'The upload was canceled while asking the backend for a policy.' });
    expect(uploadPosts(server)).toEqual([]);
    expect(server.s3.requests).toEqual([]);
  });

  it('to an app policy function that ignores the signal: the same', async () => {
    const controller = new AbortController();
    let called = false;
    const upload = uploadFile(randomFile(SIZE).file, {
      policy: () => {
        called = true;
        return new Promise(() => undefined);
      },
      signal: controller.signal,
    });
    await eventually(() => expect(called).toBe(true));
    controller.abort();

    await expect(upload).rejects.toBeInstanceOf(UploadAbortedError);
    expect(server.s3.requests).toEqual([]);
  });
});
