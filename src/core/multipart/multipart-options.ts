// The options of a multipart upload, and their defaults (the threshold is in wants-multipart.ts).

import type { UploadProgress } from '../transport/xhr-request';
import type { MultipartWait } from './multipart-state';
import type { ChecksumAlgorithm } from './backends/backend';
import type { HeaderSigningOptions } from './backends/header-signing';
import type { MultipartEndpoint, PresignedMultipartContract } from './backends/presigned-contract';
import type { RetryPolicy } from '../retry/retry';
import type { ResumeStorage } from './resume-store';

export type MultipartBackendOptions =
  /** The app's backend presigns each part's URL and runs the other operations itself. */
  | { readonly presigned: PresignedMultipartContract | MultipartEndpoint }
  /** The kit builds every S3 request and the app's backend signs each (Fine Uploader's v4 chunking). */
  | { readonly signHeaders: HeaderSigningOptions };

export interface MultipartRetryOptions {
  /** Tries per part (and per request the kit signs itself), the first included. Default 5. */
  readonly attempts?: number;
  /** The first backoff bound; each retry doubles it, and the wait is random below it. Default 500 ms. */
  readonly baseDelayMs?: number;
  /** The largest backoff bound. Default 20 s. (A Retry-After from S3 is honoured as it is.) */
  readonly maxDelayMs?: number;
}

export interface MultipartResumeOptions {
  /** Where uploads in progress are kept. Default localStorage; none when it is unavailable. */
  readonly storage?: ResumeStorage;
  /** How long an upload stays resumable from its start. Default 7 days. */
  readonly ttlMs?: number;
}

export interface MultipartOptions {
  readonly backend: MultipartBackendOptions;
  /** Files of at least this many bytes go by multipart upload. Default 100 MiB; above 5 GiB always. */
  readonly threshold?: number;
  /** Default 8 MiB; at least 5 MiB, and grown so that no file needs more than 10,000 parts. */
  readonly partSize?: number;
  /** Parts in flight at once. Default 4. */
  readonly concurrency?: number;
  readonly retry?: MultipartRetryOptions;
  /** Keep uploads in progress to resume them after a reload; false to never keep them. */
  readonly resume?: false | MultipartResumeOptions;
  /** A checksum per part, computed in the browser; the backend must sign it (presigned) or S3 refuses the part. */
  readonly checksum?: 'crc32' | 'sha256';
}

/** What startMultipartUpload takes: the multipart options, and the per-file options uploadFile has too. */
export interface MultipartUploadOptions {
  readonly multipart: MultipartOptions;
  /** The object key to ask for; `${filename}` is replaced by the file's name. */
  readonly key?: string | ((file: File) => string);
  /** Stored as x-amz-meta-*. */
  readonly metadata?: Readonly<Record<string, string>>;
  /** Hosts a presigned part URL may point at; any other is refused before sending. */
  readonly allowedHosts?: readonly string[];
  /** Aborting it cancels the upload: the parts stop and AbortMultipartUpload is sent. */
  readonly signal?: AbortSignal;
  readonly onProgress?: (progress: UploadProgress) => void;
  /**
   * Called when the parts start waiting for the network (the browser is offline); the wait is over at
   * the next onProgress call. The task's `state.waiting` says the same.
   */
  readonly onWaiting?: (wait: MultipartWait) => void;
  /** Per try of a part: a part with no complete answer in time is stopped and retried. */
  readonly timeoutMs?: number;
}

const DEFAULT_CONCURRENCY = 4;

export function retryPolicy(options: MultipartRetryOptions | undefined): RetryPolicy {
  return {
    attempts: Math.max(1, Math.floor(options?.attempts ?? 5)),
    baseDelayMs: Math.max(0, options?.baseDelayMs ?? 500),
    maxDelayMs: Math.max(0, options?.maxDelayMs ?? 20_000),
  };
}

export function concurrencyOf(options: MultipartOptions): number {
  return Math.max(1, Math.floor(options.concurrency ?? DEFAULT_CONCURRENCY));
}

export function checksumAlgorithmOf(options: MultipartOptions): ChecksumAlgorithm | undefined {
  return options.checksum === 'crc32' ? 'CRC32' : options.checksum === 'sha256' ? 'SHA256' : undefined;
}
