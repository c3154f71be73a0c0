// One file to S3 by browser POST: ask the backend for a policy, turn its answer into the exact form S3
// expects, check the form against the policy as S3 would, and only then send a single byte.
// prepareUpload is the "signing" phase and sendUpload the "uploading" phase, so a UI can show both.

import { assemblePostForm, type PostForm } from './form/post-form';
import { readPolicyAnswer, type PolicyAnswerShape, type SignedPost } from './policy/policy-answer-reader';
import { evaluatePolicy, type PolicyDocument, type PolicyFailure } from './form/post-policy';
import { callPolicyFunction, postJson, type PolicyEndpoint, type PolicyFunction, type PolicyRequest } from './policy/policy-source';
import type { SignPolicyOptions } from './policy/sign-policy';
import type { UploadProgress, UploadResult } from './transport/xhr-transport';
import { s3Now } from './retry/clock-offset';
import { sendWithRetries, type ResignRequest, type UploadWait } from './retry/post-retry';
import type { RetryPolicy } from './retry/retry';
import { loadOnFailure } from './diagnostics/load-on-failure';
import type { MultipartOptions } from './multipart/multipart-options';
import { MAX_SINGLE_UPLOAD_BYTES, wantsMultipart } from './multipart/wants-multipart';
import { randomId } from './random-id';
import type { UploadWarning } from './warnings';

/** Where the upload policy comes from. A string is the URL of a policy endpoint. */
export type PolicySource = string | PolicyEndpoint | PolicyFunction | { readonly signPolicy: SignPolicyOptions };

export interface PrepareOptions {
  readonly policy: PolicySource;
  /** The object key to ask for; may contain `${filename}`. A backend policy may decide otherwise. */
  readonly key?: string | ((file: File) => string);
  /** Stored as x-amz-meta-* (sent to the backend, and put in the policy in sign-my-policy mode). */
  readonly metadata?: Readonly<Record<string, string>>;
  /** Hosts the upload URL may point at; any other host is refused before sending. */
  readonly allowedHosts?: readonly string[];
  /**
   * How far this device's clock may run ahead of S3's before the kit calls a policy expired itself.
   * Default 5 minutes; S3 still has the last word.
   */
  readonly clockSkewMs?: number;
  /**
   * S3's time, when known to differ from this device's (after RequestTimeTooSkewed): sent to the backend
   * as `serverTime`, and the date of a policy the kit composes in sign-my-policy mode.
   */
  readonly serverTime?: Date;
  readonly signal?: AbortSignal;
}

/** How a failed POST is tried again. */
export interface RetryOptions {
  /** Tries in all, the first included. Default 3. */
  readonly attempts?: number;
  /** The first backoff bound; each retry doubles it, and the wait is random below it. Default 500 ms. */
  readonly baseDelayMs?: number;
  /** The largest backoff bound. Default 10 s. (S3's Retry-After, when CORS exposes it, wins.) */
  readonly maxDelayMs?: number;
}

export interface SendOptions {
  readonly signal?: AbortSignal;
  /** Never goes back, across retries too: a try that starts over shows as continuing. */
  readonly onProgress?: (progress: UploadProgress) => void;
  /** Stop a try and fail with a timeout error after this many milliseconds (not retried). Default: no timeout. */
  readonly timeoutMs?: number;
  /**
   * Retries of a POST that failed in passing (network error, 500, 503 SlowDown, RequestTimeout), with
   * exponential backoff and jitter. Default `{ attempts: 3 }`. `false`: one try, and no waiting for
   * the network when offline.
   */
  readonly retry?: RetryOptions | false;
  /** Called when the upload waits: offline, before a retry, or while the backend signs again. */
  readonly onWaiting?: (wait: UploadWait) => void;
  /**
   * Signs the upload again when S3 says the policy expired, or the clocks disagree
   * (RequestTimeTooSkewed); each at most once. uploadFile asks the backend again by itself; with
   * sendUpload, pass `({ serverTime, signal }) => prepareUpload(file, { ...options, signal, serverTime })`.
   */
  readonly resign?: (request: ResignRequest) => Promise<PreparedUpload>;
}

export type UploadOptions = PrepareOptions &
  SendOptions & {
    /**
     * Send large files by S3 multipart upload: those of at least `multipart.threshold` bytes (default
     * 100 MiB), and always those over 5 GiB, which one POST cannot carry.
     */
    readonly multipart?: MultipartOptions;
  };

/** A form that passed every check, ready to send. Also what a diagnostics panel shows. */
export interface PreparedUpload extends PostForm {
  readonly file: File;
  readonly shape: PolicyAnswerShape;
  /** The decoded policy the backend signed. */
  readonly policy: PolicyDocument;
  readonly warnings: readonly UploadWarning[];
}

const DEFAULT_CLOCK_SKEW_MS = 5 * 60_000;
const DEFAULT_RETRY: RetryPolicy = { attempts: 3, baseDelayMs: 500, maxDelayMs: 10_000 };

/** Asks the backend for a policy and parses its answer; no file-specific checks yet. */
export async function requestSignedPost(file: File, options: PrepareOptions): Promise<SignedPost> {
  if (file.size > MAX_SINGLE_UPLOAD_BYTES) {
    const { tooLargeForPost } = await loadOnFailure(
      () => import('./diagnostics/too-large-for-post'),
      (cause) => new Error(`${file.name} is ${file.size} bytes, more than one POST can carry (5 GiB); nothing was sent.`, { cause }),
    );
    throw tooLargeForPost(file);
  }
  const signal = options.signal ?? new AbortController().signal;
  const request: PolicyRequest = {
    filename: file.name,
    contentType: file.type,
    size: file.size,
    ...(options.key !== undefined ? { key: typeof options.key === 'function' ? options.key(file) : options.key } : {}),
    ...(options.metadata !== undefined ? { metadata: options.metadata } : {}),
    ...(options.serverTime !== undefined ? { serverTime: options.serverTime.toISOString() } : {}),
  };
  const source = options.policy;
  let raw: unknown;
  let signed = false;
  if (typeof source === 'function') {
    raw = await callPolicyFunction(source, file, request, signal);
  } else if (typeof source === 'string' || 'url' in source) {
    raw = await postJson(typeof source === 'string' ? { url: source } : source, request, signal, 'policy');
  } else {
    // Loaded only when the app composes the policy in the browser, so apps whose backend makes the
    // whole policy do not ship the composer.
    const { composePolicy, signComposedPolicy } = await import('./policy/sign-policy');
    const key = request.key ?? `${randomId()}/\${filename}`;
    const composed = composePolicy(source.signPolicy, {
      key,
      contentType: file.type,
      metadata: options.metadata ?? {},
      now: options.serverTime ?? s3Now(),
    });
    raw = await signComposedPolicy(source.signPolicy, composed, key, signal);
    signed = true;
  }
  const read = readPolicyAnswer(raw, {
    ...(options.allowedHosts ? { allowedHosts: options.allowedHosts } : {}),
    ...(signed ? { shape: 'signed-policy' as const } : {}),
  });
  if (read.ok) return read.post;
  // What is wrong, in words, is loaded only for an answer that is wrong (parsePolicyAnswer's errors).
  const { problem } = read;
  const { policyAnswerError } = await loadOnFailure(
    () => import('./diagnostics/answer-problems'),
    (cause) => new Error(`The backend's policy answer is unusable (${problem.kind}); nothing was sent.`, { cause }),
  );
  throw policyAnswerError(problem);
}

/** The form for `file`, or every way S3 would find it breaking the policy: preparePost's check, without the error. */
export type CheckedPost =
  | { readonly ok: true; readonly prepared: PreparedUpload }
  | { readonly ok: false; readonly failures: readonly [PolicyFailure, ...PolicyFailure[]] };

export function checkPost(post: SignedPost, file: File, options: Pick<PrepareOptions, 'clockSkewMs'> = {}): CheckedPost {
  const form = assemblePostForm(post, file);
  const [first, ...rest] = evaluatePolicy(
    post.document,
    { fields: form.fields, bucket: form.bucket, fileSize: file.size, filename: form.filename },
    // By S3's clock when S3 has told it (clock-offset.ts): a device whose clock runs ahead would
    // otherwise call a good policy expired.
    { now: s3Now(), clockSkewMs: options.clockSkewMs ?? DEFAULT_CLOCK_SKEW_MS },
  );
  if (first) return { ok: false, failures: [first, ...rest] };
  return { ok: true, prepared: { ...form, file, shape: post.shape, policy: post.document, warnings: post.warnings } };
}

/**
 * preparePost (prepare-post.ts) for the async paths: PolicyViolationError is loaded only for a form that
 * breaks the policy.
 */
export async function preparePostLazily(post: SignedPost, file: File, options: Pick<PrepareOptions, 'clockSkewMs'> = {}): Promise<PreparedUpload> {
  const checked = checkPost(post, file, options);
  if (checked.ok) return checked.prepared;
  const { failures } = checked;
  const { PolicyViolationError: Violation } = await loadOnFailure(
    () => import('./errors/PolicyViolationError'),
    (cause) => new Error(`S3 would refuse this form under its policy (${failures.map((failure) => failure.kind).join(', ')}); nothing was sent.`, { cause }),
  );
  throw new Violation(failures, post.document.text);
}

/** The "signing" phase: a policy from the backend, turned into a checked form for `file`. */
export async function prepareUpload(file: File, options: PrepareOptions): Promise<PreparedUpload> {
  return preparePostLazily(await requestSignedPost(file, options), file, options);
}

/**
 * The "uploading" phase: sends the form, retrying what fails in passing (see SendOptions.retry), and
 * signing again through `options.resign` when S3 says the policy expired or the clocks disagree.
 */
export async function sendUpload(prepared: PreparedUpload, options: SendOptions = {}): Promise<UploadResult> {
  const { retry } = options;
  const { form, ...result } = await sendWithRetries(prepared, {
    policy: retry === false ? { ...DEFAULT_RETRY, attempts: 1 } : retryPolicy(retry),
    waitForOnline: retry !== false,
    signal: options.signal ?? new AbortController().signal,
    onProgress: options.onProgress,
    onWaiting: options.onWaiting,
    timeoutMs: options.timeoutMs,
    resign: options.resign,
  });
  return form.warnings.length === 0 ? result : { ...result, warnings: [...form.warnings, ...result.warnings] };
}

/**
 * Uploads one file: prepareUpload then sendUpload (which asks the backend again when S3 says the
 * policy expired or the clocks disagree), or by multipart upload when `options.multipart` is
 * set and the file is large (startMultipartUpload, without pause; the signal cancels it).
 */
export async function uploadFile(file: File, options: UploadOptions): Promise<UploadResult> {
  const { multipart } = options;
  if (multipart && wantsMultipart(file, multipart)) {
    // Loaded on first use, so that apps whose files all go by POST do not ship the multipart engine.
    const { startMultipartUpload } = await import('./multipart/multipart-upload');
    return startMultipartUpload(file, { ...options, multipart }).promise;
  }
  const resign = ({ serverTime, signal }: ResignRequest): Promise<PreparedUpload> =>
    prepareUpload(file, { ...options, signal, ...(serverTime !== undefined ? { serverTime } : {}) });
  return sendUpload(await prepareUpload(file, options), { ...options, resign: options.resign ?? resign });
}

function retryPolicy(options: RetryOptions | undefined): RetryPolicy {
  return {
    attempts: Math.max(1, Math.floor(options?.attempts ?? DEFAULT_RETRY.attempts)),
    baseDelayMs: Math.max(0, options?.baseDelayMs ?? DEFAULT_RETRY.baseDelayMs),
    maxDelayMs: Math.max(0, options?.maxDelayMs ?? DEFAULT_RETRY.maxDelayMs),
  };
}
