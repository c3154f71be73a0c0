import { S3UploadError } from './S3UploadError';

/** The caller's AbortSignal fired. Nothing is wrong; the upload can simply be started again. */
export class UploadAbortedError extends S3UploadError {
  override readonly name = 'UploadAbortedError';
  declare readonly code: 'aborted';

  constructor(stage: 'policy' | 'upload', options?: { cause?: unknown }) {
    super(
      'aborted',
      stage === 'policy' ? 'The upload was canceled while asking the backend for a policy.' : 'The upload was canceled.',
      'Start the upload again to retry; nothing was stored.',
      options,
    );
  }
}

