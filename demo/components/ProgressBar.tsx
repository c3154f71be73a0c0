// The upload's phase and bytes sent. The numbers are xhr.upload's own progress events over a real
// socket to the S3 endpoint.
import type { UploadState } from '../run-upload';

export function ProgressBar({ state }: { readonly state: UploadState }) {
  const { loaded, total } = progressOf(state);
  // A finished upload is full even for an empty file.
  const fraction = state.status === 'done' ? 1 : total > 0 ? loaded / total : 0;
  const percent = Math.round(fraction * 100);
  return (
    <div className="progress" data-status={state.status}>
      <div className="progress-label">
        <span>{PHASE[state.status]}</span>
        <span>{state.status === 'uploading' || state.status === 'done' ? `${formatBytes(loaded)} of ${formatBytes(total)} (${percent}%)` : ''}</span>
      </div>
      <progress max={1} value={fraction} aria-label="Upload progress" />
    </div>
  );
}

const PHASE: Readonly<Record<UploadState['status'], string>> = {
  idle: 'Choose a file to upload it',
  signing: 'Signing: asking the backend for a policy and checking it…',
  uploading: 'Uploading to S3…',
  done: 'Uploaded',
  failed: 'Failed',
};

function progressOf(state: UploadState): { loaded: number; total: number } {
  switch (state.status) {
    case 'idle':
    case 'signing':
      return { loaded: 0, total: 0 };
    case 'uploading':
      return state.progress;
    case 'done':
      return { loaded: state.file.size, total: state.file.size };
    case 'failed':
      return { loaded: 0, total: 0 };
  }
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KiB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
}
