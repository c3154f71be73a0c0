// One file to S3 by browser POST: ask the backend for a policy, turn its answer into the exact form S3
// expects, check the form against the policy as S3 would, and only then send a single byte.
// prepareUpload is the "signing" phase and sendUpload the "uploading" phase, so a UI can show both.

import { assemblePostForm, type PostForm } from './post-form';
import { parsePolicyAnswer, type PolicyAnswerShape, type SignedPost } from './policy-answer';
import { evaluatePolicy, type PolicyDocument } from './policy-document';
import { callPolicyFunction, postJson, type PolicyEndpoint, type PolicyFunction, type PolicyRequest } from './policy-source';
import { composePolicy, signComposedPolicy, type SignPolicyOptions } from './sign-policy';
import { sendPost, type UploadProgress, type UploadResult } from './xhr-transport';
import { MultipartError } from './errors/MultipartError';
import { PolicyViolationError } from './errors/PolicyViolationError';
import { MAX_SINGLE_UPLOAD_BYTES, wantsMultipart, type MultipartOptions } from './multipart/multipart-options';
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
  readonly signal?: AbortSignal;
}

export interface SendOptions {
  readonly signal?: AbortSignal;
  readonly onProgress?: (progress: UploadProgress) => void;
  /** Abort and fail with a timeout error after this many milliseconds. Default: no timeout. */
  readonly timeoutMs?: number;
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

/** Asks the backend for a policy and parses its answer; no file-specific checks yet. */
export async function requestSignedPost(file: File, options: PrepareOptions): Promise<SignedPost> {
  if (file.size > MAX_SINGLE_UPLOAD_BYTES) throw tooLargeForPost(file);
  const signal = options.signal ?? new AbortController().signal;
  const request: PolicyRequest = {
    filename: file.name,
    contentType: file.type,
    size: file.size,
    ...(options.key !== undefined ? { key: typeof options.key === 'function' ? options.key(file) : options.key } : {}),
    ...(options.metadata !== undefined ? { metadata: options.metadata } : {}),
  };
  const source = options.policy;
  let raw: unknown;
  let signed = false;
  if (typeof source === 'function') {
    raw = await callPolicyFunction(source, file, request, signal);
  } else if (typeof source === 'string' || 'url' in source) {
    raw = await postJson(typeof source === 'string' ? { url: source } : source, request, signal, 'policy');
  } else {
    const key = request.key ?? `${randomId()}/\${filename}`;
    const composed = composePolicy(source.signPolicy, {
      key,
      contentType: file.type,
      metadata: options.metadata ?? {},
      now: new Date(),
    });
    raw = await signComposedPolicy(source.signPolicy, composed, key, signal);
    signed = true;
  }
  return parsePolicyAnswer(raw, {
    ...(options.allowedHosts ? { allowedHosts: options.allowedHosts } : {}),
    ...(signed ? { shape: 'signed-policy' as const } : {}),
  });
}

/**
 * The form for `file` under an already signed policy, checked as S3 would check it. Throws
 * PolicyViolationError when S3 would refuse it, which is also how to tell whether a policy signed for
 * one file can be reused for another.
 */
export function preparePost(post: SignedPost, file: File, options: Pick<PrepareOptions, 'clockSkewMs'> = {}): PreparedUpload {
  const form = assemblePostForm(post, file);
  const [first, ...rest] = evaluatePolicy(
    post.document,
    { fields: form.fields, bucket: form.bucket, fileSize: file.size, filename: form.filename },
    { now: new Date(), clockSkewMs: options.clockSkewMs ?? DEFAULT_CLOCK_SKEW_MS },
  );
  if (first) throw new PolicyViolationError([first, ...rest], post.document.text);
  return { ...form, file, shape: post.shape, policy: post.document, warnings: post.warnings };
}

/** The "signing" phase: a policy from the backend, turned into a checked form for `file`. */
export async function prepareUpload(file: File, options: PrepareOptions): Promise<PreparedUpload> {
  return preparePost(await requestSignedPost(file, options), file, options);
}

export async function sendUpload(prepared: PreparedUpload, options: SendOptions = {}): Promise<UploadResult> {
  const result = await sendPost({
    url: prepared.url,
    fields: prepared.fields,
    file: prepared.file,
    filename: prepared.filename,
    bucket: prepared.bucket,
    key: prepared.key,
    ...(options.signal ? { signal: options.signal } : {}),
    ...(options.onProgress ? { onProgress: options.onProgress } : {}),
    ...(options.timeoutMs !== undefined ? { timeoutMs: options.timeoutMs } : {}),
  });
  return prepared.warnings.length === 0 ? result : { ...result, warnings: [...prepared.warnings, ...result.warnings] };
}

/**
 * Uploads one file: prepareUpload then sendUpload, or by multipart upload when `options.multipart` is
 * set and the file is large (startMultipartUpload, without pause; the signal cancels it).
 */
export async function uploadFile(file: File, options: UploadOptions): Promise<UploadResult> {
  const { multipart } = options;
  if (multipart && wantsMultipart(file, multipart)) {
    // Loaded on first use, so that apps whose files all go by POST do not ship the multipart engine.
    const { startMultipartUpload } = await import('./multipart/multipart-upload');
    return startMultipartUpload(file, { ...options, multipart }).promise;
  }
  return sendUpload(await prepareUpload(file, options), options);
}

// S3 takes at most 5 GiB in one POST or PUT (https://docs.aws.amazon.com/AmazonS3/latest/userguide/upload-objects.html).
function tooLargeForPost(file: File): MultipartError {
  return new MultipartError(
    'multipart-required',
    `${file.name} is ${file.size} bytes, more than the ${MAX_SINGLE_UPLOAD_BYTES} bytes (5 GiB) one POST can carry, and no multipart upload is configured; nothing was sent.`,
    "Configure multipart upload: uploadFile(file, { ...options, multipart: { backend: { presigned: { url: '/api/multipart' } } } }) (or { signHeaders: {...} }), and the kit sends files above 5 GiB in parts.",
  );
}
