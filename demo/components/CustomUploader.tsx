// Section 2: the same engine as <Uploader>, with a UI of the page's own. useS3Upload holds the state
// (a tagged status per file, progress, totals) and useDropZone only the file picker: a button that
// calls open(), and the hidden input from getInputProps. No markup comes from the kit.
import { useId, useMemo } from 'react';
import { isS3UploadError } from 's3-direct-upload';
import { useDropZone, useS3Upload, type Upload, type UploadOutcome, type UseS3UploadOptions } from 's3-direct-upload/react';
import type { UploadPlan } from '../backend-shapes';
import { formatBytes, formatRate } from '../format';
import type { FileRules } from '../upload-rules';

export interface CustomUploaderProps {
  readonly plan: UploadPlan;
  readonly rules: FileRules;
  readonly onSettled: (outcome: UploadOutcome) => void;
}

export function CustomUploader({ plan, rules, onSettled }: CustomUploaderProps) {
  const id = useId();
  const options = useMemo<UseS3UploadOptions>(
    () => ({
      policy: plan.policy,
      ...(plan.key !== undefined ? { objectKey: plan.key } : {}),
      accept: rules.accept,
      maxSize: rules.maxSize,
      onSettled,
    }),
    [plan, rules, onSettled],
  );
  const { uploads, rejections, progress, isUploading, upload, cancel, retry, reset } = useS3Upload(options);
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
            </tr>
          </thead>
          <tbody>
            {uploads.length === 0 ? (
              <tr>
                <td colSpan={3} className="empty">
                  No files yet: choose some with Add files.
                </td>
              </tr>
            ) : (
              uploads.map((item) => <FileRow key={item.id} upload={item} />)
            )}
          </tbody>
        </table>
      </div>
    </section>
  );
}

function FileRow({ upload }: { readonly upload: Upload }) {
  return (
    <tr data-status={upload.status}>
      <td>
        <span className="file-name">{upload.file.name}</span>
        {upload.status === 'success' ? <code className="file-key">{upload.result.key}</code> : null}
      </td>
      <td className="number">{formatBytes(upload.file.size)}</td>
      <td>
        <Status upload={upload} />
      </td>
    </tr>
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
      return (
        <>
          <span className="status">
            Uploading {upload.progress.percent}%{rate ? ` · ${rate}` : ''}
          </span>
          <span className="bar small" aria-hidden="true">
            <span className="bar-fill" style={{ width: `${upload.progress.percent}%` }} />
          </span>
        </>
      );
    }
    case 'success':
      return <span className="status ok">Uploaded</span>;
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
