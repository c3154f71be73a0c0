// How the upload ended: what S3 stored, shown back through a presigned GET, or the kit's error with
// its code, message, hint and S3's own evidence. Everything is rendered as text.
import {
  isS3UploadError,
  NetworkError,
  PolicyAnswerError,
  PolicyViolationError,
  S3ResponseError,
  type UploadWarning,
} from 's3-direct-upload';
import type { UploadState } from '../run-upload';
import { Facts } from './Facts';

type Done = Extract<UploadState, { status: 'done' }>;
type Failed = Extract<UploadState, { status: 'failed' }>;

export function Outcome({ state }: { readonly state: UploadState }) {
  if (state.status === 'done') return <Success state={state} />;
  if (state.status === 'failed') return <Failure error={state.error} />;
  return null;
}

function Success({ state }: { readonly state: Done }) {
  const { result, file, readUrl, readUrlError } = state;
  return (
    <section className="outcome success" aria-live="polite" data-testid="upload-success">
      <h2>Stored in S3</h2>
      <Facts
        rows={[
          ['Key', result.key],
          ['ETag', result.etag ?? "(not readable: the bucket's CORS rule does not expose it)"],
          ['Location', result.location],
          ['Bucket', result.bucket ?? '(unknown)'],
          ['S3 status', String(result.status)],
        ]}
      />
      <Warnings warnings={result.warnings} />
      {readUrl === undefined ? (
        <p className="note">Could not show the object back: {readUrlError ?? 'no read URL'}</p>
      ) : file.type.startsWith('image/') ? (
        <figure className="preview">
          <img src={readUrl} alt={`The uploaded ${file.name}, read back from S3`} />
          <figcaption>Read back from the private bucket through a presigned GET URL.</figcaption>
        </figure>
      ) : (
        <p>
          <a href={readUrl} target="_blank" rel="noreferrer">Open {file.name} from S3</a> (a presigned GET URL, valid 5 minutes)
        </p>
      )}
    </section>
  );
}

function Warnings({ warnings }: { readonly warnings: readonly UploadWarning[] }) {
  if (warnings.length === 0) return null;
  return (
    <div className="warnings">
      <h3>The kit repaired something; fix the backend</h3>
      <ul>
        {warnings.map((warning, index) => (
          <li key={index}>
            <code>{warning.code}</code> {warning.message}
          </li>
        ))}
      </ul>
    </div>
  );
}

function Failure({ error }: { readonly error: Failed['error'] }) {
  if (!isS3UploadError(error)) {
    return (
      <section className="outcome failure" role="alert">
        <h2>Failed</h2>
        <p>{error instanceof Error ? error.message : String(error)}</p>
      </section>
    );
  }
  return (
    <section className="outcome failure" role="alert" data-testid="upload-failure">
      <h2>
        {error.name} <code>{error.code}</code>
      </h2>
      <p className="who">{whoCaughtIt(error)}</p>
      <p className="message">{error.message}</p>
      <p className="hint">
        <strong>How to fix it:</strong> {error.hint}
      </p>
      {error instanceof S3ResponseError && <S3Evidence error={error} />}
      {error instanceof PolicyViolationError && error.failures.length > 1 && (
        <p className="note">{error.failures.length} conditions fail; the first is described above.</p>
      )}
      {error instanceof PolicyAnswerError && error.received !== undefined && (
        <Evidence rows={[['Received (names and types only)', error.received], ...(error.status !== undefined ? [['Backend status', String(error.status)] as const] : [])]} />
      )}
      {error instanceof NetworkError && <Evidence rows={[['CORS rule for this page', error.corsRule]]} />}
    </section>
  );
}

function whoCaughtIt(error: Failed['error']): string {
  if (error instanceof S3ResponseError) return 'S3 refused the upload; the kit read its answer.';
  if (error instanceof PolicyAnswerError || error instanceof PolicyViolationError) {
    return 'The kit caught this before sending a single byte to S3.';
  }
  return '';
}

function S3Evidence({ error }: { readonly error: S3ResponseError }) {
  const { s3 } = error;
  const known = new Set(['Code', 'Message', 'RequestId', 'HostId']);
  const rows: Array<readonly [string, string]> = [
    ['HTTP status', String(error.status)],
    ['Request', `${error.method} ${error.url}`],
    ['Code', s3.code],
    ['Message', s3.message],
    ...Object.entries(s3.elements).filter(([name]) => !known.has(name)),
    ...(s3.requestId !== undefined ? [['RequestId', s3.requestId] as const] : []),
  ];
  return <Evidence title="S3's evidence" rows={rows} />;
}

function Evidence({ rows, title = 'Evidence' }: { readonly rows: ReadonlyArray<readonly [string, string]>; readonly title?: string }) {
  return (
    <div className="evidence">
      <h3>{title}</h3>
      <Facts rows={rows} />
    </div>
  );
}
