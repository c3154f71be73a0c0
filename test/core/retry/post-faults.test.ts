// The POST upload under faults, over a real socket to the S3 emulator: a connection dropped mid-body,
// 500, 503 SlowDown with Retry-After, a policy expired between signing and sending, S3's clock far from
// the signer's. For each: what S3 stores in the end (or the exact error), how many POSTs reached S3 and
// how many bytes were sent again, and progress that never goes back.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  ClockSkewError,
  NetworkError,
  S3ResponseError,
  uploadFile,
  type UploadOptions,
  type UploadProgress,
  type UploadWait,
} from '../../../src/index';
import { forgetClockOffset } from '../../../src/core/retry/clock-offset';
import { FAULT_BUCKET, installUploadProgress, s3Error, startFaultServer, type FaultServer } from '../../support/fault-server';
import { expectSteadyProgress, formField, KEY_PREFIX, policyBackend, randomFile, sameBytes, uploadPosts } from './fault-fixtures';

let server: FaultServer;
let restoreXhr: () => void;
beforeEach(async () => {
  server = await startFaultServer();
  restoreXhr = installUploadProgress(server);
  forgetClockOffset();
});
afterEach(async () => {
  restoreXhr();
  await server.stop();
  forgetClockOffset();
});

const SIZE = 256 * 1024;
const isUpload = ({ method, url }: { method: string; url: URL }) => method === 'POST' && url.pathname === `/${FAULT_BUCKET}/`;

/** Runs uploadFile with small waits, recording progress and waits. */
function upload(file: File, extra: Partial<UploadOptions> = {}) {
  const backend = policyBackend(server);
  const progress: UploadProgress[] = [];
  const waits: UploadWait[] = [];
  const promise = uploadFile(file, {
    policy: backend.policy,
    retry: { baseDelayMs: 1, maxDelayMs: 5 },
    onProgress: (event) => progress.push(event),
    onWaiting: (wait) => waits.push(wait),
    ...extra,
  });
  return { promise, progress, waits, backend };
}

function stored(name: string) {
  return server.s3.store.getObject(FAULT_BUCKET, `${KEY_PREFIX}${name}`);
}

describe('a POST that fails in passing is sent again', () => {
  it('connection dropped after 64 KiB: sent again whole, stored, progress held at the furthest point', async () => {
    server.inject({ name: 'drop', when: isUpload, action: { kind: 'drop', afterBytes: 64 * 1024 } });
    const { file, bytes } = randomFile(SIZE);
    const run = upload(file);
    const result = await run.promise;

    expect(result.key).toBe(`${KEY_PREFIX}photo.jpg`);
    expect(sameBytes(stored('photo.jpg')?.body, bytes)).toBe(true);
    const posts = uploadPosts(server);
    expect(posts.map((post) => post.fault ?? post.status)).toEqual(['drop', 204]);
    // The first try's 64 KiB were lost; the second sent the whole body again.
    expect(posts[0]?.bytes).toBe(64 * 1024);
    expect(posts[1]?.bytes).toBeGreaterThan(SIZE);
    // The first try had shown 64 KiB; nothing after it showed less.
    expect(run.progress.some((event) => event.loaded === 64 * 1024)).toBe(true);
    expectSteadyProgress(run.progress);
    expect(run.waits).toMatchObject([{ reason: 'retry', attempt: 1, error: { code: 'network-or-cors' } }]);
    expect(run.backend.calls).toHaveLength(1);
  });

  it('500 InternalError, then stored: two POSTs', async () => {
    server.inject({ name: '500', when: isUpload, action: { kind: 'answer', response: () => s3Error(500, 'InternalError', 'We encountered an internal error. Please try again.') } });
    const { file, bytes } = randomFile(SIZE);
    const run = upload(file);
    await run.promise;

    expect(sameBytes(stored('photo.jpg')?.body, bytes)).toBe(true);
    expect(uploadPosts(server).map((post) => post.fault ?? post.status)).toEqual(['500', 204]);
    expectSteadyProgress(run.progress);
    expect(run.waits).toMatchObject([{ reason: 'retry', attempt: 1, error: { code: 'InternalError', status: 500 } }]);
  });

  it('503 SlowDown with Retry-After (seconds, then an HTTP date) is honoured over the backoff', async () => {
    server.inject({
      name: 'slowdown',
      when: isUpload,
      times: 2,
      action: {
        kind: 'answer',
        response: () =>
          s3Error(503, 'SlowDown', 'Please reduce your request rate.', {}, {
            'Retry-After': uploadPosts(server).length === 1 ? '0' : new Date(Date.now() - 1000).toUTCString(),
          }),
      },
    });
    const { file, bytes } = randomFile(SIZE);
    // The backoff alone would wait up to ten minutes: the test ends in time only if Retry-After wins.
    const run = upload(file, { retry: { attempts: 3, baseDelayMs: 600_000, maxDelayMs: 600_000 } });
    await run.promise;

    expect(sameBytes(stored('photo.jpg')?.body, bytes)).toBe(true);
    expect(uploadPosts(server).map((post) => post.fault ?? post.status)).toEqual(['slowdown', 'slowdown', 204]);
    expect(run.waits).toMatchObject([
      { reason: 'retry', attempt: 1, delayMs: 0, error: { code: 'SlowDown', status: 503 } },
      { reason: 'retry', attempt: 2, delayMs: 0, error: { code: 'SlowDown', status: 503 } },
    ]);
    expectSteadyProgress(run.progress);
  });

  it('gives up after the attempts with S3\'s error: three POSTs of 500', async () => {
    server.inject({ name: '500', when: isUpload, times: 10, action: { kind: 'answer', response: () => s3Error(500, 'InternalError', 'We encountered an internal error.') } });
    const { file } = randomFile(SIZE);
    const error = await upload(file).promise.catch((caught: unknown) => caught);

    expect(error).toBeInstanceOf(S3ResponseError);
    expect(error).toMatchObject({ code: 'InternalError', status: 500 });
    expect(uploadPosts(server)).toHaveLength(3);
    expect(server.s3.store.listObjects(FAULT_BUCKET)).toEqual([]);
  });

  it('a connection dropped every time ends as a NetworkError with the CORS rule, after 3 tries', async () => {
    server.inject({ name: 'drop', when: isUpload, times: 10, action: { kind: 'drop', afterBytes: 1024 } });
    const { file } = randomFile(SIZE);
    const run = upload(file);
    const error = await run.promise.catch((caught: unknown) => caught);

    expect(error).toBeInstanceOf(NetworkError);
    expect(error).toMatchObject({ code: 'network-or-cors', attempts: 3 });
    expect((error as NetworkError).message).toMatch(/sent 3 times/);
    expect((error as NetworkError).corsRule).toContain('"AllowedMethods"');
    expect(uploadPosts(server).map((post) => post.bytes)).toEqual([1024, 1024, 1024]);
    // Each try reached 1 KiB; the progress shown stayed there, and never showed the upload complete.
    expect(run.progress.map((event) => event.loaded)).toEqual(run.progress.map(() => 1024));
  });

  it('a refusal retrying cannot fix (403 AccessDenied) is sent once; retry: false sends a 500 once', async () => {
    server.inject({ name: '403', when: isUpload, action: { kind: 'answer', response: () => s3Error(403, 'AccessDenied', 'Access Denied') } });
    const denied = await upload(randomFile(SIZE).file).promise.catch((caught: unknown) => caught);
    expect(denied).toMatchObject({ code: 'AccessDenied', status: 403 });
    expect(uploadPosts(server)).toHaveLength(1);

    server.inject({ name: '500', when: isUpload, action: { kind: 'answer', response: () => s3Error(500, 'InternalError', 'We encountered an internal error.') } });
    const failed = await upload(randomFile(SIZE).file, { retry: false }).promise.catch((caught: unknown) => caught);
    expect(failed).toMatchObject({ code: 'InternalError' });
    expect(uploadPosts(server)).toHaveLength(2);
  });
});

describe('a policy that expired between signing and sending', () => {
  const expired = () => s3Error(403, 'AccessDenied', 'Invalid according to Policy: Policy expired.');

  it('is signed again once through the backend, and the upload sent again', async () => {
    server.inject({ name: 'expired', when: isUpload, action: { kind: 'answer', response: expired } });
    const { file, bytes } = randomFile(SIZE);
    const run = upload(file, { retry: { attempts: 1 } });
    await run.promise;

    expect(sameBytes(stored('photo.jpg')?.body, bytes)).toBe(true);
    expect(run.backend.calls).toHaveLength(2);
    expect(run.backend.calls[1]).not.toHaveProperty('serverTime');
    expect(uploadPosts(server).map((post) => post.fault ?? post.status)).toEqual(['expired', 204]);
    expect(run.waits).toEqual([{ reason: 'resign', cause: 'policy-expired' }]);
    expectSteadyProgress(run.progress);
  });

  it('expired again: S3\'s AccessDenied, after two policies and two POSTs', async () => {
    server.inject({ name: 'expired', when: isUpload, times: 2, action: { kind: 'answer', response: expired } });
    const run = upload(randomFile(SIZE).file);
    const error = await run.promise.catch((caught: unknown) => caught);

    expect(error).toBeInstanceOf(S3ResponseError);
    expect(error).toMatchObject({ code: 'AccessDenied', s3: { message: 'Invalid according to Policy: Policy expired.' } });
    expect((error as S3ResponseError).hint).toMatch(/backend's clock/);
    expect(run.backend.calls).toHaveLength(2);
    expect(uploadPosts(server)).toHaveLength(2);
  });
});

describe('RequestTimeTooSkewed: S3 finds the policy dated too far from its clock', () => {
  // S3 as it checks X-Amz-Date: more than 15 minutes from its clock is refused, with both times.
  function checkClock(server: FaultServer): void {
    server.inject({
      name: 'skewed',
      when: isUpload,
      times: Number.POSITIVE_INFINITY,
      action: {
        kind: 'answer',
        response: ({ body }) => {
          const date = formField(body, 'X-Amz-Date') ?? '';
          const sent = Date.UTC(+date.slice(0, 4), +date.slice(4, 6) - 1, +date.slice(6, 8), +date.slice(9, 11), +date.slice(11, 13), +date.slice(13, 15));
          if (Math.abs(Date.now() - sent) <= 15 * 60_000) return undefined;
          return s3Error(403, 'RequestTimeTooSkewed', 'The difference between the request time and the current time is too large.', {
            RequestTime: date,
            ServerTime: new Date().toISOString().replace(/\.\d{3}Z$/, 'Z'),
            MaxAllowedSkewMilliseconds: '900000',
          });
        },
      },
    });
  }

  it('is signed again with S3\'s time in the policy request; a backend that dates by it gets through', async () => {
    checkClock(server);
    // The backend's clock is 20 minutes behind; it signs for an hour, so the policy is not yet expired.
    const backend = policyBackend(server, { clockOffsetMs: -20 * 60_000, honourServerTime: true, expiresInSeconds: 3600 });
    const { file, bytes } = randomFile(SIZE);
    const waits: UploadWait[] = [];
    await uploadFile(file, { policy: backend.policy, retry: { attempts: 1 }, onWaiting: (wait) => waits.push(wait) });

    expect(sameBytes(stored('photo.jpg')?.body, bytes)).toBe(true);
    expect(uploadPosts(server).map((post) => post.fault ?? post.status)).toEqual(['skewed', 204]);
    expect(backend.calls).toHaveLength(2);
    expect(backend.calls[0]).not.toHaveProperty('serverTime');
    const serverTime = Date.parse(backend.calls[1]?.serverTime ?? '');
    expect(Math.abs(serverTime - Date.now())).toBeLessThan(5_000);
    expect(waits).toEqual([{ reason: 'resign', cause: 'clock-skew' }]);
  });

  it('skewed again: a ClockSkewError saying the backend\'s clock is 20 minutes behind S3\'s', async () => {
    checkClock(server);
    const backend = policyBackend(server, { clockOffsetMs: -20 * 60_000, expiresInSeconds: 3600 });
    const error = await uploadFile(randomFile(SIZE).file, { policy: backend.policy }).catch((caught: unknown) => caught);

    expect(error).toBeInstanceOf(ClockSkewError);
    const skew = error as ClockSkewError;
    expect(skew).toMatchObject({ code: 'clock-skew', signer: 'backend' });
    expect(Math.abs((skew.signerOffsetMs ?? 0) + 20 * 60_000)).toBeLessThanOrEqual(2_000);
    expect(Math.abs(skew.deviceOffsetMs)).toBeLessThanOrEqual(2_000);
    expect(skew.message).toMatch(/set by the backend\), (20 min 0 s|19 min 59 s|20 min 1 s) behind S3's; this device's clock is/);
    expect(skew.hint).toMatch(/backend's clock.*serverTime/);
    expect(skew.cause).toBeInstanceOf(S3ResponseError);
    expect(uploadPosts(server)).toHaveLength(2);
    expect(backend.calls).toHaveLength(2);
  });
});
