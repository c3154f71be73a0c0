// Shared by the fault tests: a policy backend the kit calls in-process (counting its calls), files of
// real bytes, and the checks every fault test makes on progress.
import { randomBytes } from 'node:crypto';
import { expect } from 'vitest';
import type { PolicyFunction, PolicyRequest, UploadProgress } from '../../../src/index';
import { flatAnswer } from '../../support/aws-signer';
import { FAULT_BUCKET, FAULT_REGION, type FaultServer } from '../../support/fault-server';

export const KEY_PREFIX = 'faults/';

export interface PolicyBackend {
  readonly policy: PolicyFunction;
  /** What the kit asked for, one entry per call. */
  readonly calls: PolicyRequest[];
}

/**
 * The app's backend, signing a flat answer for the fault server's bucket. `clockOffsetMs` plays a
 * backend whose clock is off; `honourServerTime` one that dates the policy by the kit's `serverTime`.
 */
export function policyBackend(
  server: FaultServer,
  options: { readonly clockOffsetMs?: number; readonly honourServerTime?: boolean; readonly expiresInSeconds?: number } = {},
): PolicyBackend {
  const calls: PolicyRequest[] = [];
  const policy: PolicyFunction = async (_file, request) => {
    const { signal: _signal, ...asked } = request;
    calls.push(asked);
    const serverTime = options.honourServerTime && request.serverTime !== undefined ? new Date(request.serverTime) : undefined;
    return flatAnswer({
      url: server.bucketUrl,
      key: `${KEY_PREFIX}\${filename}`,
      bucket: FAULT_BUCKET,
      region: FAULT_REGION,
      now: serverTime ?? new Date(Date.now() + (options.clockOffsetMs ?? 0)),
      expiresInSeconds: options.expiresInSeconds ?? 600,
      fields: { 'Content-Type': request.contentType },
    });
  };
  return { policy, calls };
}

/** A file of `size` random bytes, and those bytes. */
export function randomFile(size: number, name = 'photo.jpg', type = 'image/jpeg'): { file: File; bytes: Uint8Array } {
  const bytes = new Uint8Array(randomBytes(size));
  return { file: new File([bytes], name, { type, lastModified: 1_750_000_000_000 }), bytes };
}

export function sameBytes(actual: Uint8Array | undefined, expected: Uint8Array): boolean {
  return actual !== undefined && Buffer.from(actual).equals(Buffer.from(expected));
}

/** Every value at least the one before and at most its total; the last one full. */
export function expectSteadyProgress(events: readonly UploadProgress[]): void {
  expect(events.length).toBeGreaterThan(0);
  events.forEach((event, index) => {
    expect(event.loaded).toBeLessThanOrEqual(event.total);
    expect(event.loaded).toBeGreaterThanOrEqual(events[index - 1]?.loaded ?? 0);
  });
  const last = events.at(-1);
  expect(last?.loaded).toBe(last?.total);
}

/** The POSTs that reached the bucket's URL (the uploads), as the server saw them. */
export function uploadPosts(server: FaultServer) {
  return server.received.filter((request) => request.method === 'POST' && request.path === `/${FAULT_BUCKET}/`);
}

/** The value of a form field in a multipart/form-data body. */
export function formField(body: Buffer, name: string): string | undefined {
  const text = body.toString('latin1');
  const match = new RegExp(`name="${name}"\\r\\n\\r\\n([^\\r]*)\\r\\n`, 'i').exec(text);
  return match?.[1];
}
