// One file in <Uploader>'s list. Memoized: a row renders again only when its own file's snapshot
// changes, so a busy neighbour costs it nothing. Everything from the file or from S3 is rendered as
// text, never as HTML.

import * as React from 'react';
import { S3ResponseError } from '../core/errors/S3ResponseError';
import { isS3UploadError } from '../core/errors/S3UploadError';
import type { S3ErrorDetails } from '../core/transport/s3-refusal';
import { formatBytes } from '../core/queue/format-bytes';
import type { FileWait, Upload, UploadParts } from '../core/queue/upload-store';

export interface UploadRowProps {
  readonly upload: Upload;
  readonly onCancel: (id: string) => void;
  readonly onRetry: (id: string) => void;
  readonly onRemove: (id: string) => void;
  /** For multipart rows (upload.parts set): the Pause / Resume button. */
  readonly onPause: (id: string) => void;
  readonly onResume: (id: string) => void;
  /** Given when the uploader can delete (deleteFile): a Delete button on uploaded rows. */
  readonly onDelete?: ((id: string) => void) | undefined;
}

export const UploadRow = React.memo(function UploadRow({ upload, onCancel, onRetry, onRemove, onPause, onResume, onDelete }: UploadRowProps) {
  const { id, file, status, progress, parts } = upload;
  const name = file.name;
  const inFlight =
    status === 'queued' || status === 'signing' || status === 'uploading' || status === 'waiting' || status === 'paused' || status === 'finishing';
  const canRetry = status === 'error' || status === 'canceled';
  const pausable = parts !== undefined && (status === 'queued' || status === 'signing' || status === 'uploading' || status === 'waiting' || status === 'paused');
  useTickUntil(upload.status === 'waiting' && upload.wait.reason === 'retry' ? upload.wait.until : undefined);
  const deletable = onDelete !== undefined && (status === 'success' || status === 'deleting');
  return (
    <li className="s3u-row" data-status={status}>
      <Thumbnail file={file} />
      <span className="s3u-name">{name}</span>
      <span className="s3u-actions">
        {/* One button that turns from Pause into Resume, so that keyboard focus stays put. */}
        {pausable ? (
          <button
            key="pause"
            type="button"
            aria-label={`${status === 'paused' ? 'Resume' : 'Pause'} ${name}`}
            onClick={() => (status === 'paused' ? onResume(id) : onPause(id))}
          >
            {status === 'paused' ? 'Resume' : 'Pause'}
          </button>
        ) : null}
        {/* One button that turns from Cancel into Retry, so that keyboard focus stays put. */}
        {inFlight || canRetry ? (
          <button
            key="primary"
            type="button"
            aria-label={`${inFlight ? 'Cancel' : 'Retry'} ${name}`}
            onClick={() => (inFlight ? onCancel(id) : onRetry(id))}
          >
            {inFlight ? 'Cancel' : 'Retry'}
          </button>
        ) : null}
        {deletable ? (
          // Busy while deleting, but not disabled: a disabled button would drop keyboard focus.
          <button
            key="delete"
            type="button"
            aria-label={`Delete ${name}`}
            aria-disabled={status === 'deleting' ? true : undefined}
            aria-busy={status === 'deleting' ? true : undefined}
            onClick={() => (status === 'deleting' ? undefined : onDelete(id))}
          >
            {status === 'deleting' ? 'Deleting…' : 'Delete'}
          </button>
        ) : null}
        <button key="remove" type="button" aria-label={`Remove ${name}`} onClick={() => onRemove(id)}>
          Remove
        </button>
      </span>
      <span className="s3u-size">
        {formatBytes(file.size)} · <span className="s3u-status">{statusText(upload)}</span>
        {parts && parts.total > 0 && (status === 'uploading' || status === 'waiting' || status === 'paused') ? (
          <span className="s3u-parts"> · {partsText(parts)}</span>
        ) : null}
        {/* Text, not a colour only: the upload went on from where an earlier page (or try) left it. */}
        {upload.resumed ? (
          <>
            {' · '}
            <span className="s3u-resumed">Resumed</span>
          </>
        ) : null}
      </span>
      {status === 'error' || status === 'canceled' ? null : (
        <div
          className="s3u-bar"
          role="progressbar"
          aria-label={`${name} upload progress`}
          aria-valuemin={0}
          aria-valuemax={100}
          aria-valuenow={progress.percent}
          aria-valuetext={status === 'paused' || status === 'waiting' ? `${progress.percent}%, ${status}` : `${progress.percent}%`}
        >
          <div className="s3u-bar-fill" style={{ width: `${progress.percent}%` }} />
        </div>
      )}
      {status === 'error' ? <ErrorReport error={upload.error} /> : null}
      {status === 'success' && upload.deleteError ? <ErrorReport error={upload.deleteError} /> : null}
    </li>
  );
});

function statusText(upload: Upload): string {
  switch (upload.status) {
    case 'queued':
      return 'Waiting';
    case 'signing':
      return 'Preparing';
    case 'uploading': {
      const { bytes, total, percent, rate } = upload.progress;
      const speed = rate > 0 ? ` · ${formatBytes(rate)}/s` : '';
      return `Uploading ${percent}% (${formatBytes(bytes)} of ${formatBytes(total)})${speed}`;
    }
    case 'waiting':
      return waitText(upload.wait, Date.now());
    case 'paused': {
      const { bytes, total, percent } = upload.progress;
      return `Paused at ${percent}% (${formatBytes(bytes)} of ${formatBytes(total)})`;
    }
    case 'finishing':
      return 'Finishing';
    case 'success':
      return upload.deleteError ? 'Uploaded · not deleted' : 'Uploaded';
    case 'deleting':
      return 'Deleting';
    case 'error':
      return 'Failed';
    case 'canceled':
      return 'Canceled';
  }
}

/** What a file waits for, as its row says it: "Retrying in 3 s (try 2 of 3)". */
function waitText(wait: FileWait, now: number): string {
  switch (wait.reason) {
    case 'offline':
      return 'Offline — continues when the connection is back';
    case 'retry': {
      const seconds = Math.ceil((wait.until - now) / 1000);
      return `Retrying${seconds > 0 ? ` in ${seconds} s` : ''} (try ${wait.attempt} of ${wait.attempts})`;
    }
    case 'resign':
      return wait.cause === 'policy-expired' ? 'The policy expired — signing again' : "Clocks disagree with S3's — signing again with S3's time";
  }
}

/** Renders the row again each second until `until` (epoch ms) has passed, for a countdown. */
function useTickUntil(until: number | undefined): void {
  const [, tick] = React.useReducer((count: number) => count + 1, 0);
  React.useEffect(() => {
    if (until === undefined || until <= Date.now()) return undefined;
    const timer = setInterval(() => {
      tick();
      if (Date.now() >= until) clearInterval(timer);
    }, 1000);
    return () => clearInterval(timer);
  }, [until]);
}

/** "12 of 40 parts · 4 in flight": parts finished (S3 holds them) and parts on their way now. */
function partsText(parts: UploadParts): string {
  const flying = parts.inFlight > 0 ? ` · ${parts.inFlight} in flight` : '';
  return `${parts.done} of ${parts.total} parts${flying}`;
}

function ErrorReport({ error }: { readonly error: Error }): React.JSX.Element {
  const hint = isS3UploadError(error) ? error.hint : undefined;
  const s3 = error instanceof S3ResponseError ? error.s3 : undefined;
  return (
    <div className="s3u-error">
      <p className="s3u-error-message">{error.message}</p>
      {hint ? <p className="s3u-error-hint">{hint}</p> : null}
      {s3 ? <S3Details s3={s3} /> : null}
    </div>
  );
}

function S3Details({ s3 }: { readonly s3: S3ErrorDetails }): React.JSX.Element {
  const rows: Array<readonly [string, string | undefined, boolean]> = [
    ['Code', s3.code, false],
    ['Message', s3.message, false],
    ['RequestId', s3.requestId, false],
    ['StringToSign', s3.stringToSign, true],
    ['CanonicalRequest', s3.canonicalRequest, true],
  ];
  return (
    <details className="s3u-details">
      <summary>Details from S3</summary>
      <dl>
        {rows.map(([label, value, verbatim]) =>
          value === undefined || value === '' ? null : (
            <React.Fragment key={label}>
              <dt>{label}</dt>
              {/* StringToSign and CanonicalRequest are evidence byte for byte: shown as sent, newlines kept. */}
              <dd>{verbatim ? <pre>{value}</pre> : value}</dd>
            </React.Fragment>
          ),
        )}
      </dl>
    </details>
  );
}

/**
 * A preview for images: an object URL made per file and revoked when the row goes away (or the file
 * changes), so a long session does not pile up blobs in memory.
 */
function Thumbnail({ file }: { readonly file: File }): React.JSX.Element {
  const [url, setUrl] = React.useState<string | undefined>(undefined);
  const isImage = file.type.startsWith('image/');
  React.useEffect(() => {
    if (!isImage) return undefined;
    const objectUrl = URL.createObjectURL(file);
    setUrl(objectUrl);
    return () => {
      URL.revokeObjectURL(objectUrl);
      setUrl(undefined);
    };
  }, [file, isImage]);
  return url ? <img className="s3u-thumb" src={url} alt="" /> : <span className="s3u-thumb-none" aria-hidden="true" />;
}
