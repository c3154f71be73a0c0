// The parts still to send, sent `concurrency` at a time: each read as a slice of the file (never the
// whole file), checksummed if asked, signed, PUT, and retried as retry.ts says. The first failure that
// retrying cannot fix stops the others; so does the session's signal (pause, cancel). While the browser
// is offline no part is sent, and a part whose connection went with the network waits for the `online`
// event without spending a try (online.ts), as a POST does.

import type { ChecksumAlgorithm, CreatedUpload, FinishedPart, MultipartBackend } from './backends/backend';
import { checksumHeader, partChecksum } from './wire/checksums';
import type { PartLedger } from './part-ledger';
import { PartSigner } from './wire/part-signer';
import { sendPart } from './wire/part-transport';
import { partRange } from './plan';
import { withRetries, type RetryPolicy } from '../retry/retry';
import { childController } from '../transport/child-controller';
import { NetworkError } from '../errors/NetworkError';
import { UploadAbortedError } from '../errors/UploadAbortedError';
import { onlineWatch, type OnlineWatch } from '../transport/online';
import type { MultipartWait } from './multipart-state';

export interface PartPoolContext {
  readonly file: Blob;
  readonly ledger: PartLedger;
  readonly backend: MultipartBackend;
  readonly upload: CreatedUpload;
  readonly checksumAlgorithm: ChecksumAlgorithm | undefined;
  readonly concurrency: number;
  readonly retry: RetryPolicy;
  /** Per try of a part. */
  readonly timeoutMs: number | undefined;
  /** Aborted to pause or cancel: the parts on the way are stopped, and stay to send. */
  readonly signal: AbortSignal;
  /** Something in the ledger changed (a part started, progressed, finished or stopped). */
  readonly onChange: () => void;
  readonly onPartDone: (part: FinishedPart) => void;
  /** The parts began waiting for the network (`{ reason: 'offline' }`), or stopped waiting (undefined). */
  readonly onWaiting: (wait: MultipartWait | undefined) => void;
}

/** Resolves once every part is done; rejects with the first lasting failure, or UploadAbortedError. */
export async function uploadParts(context: PartPoolContext): Promise<void> {
  const { controller, dispose } = childController(context.signal);
  const signal = controller.signal;
  const signer = new PartSigner(context.backend, context.upload, context.ledger, { signal });
  const queue = context.ledger.pending();
  let next = 0;
  let failure: { readonly error: unknown } | undefined;
  const online = partsOnline(context);

  const worker = async (): Promise<void> => {
    for (let partNumber = queue[next++]; partNumber !== undefined && !signal.aborted; partNumber = queue[next++]) {
      await uploadPart(partNumber, signer, signal, context, online(partNumber));
    }
  };
  const workers = Array.from({ length: Math.max(1, Math.min(context.concurrency, queue.length)) }, () =>
    worker().catch((error: unknown) => {
      // The first failure is the one to report; the others are the stop it caused.
      failure ??= { error };
      controller.abort(error);
    }),
  );
  try {
    await Promise.all(workers);
  } finally {
    dispose();
  }
  if (failure) throw failure.error;
  // A pause or cancel that came between two parts (from a listener of the part just finished, say)
  // ends the workers without an error: that is a stop, not the end of the parts.
  if (signal.aborted) throw signal.reason instanceof Error ? signal.reason : new UploadAbortedError('upload', { cause: signal.reason });
  const missing = context.ledger.pending();
  if (missing.length > 0) throw new Error(`Internal error: the parts ended with parts ${missing.join(', ')} not sent; please report it.`);
}

/**
 * Each part's view of the network. A part waiting for it is not on its way (the ledger drops it until
 * its next try starts), and the task hears when the first part starts waiting and the last one stops.
 */
function partsOnline(context: PartPoolContext): (partNumber: number) => OnlineWatch {
  const watch = onlineWatch();
  let waiting = 0;
  return (partNumber) => ({
    isOffline: watch.isOffline,
    async waitUntilOnline(signal) {
      if (!watch.isOffline()) return watch.waitUntilOnline(signal);
      context.ledger.drop(partNumber);
      waiting += 1;
      if (waiting === 1) context.onWaiting({ reason: 'offline' });
      else context.onChange();
      try {
        await watch.waitUntilOnline(signal);
      } finally {
        waiting -= 1;
        if (waiting === 0) context.onWaiting(undefined);
      }
    },
  });
}

async function uploadPart(partNumber: number, signer: PartSigner, signal: AbortSignal, context: PartPoolContext, online: OnlineWatch): Promise<void> {
  const { ledger, checksumAlgorithm: algorithm } = context;
  const range = partRange(ledger.plan, partNumber);
  // A slice is a reference into the file: the browser reads it as the request goes out.
  const body = context.file.slice(range.start, range.end);
  try {
    const checksum = algorithm === undefined ? undefined : await partChecksum(algorithm, body, { signal });
    const part = { partNumber, size: range.size, ...(checksum === undefined ? {} : { checksum }) };
    const etag = await withRetries(
      async (attempt) => {
        const signed = await signer.sign(part);
        ledger.start(partNumber, attempt);
        context.onChange();
        return sendPart({
          partNumber,
          url: signed.url,
          headers: algorithm && checksum !== undefined ? withHeader(signed.headers, checksumHeader(algorithm), checksum) : signed.headers,
          body,
          bucket: context.upload.bucket,
          key: context.upload.key,
          corsMethods: context.backend.corsMethods,
          signal,
          timeoutMs: context.timeoutMs,
          onProgress: ({ loaded }) => {
            ledger.progress(partNumber, loaded);
            context.onChange();
          },
        });
      },
      {
        policy: context.retry,
        signal,
        online,
        onExpired: (error) => {
          signer.invalidate(partNumber);
          context.backend.noteExpired?.(error);
        },
      },
    );
    const finished: FinishedPart = { partNumber, etag, ...(checksum === undefined ? {} : { checksum }) };
    ledger.finish(finished);
    signer.release(partNumber);
    context.onPartDone(finished);
    context.onChange();
  } catch (error) {
    ledger.drop(partNumber);
    context.onChange();
    throw lostPart(error, context);
  }
}

/**
 * A part's NetworkError, with how many times the part was sent. Status 0 on every try of a part after
 * other parts of the upload got through the same CORS rule is not CORS, as NetworkError's own message
 * would guess: either the network failed, or the browser could not send the part's bytes. Chromium keeps
 * a copy of each part it sent from a Blob made in the page until the garbage collector frees the part's
 * slice, and once its blob memory is full the next parts fail at once (measured: a 256 MiB Blob in 8 MiB
 * parts, part 31 failed with net::ERR_BLOB_OUT_OF_MEMORY). Slices of a file picked from disk, or of one
 * from the Origin Private File System, are references.
 */
function lostPart(error: unknown, context: PartPoolContext): unknown {
  if (!(error instanceof NetworkError) || error.code !== 'network-or-cors') return error;
  // withRetries gives a NetworkError up only once every try is spent.
  const { attempts } = context.retry;
  const stored = context.ledger.doneCount;
  if (stored === 0) return new NetworkError('network-or-cors', { method: error.method, url: error.url, attempts, cause: error });
  const parts = stored === 1 ? '1 part of this upload was' : `${stored} parts of this upload were`;
  return new NetworkError('network-or-cors', {
    method: error.method,
    url: error.url,
    attempts,
    cause: error,
    explained: {
      message:
        `${error.method} ${error.url} failed with status 0 ${attempts === 1 ? 'on its one try' : `on each of ${attempts} tries`}, after ${parts} stored through the same CORS rule: ` +
        "so not CORS. Either the network failed, or the browser could not send the part's bytes: Chromium keeps a copy of each part it sent from a Blob made in the page " +
        '(a recording, a zip built in the browser) until it frees that part, and once its blob memory is full the next parts fail at once ' +
        "(net::ERR_BLOB_OUT_OF_MEMORY in the browser's console).",
      hint:
        `Start the upload again: with resume on (the default) the ${stored === 1 ? '1 stored part is' : `${stored} stored parts are`} not sent again. ` +
        'For a large Blob made in the page, write it to the Origin Private File System first and upload the File it gives back (handle.getFile()), ' +
        'whose parts are read from disk; or send it by one POST (multipart off; up to 5 GiB).',
    },
  });
}

/**
 * S3 wants the part's checksum header whatever the backend signed; a backend that signed it already
 * listed it (once: XHR would join two values with a comma).
 */
function withHeader(headers: ReadonlyArray<readonly [string, string]>, name: string, value: string): ReadonlyArray<readonly [string, string]> {
  return headers.some(([header]) => header.toLowerCase() === name) ? headers : [...headers, [name, value]];
}
