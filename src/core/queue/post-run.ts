// One file by POST, as the queue runs it: a policy from the queue's PolicyStore (shared by every file
// it can carry), the form sent with progress in the file's own bytes, and the core's fault handling
// (sendUpload: retries, waiting while offline, signing again once on "Policy expired" or
// RequestTimeTooSkewed) with every wait reported, so that the file's row can say what it waits for.

import { ClockSkewError } from '../errors/ClockSkewError';
import { S3ResponseError } from '../errors/S3ResponseError';
import type { UploadWait } from '../retry/post-retry';
import { retryPolicy } from '../retry/retry';
import { onlineWatch } from '../transport/online';
import type { UploadProgress, UploadResult } from '../transport/xhr-transport';
import { sendUpload, type PrepareOptions, type RetryOptions, type UploadOptions } from '../upload';
import { policyKey, signUpload, type PolicyStore } from './policy-cache';
import { RateMeter } from './rate-meter';
import type { FileProgress, FileWait } from './upload-store';

export interface PostRunHooks {
  readonly signal: AbortSignal;
  readonly timeoutMs: number | undefined;
  /** The core's `retry`: tries, backoff; false for one try and no waiting for the network. */
  readonly retry: RetryOptions | false | undefined;
  /** 'signing' before the policy request, 'uploading' before the form is sent. */
  readonly onStatus: (status: 'signing' | 'uploading') => void;
  readonly onProgress: (progress: FileProgress) => void;
  /** The file moves no byte for now; the wait is over at the next onProgress call. */
  readonly onWaiting: (wait: FileWait) => void;
}

/** The core's prepare options from the manager's (objectKey is the core's key). */
export function postOptions(
  options: Pick<UploadOptions, 'policy' | 'metadata' | 'allowedHosts' | 'clockSkewMs'> & { readonly objectKey?: UploadOptions['key'] | undefined },
): Omit<PrepareOptions, 'signal'> {
  const { policy, objectKey, metadata, allowedHosts, clockSkewMs } = options;
  return {
    policy,
    ...(objectKey !== undefined ? { key: objectKey } : {}),
    ...(metadata !== undefined ? { metadata } : {}),
    ...(allowedHosts !== undefined ? { allowedHosts } : {}),
    ...(clockSkewMs !== undefined ? { clockSkewMs } : {}),
  };
}

export async function uploadByPost(policies: PolicyStore, file: File, options: Omit<PrepareOptions, 'signal'>, hooks: PostRunHooks): Promise<UploadResult> {
  const { signal, timeoutMs, retry } = hooks;
  // Offline, the policy request could only fail: the file waits for the network before it, as the
  // core waits before sending the form.
  if (retry !== false) await onlineWatch(() => hooks.onWaiting({ reason: 'offline' })).waitUntilOnline(signal);
  hooks.onStatus('signing');
  const { prepared } = await signUpload(policies, file, { ...options, signal });
  hooks.onStatus('uploading');
  const meter = new RateMeter(Date.now());
  const attempts = retry === false ? 1 : retryPolicy(retry).attempts;
  try {
    return await sendUpload(prepared, {
      signal,
      ...(timeoutMs !== undefined ? { timeoutMs } : {}),
      ...(retry !== undefined ? { retry } : {}),
      onProgress: (event) => hooks.onProgress(measure(file, event, meter)),
      onWaiting: (wait) => hooks.onWaiting(fileWait(wait, attempts)),
      // S3 found the policy expired, or dated by a clock it disagrees with: the cached policy must not
      // carry this file (or the next) again, and one signed with S3's time skips the cache.
      resign: async ({ serverTime, signal: resignSignal }) => {
        await policies.invalidate(policyKey(options));
        const signed = await signUpload(policies, file, { ...options, signal: resignSignal, ...(serverTime ? { serverTime } : {}) });
        return signed.prepared;
      },
    });
  } catch (error) {
    // S3 refused a form made from this policy: the next file must not ride on it.
    if (error instanceof S3ResponseError || error instanceof ClockSkewError) await policies.invalidate(policyKey(options));
    throw error;
  }
}

/** The core's wait as the file's snapshot shows it: a retry names the try to come, of how many. */
function fileWait(wait: UploadWait, attempts: number): FileWait {
  if (wait.reason !== 'retry') return wait;
  const { attempt, until, error } = wait;
  return { reason: 'retry', attempt: attempt + 1, attempts, until, error };
}

/**
 * Progress in the file's own bytes. The transport counts the whole multipart body (fields and file),
 * which is a little larger than the file and means nothing to a person.
 */
function measure(file: File, event: UploadProgress, meter: RateMeter): FileProgress {
  const fraction = event.total > 0 ? Math.min(1, event.loaded / event.total) : 0;
  const bytes = Math.round(fraction * file.size);
  return { bytes, total: file.size, percent: Math.floor(fraction * 100), rate: meter.sample(Date.now(), bytes) };
}
