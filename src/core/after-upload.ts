// What happens to an object after S3 has it: the app's backend is told (Fine Uploader's "upload
// success" endpoint: record the file, start processing, answer with what the page should know), or is
// asked to delete it. Both are calls to the app, never to S3: deleting needs a credential the browser
// must not hold. A failure is an AfterUploadError that says where the object stands.

import { AfterUploadError } from './errors/AfterUploadError';
import { PolicyAnswerError } from './errors/PolicyAnswerError';
import { UploadAbortedError } from './errors/UploadAbortedError';
import { postJson, type PolicyEndpoint } from './policy/policy-source';

/** An object in S3. */
export interface UploadedObjectRef {
  readonly key: string;
  /** Undefined only when neither the upload URL nor the policy named the bucket (null in the JSON). */
  readonly bucket: string | undefined;
}

/** What the app's upload-finished function gets (an endpoint gets `{ key, bucket, etag }` as JSON). */
export interface UploadFinishedInfo extends UploadedObjectRef {
  /** Without quotes; undefined when the bucket's CORS rule does not expose ETag (null in the JSON). */
  readonly etag: string | undefined;
  /** S3's Location; '' when the bucket's CORS rule hides it. */
  readonly location: string;
}

export interface AfterUploadContext {
  readonly signal: AbortSignal;
}

/** A URL or endpoint the kit POSTs `{ key, bucket, etag }` to, or a function of the app's own. */
export type UploadFinishedSource =
  | string
  | PolicyEndpoint
  | ((info: UploadFinishedInfo, context: AfterUploadContext) => Promise<unknown>);

/** A URL or endpoint the kit POSTs `{ key, bucket }` to, or a function of the app's own. */
export type DeleteFileSource = string | PolicyEndpoint | ((ref: UploadedObjectRef, context: AfterUploadContext) => Promise<unknown>);

export interface AfterUploadOptions {
  readonly signal?: AbortSignal;
}

/**
 * Tells the app's backend that S3 accepted `info`'s object; resolves with the backend's answer (parsed
 * JSON, undefined for an empty body). Rejects with AfterUploadError 'upload-finished-failed'.
 */
export function notifyUploadFinished(info: UploadFinishedInfo, source: UploadFinishedSource, options: AfterUploadOptions = {}): Promise<unknown> {
  const { key, bucket, etag } = info;
  return callBackend('upload-finished', info, source, { key, bucket: bucket ?? null, etag: etag ?? null }, options.signal);
}

/**
 * Asks the app's backend to delete the object; resolves with its answer (parsed JSON, undefined for an
 * empty body). Rejects with AfterUploadError 'delete-failed'.
 */
export function deleteUploadedObject(ref: UploadedObjectRef, source: DeleteFileSource, options: AfterUploadOptions = {}): Promise<unknown> {
  const { key, bucket } = ref;
  return callBackend('delete', { key, bucket }, source, { key, bucket: bucket ?? null }, options.signal);
}

type Operation = 'upload-finished' | 'delete';

async function callBackend<T extends UploadedObjectRef>(
  operation: Operation,
  argument: T,
  source: string | PolicyEndpoint | ((argument: T, context: AfterUploadContext) => Promise<unknown>),
  body: unknown,
  signal: AbortSignal = new AbortController().signal,
): Promise<unknown> {
  if (signal.aborted) throw new UploadAbortedError('after-upload', { cause: signal.reason });
  try {
    if (typeof source === 'function') return await raceAbort(source(argument, { signal }), signal);
    return await postJson(typeof source === 'string' ? { url: source } : source, body, signal, operation);
  } catch (error) {
    if (signal.aborted || error instanceof UploadAbortedError) throw new UploadAbortedError('after-upload', { cause: error });
    // An empty 2xx answer (204 No Content, say) is a fine answer to a notice.
    if (error instanceof PolicyAnswerError && error.code === 'backend-not-json' && error.received === 'empty body') return undefined;
    throw explain(operation, argument, source, error);
  }
}

/** Settles at once on abort, even when the app's function ignores the signal. */
function raceAbort<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  let onAbort: (() => void) | undefined;
  const aborted = new Promise<never>((_, reject) => {
    onAbort = () => reject(new UploadAbortedError('after-upload', { cause: signal.reason }));
    signal.addEventListener('abort', onAbort, { once: true });
  });
  return Promise.race([promise, aborted]).finally(() => {
    if (onAbort) signal.removeEventListener('abort', onAbort);
  });
}

function explain(operation: Operation, ref: UploadedObjectRef, source: string | PolicyEndpoint | ((...args: never[]) => unknown), error: unknown): AfterUploadError {
  const where = typeof source === 'function' ? "the app's function" : `POST ${typeof source === 'string' ? source : source.url}`;
  const status = error instanceof PolicyAnswerError ? error.status : undefined;
  // postJson's message carries the status and an excerpt of the body; a function's error is its own.
  const why = error instanceof Error ? error.message : String(error);
  const object = ref.bucket === undefined ? `key ${ref.key}` : `s3://${ref.bucket}/${ref.key}`;
  if (operation === 'upload-finished') {
    return new AfterUploadError(
      'upload-finished-failed',
      `The file is in S3 (${object}), but the backend's upload-finished call (${where}) failed: ${why}`,
      "Nothing needs to be uploaded again: fix the backend's upload-finished endpoint (its logs say why), then retry, which repeats only that call.",
      { bucket: ref.bucket, key: ref.key, status, cause: error },
    );
  }
  return new AfterUploadError(
    'delete-failed',
    `The file is still in S3 (${object}): the backend's delete call (${where}) failed: ${why}`,
    "Try deleting again; if it keeps failing, the backend's delete endpoint's logs say why (it needs s3:DeleteObject on the bucket).",
    { bucket: ref.bucket, key: ref.key, status, cause: error },
  );
}
