// One file by POST, as the manager runs it: a policy from the QueryClient's cache (shared by every file
// it can carry), the form sent with progress in the file's own bytes, and a policy that expired between
// signing and sending asked for again, once.

import type { QueryClient } from '@tanstack/react-query';
import { S3ResponseError } from '../core/errors/S3ResponseError';
import { sendUpload, type PrepareOptions, type UploadOptions } from '../core/upload';
import type { UploadProgress, UploadResult } from '../core/xhr-transport';
import { invalidatePolicy, signUpload } from './policy-cache';
import { RateMeter } from './rate-meter';
import type { FileProgress } from './upload-store';

export interface PostRunHooks {
  readonly signal: AbortSignal;
  readonly timeoutMs: number | undefined;
  /** 'signing' before each policy request, 'uploading' before the form is sent. */
  readonly onStatus: (status: 'signing' | 'uploading') => void;
  readonly onProgress: (progress: FileProgress) => void;
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

export async function uploadByPost(client: QueryClient, file: File, options: Omit<PrepareOptions, 'signal'>, hooks: PostRunHooks): Promise<UploadResult> {
  const { signal, timeoutMs } = hooks;
  for (let attempt = 1; ; attempt += 1) {
    hooks.onStatus('signing');
    const { prepared } = await signUpload(client, file, { ...options, signal });
    try {
      hooks.onStatus('uploading');
      const meter = new RateMeter(Date.now());
      return await sendUpload(prepared, {
        signal,
        ...(timeoutMs !== undefined ? { timeoutMs } : {}),
        onProgress: (event) => hooks.onProgress(measure(file, event, meter)),
      });
    } catch (error) {
      if (!(error instanceof S3ResponseError)) throw error;
      // S3 refused a form made from this policy: the next file must not ride on it.
      await invalidatePolicy(client, options);
      // A policy that expired between signing and sending (a slow queue, a sleeping laptop) is
      // asked for again, once; a second expiry means the clocks disagree, which the hint explains.
      if (attempt > 1 || !isExpiredPolicy(error)) throw error;
    }
  }
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

// https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-HTTPPOSTConstructPolicy.html: S3 answers an
// expired policy with AccessDenied, "Invalid according to Policy: Policy expired."
function isExpiredPolicy(error: unknown): boolean {
  return error instanceof S3ResponseError && error.code === 'AccessDenied' && /policy expired/i.test(error.s3.message);
}
