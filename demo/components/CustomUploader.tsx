// Section 2: the same engine as <Uploader>, with a UI of the page's own. useS3Upload holds the state
// (a tagged status per file, progress, totals) and useDropZone only the file picker: a button that
// calls open(), and the hidden input from getInputProps. No markup comes from the kit: not even the
// Pause / Resume and Delete buttons of a large file, which call the hook's pause, resume and deleteUploaded.
import { useId, useMemo } from 'react';
import { isS3UploadError } from 's3-direct-upload';
import { useDropZone, useS3Upload, type FileWait, type Upload, type UploadOutcome, type UseS3UploadOptions } from 's3-direct-upload/react';
import type { UploadPlan } from '../backend-shapes';
import { formatBytes, formatRate } from '../format';
import type { FileRules } from '../upload-rules';

export interface CustomUploaderProps {
  readonly plan: UploadPlan;
  /** Multipart, the object key, and the upload-finished and delete calls (multipart-plan.ts). */
  readonly large: Pick<UseS3UploadOptions, 'multipart' | 'objectKey' | 'uploadFinished' | 'deleteFile'>;
  readonly rules: FileRules;
  readonly onSettled: (outcome: UploadOutcome) => void;
}

export function CustomUploader({ plan, large, rules, onSettled }: CustomUploaderProps) {
  const id = useId();
  const options = useMemo<UseS3UploadOptions>(
    () => ({
      policy: plan.policy,
      ...large,
      accept: rules.accept,
      maxSize: rules.maxSize,
      onSettled,
    }),
    [plan, large, rules, onSettled],
  );
  const { uploads, rejections, progress, isUploading, upload, cancel, retry, reset, pause, resume, deleteUploaded } = useS3Upload(options);
  const actions: RowActions = { pause, resume, deleteUploaded: (uploadId) => void deleteUploaded(uploadId) };
  const { getInputProps, open, fileRejections } = useDropZone({
    accept: rules.accept,
    maxSize: rules.maxSize,
    // Every choice goes to upload(), even with nothing accepted, so that the hook's rejections are current.
    onDrop: (accepted) => void upload(accepted),
  });
  const refused = [...fileRejections, ...rejections];
  const unfinished = uploads.filter((item) => item.status === 'error' || item.status === 'canceled');
  const done = uploads.filter((item) => item.status === 'success').length;
  const rate = formatRate(progress.rate);

  return (
    <section className="card" aria-labelledby={`${id}-title`} data-testid="custom-ui">
      <h2 id={`${id}-title`}>Custom UI with useS3Upload</h2>
      <p className="note">
        The hook is headless: this toolbar, table and bar are the page's own markup, fed by <code>useS3Upload</code>'s snapshot.
      </p>

      <div className="toolbar">
        <input {...getInputProps({ 'aria-label': 'Choose files for the custom uploader' })} />
        <button type="button" className="primary" onClick={open}>
          Add files…
        </button>
        <button type="button" onClick={() => cancel()} disabled={!isUploading}>
          Cancel all
        </button>
        <button type="button" onClick={() => unfinished.forEach((item) => void retry(item.id))} disabled={unfinished.length === 0}>
          Retry failed{unfinished.length > 0 ? ` (${unfinished.length})` : ''}
        </button>
        <button type="button" onClick={reset} disabled={uploads.length === 0}>
          Clear
        </button>
      </div>

      <div className="total">
        <div className="total-label">
          <span>{uploads.length === 0 ? 'Total progress' : `${done} of ${uploads.length} ${uploads.length === 1 ? 'file' : 'files'} uploaded`}</span>
          <span>
            {formatBytes(progress.bytes)} of {formatBytes(progress.total)} · {progress.percent}%{rate ? ` · ${rate}` : ''}
          </span>
        </div>
        <div
          className="bar"
          role="progressbar"
          aria-label="Total upload progress"
          aria-valuemin={0}
          aria-valuemax={100}
          aria-valuenow={progress.percent}
          aria-valuetext={`${progress.percent}%, ${formatBytes(progress.bytes)} of ${formatBytes(progress.total)}${rate ? `, ${rate}` : ''}`}
          data-busy={isUploading || undefined}
        >
          <div className="bar-fill" style={{ width: `${progress.percent}%` }} />
        </div>
      </div>

      {refused.length > 0 ? (
        <ul className="rejections" aria-label="Files not added">
          {refused.map((rejection, index) => (
            <li key={`${index}:${rejection.file.name}`}>{rejection.errors.map((error) => error.message).join(' ')}</li>
          ))}
        </ul>
      ) : null}

      <div className="table-wrap">
        <table className="files">
          <caption className="visually-hidden">Files in the custom uploader</caption>
          <thead>
            <tr>
              <th scope="col">File</th>
              <th scope="col" className="number">
                Size
              </th>
              <th scope="col" className="status-col">
                Status
              </th>
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {uploads.length === 0 ? (
              <tr>
                <td colSpan={4} className="empty">
                  No files yet: choose some with Add files.
                </td>
              </tr>
            ) : (
              uploads.map((item) => <FileRow key={item.id} upload={item} actions={actions} />)
            )}
          </tbody>
        </table>
      </div>
    </section>
  );
}

interface RowActions {
  readonly pause: (id: string) => void;
  readonly resume: (id: string) => void;
  readonly deleteUploaded: (id: string) => void;
}

function FileRow({ upload, actions }: { readonly upload: Upload; readonly actions: RowActions }) {
  const { id, file, status, parts } = upload;
  // Pause is for a file going by parts, until the parts are all sent.
  const pausable =
    parts !== undefined && (status === 'queued' || status === 'signing' || status === 'uploading' || status === 'waiting' || status === 'paused');
  return (
    <tr data-status={status}>
      <td>
        <span className="file-name">{file.name}</span>
        {status === 'success' ? <code className="file-key">{upload.result.key}</code> : null}
      </td>
      <td className="number">{formatBytes(file.size)}</td>
      <td>
        <Status upload={upload} />
      </td>
      <td className="row-actions">
        {pausable ? (
          // One button that turns from Pause into Resume, so that keyboard focus stays put.
          <button
            type="button"
            aria-label={`${status === 'paused' ? 'Resume' : 'Pause'} ${file.name}`}
            onClick={() => (status === 'paused' ? actions.resume(id) : actions.pause(id))}
          >
            {status === 'paused' ? 'Resume' : 'Pause'}
          </button>
        ) : null}
        {status === 'success' || status === 'deleting' ? (
          <button
            type="button"
            aria-label={`Delete ${file.name}`}
            aria-disabled={status === 'deleting' || undefined}
            onClick={() => (status === 'deleting' ? undefined : actions.deleteUploaded(id))}
          >
            {status === 'deleting' ? 'Deleting…' : 'Delete'}
          </button>
        ) : null}
      </td>
    </tr>
  );
}

/** " · 12 of 40 parts" for a file going by parts, and " · resumed" when it took up an earlier upload. */
function PartsNote({ upload }: { readonly upload: Upload }) {
  const { parts, resumed } = upload;
  return (
    <>
      {parts && parts.total > 0 ? <span className="status-parts"> · {parts.done} of {parts.total} parts</span> : null}
      {resumed ? (
        <>
          {' · '}
          <span className="status-resumed">Resumed</span>
        </>
      ) : null}
    </>
  );
}

function Status({ upload }: { readonly upload: Upload }) {
  switch (upload.status) {
    case 'queued':
      return <span className="status">Waiting for a slot</span>;
    case 'signing':
      return <span className="status">Signing: asking the backend, checking the policy</span>;
    case 'uploading': {
      const rate = formatRate(upload.progress.rate);
      return <Moving upload={upload} text={`Uploading ${upload.progress.percent}%${rate ? ` · ${rate}` : ''}`} />;
    }
    case 'waiting':
      return <Moving upload={upload} text={`${waitText(upload.wait)} at ${upload.progress.percent}%`} />;
    case 'paused':
      return <Moving upload={upload} text={`Paused at ${upload.progress.percent}%`} />;
    case 'finishing':
      return <span className="status">Stored; telling the backend</span>;
    case 'success':
      return upload.deleteError ? (
        <details className="status bad">
          <summary>Uploaded, not deleted</summary>
          <p>{upload.deleteError.message}</p>
          {isS3UploadError(upload.deleteError) ? <p className="hint">{upload.deleteError.hint}</p> : null}
        </details>
      ) : (
        <span className="status ok">
          Uploaded
          <PartsNote upload={upload} />
        </span>
      );
    case 'deleting':
      return <span className="status">Deleting through the backend</span>;
    case 'canceled':
      return <span className="status">Canceled</span>;
    case 'error': {
      const { error } = upload;
      return (
        <details className="status bad">
          <summary>Failed{isS3UploadError(error) ? <>: <code>{error.code}</code></> : null}</summary>
          <p>{error.message}</p>
          {isS3UploadError(error) ? <p className="hint">{error.hint}</p> : null}
        </details>
      );
    }
  }
}

/** A file on its way (uploading, waiting or paused): its status text, parts, and a small bar. */
function Moving({ upload, text }: { readonly upload: Upload; readonly text: string }) {
  return (
    <>
      <span className="status">
        {text}
        <PartsNote upload={upload} />
      </span>
      <span className="bar small" aria-hidden="true">
        <span className="bar-fill" style={{ width: `${upload.progress.percent}%` }} />
      </span>
    </>
  );
}

/** What the hook says the file waits for (upload.wait), in the table's words. */
function waitText(wait: FileWait): string {
  switch (wait.reason) {
    case 'offline':
      return 'Offline: goes on when the network is back,';
    case 'retry':
      return `Failed in passing (${wait.error.message}); try ${wait.attempt} of ${wait.attempts} soon,`;
    case 'resign':
      return wait.cause === 'policy-expired' ? 'Policy expired: signing again,' : "Clock skew: signing again with S3's time,";
  }
}
