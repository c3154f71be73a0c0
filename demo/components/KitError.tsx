// An error the kit threw, as a developer needs it: who caught it, the message, the hint, the stable
// code, and the raw evidence (S3's own XML fields, the shape the backend answered). All rendered as
// text: React escapes whatever S3 or a backend sent.
import {
  isS3UploadError,
  NetworkError,
  PolicyAnswerError,
  PolicyViolationError,
  S3ResponseError,
  type UploadWarning,
} from 's3-direct-upload';
import { Facts } from './Facts';

export function KitError({ error }: { readonly error: Error }) {
  if (!isS3UploadError(error)) {
    return (
      <div className="kit-error" data-testid="last-error">
        <h4>{error.name}</h4>
        <p className="message">{error.message}</p>
      </div>
    );
  }
  return (
    <div className="kit-error" data-testid="last-error">
      <h4>
        {error.name} <code>{error.code}</code>
      </h4>
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
        <Evidence
          rows={[
            ['Received (names and types only)', error.received],
            ...(error.status !== undefined ? [['Backend status', String(error.status)] as const] : []),
          ]}
        />
      )}
      {error instanceof NetworkError && <Evidence rows={[['CORS rule for this page', error.corsRule]]} />}
    </div>
  );
}

function whoCaughtIt(error: Error): string {
  if (error instanceof S3ResponseError) return 'S3 refused the upload; the kit read its answer against the form it sent.';
  if (error instanceof PolicyAnswerError || error instanceof PolicyViolationError) {
    return 'The kit caught this before sending a single byte to S3.';
  }
  if (error instanceof NetworkError) return 'The browser reported a failed request; the kit says what it can and cannot know.';
  return '';
}

function S3Evidence({ error }: { readonly error: S3ResponseError }) {
  const { s3 } = error;
  // Code and Message first, the long byte-for-byte strings after the short facts.
  const shown = new Set(['Code', 'Message', 'RequestId', 'HostId', 'StringToSign', 'CanonicalRequest']);
  const rows: Array<readonly [string, string]> = [
    ['HTTP status', String(error.status)],
    ['Request', `${error.method} ${error.url}`],
    ['Code', s3.code],
    ['Message', s3.message],
    ...Object.entries(s3.elements).filter(([name]) => !shown.has(name)),
    ...(s3.requestId !== undefined ? [['RequestId', s3.requestId] as const] : []),
    ...(s3.stringToSign !== undefined ? [['StringToSign', s3.stringToSign] as const] : []),
    ...(s3.canonicalRequest !== undefined ? [['CanonicalRequest', s3.canonicalRequest] as const] : []),
  ];
  return <Evidence title="S3's evidence" rows={rows} />;
}

function Evidence({ rows, title = 'Evidence' }: { readonly rows: ReadonlyArray<readonly [string, string]>; readonly title?: string }) {
  return (
    <div className="evidence">
      <h5>{title}</h5>
      <Facts rows={rows} />
    </div>
  );
}

export function Warnings({ warnings }: { readonly warnings: readonly UploadWarning[] }) {
  if (warnings.length === 0) return null;
  return (
    <div className="warnings" data-testid="warnings">
      <h4>The kit repaired the backend's answer; fix the backend</h4>
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
