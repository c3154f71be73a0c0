import { S3UploadError } from './S3UploadError';

/**
 * Where the abort found the upload: asking for a policy, sending the file, or (`after-upload`) in the
 * backend's upload-finished or delete call about a file S3 already holds.
 */
export type UploadAbortedStage = 'policy' | 'upload' | 'after-upload';

/** The caller's AbortSignal fired. Nothing is wrong; the upload can simply be started again. */
export class UploadAbortedError extends S3UploadError {
  override readonly name = 'UploadAbortedError';
  declare readonly code: 'aborted';
  readonly stage: UploadAbortedStage;

  constructor(stage: UploadAbortedStage, options?: { cause?: unknown }) {
    super(
      'aborted',
      stage === 'policy'
        ? 'The upload was canceled while asking the backend for a policy.'
        : stage === 'after-upload'
          ? 'The backend call about the uploaded file was canceled; the file is in S3.'
          : 'The upload was canceled.',
      stage === 'after-upload'
        ? 'Nothing needs to be uploaded again: make the backend call again (retry repeats only that call).'
        : 'Start the upload again to retry; nothing was stored.',
      options,
    );
    this.stage = stage;
  }
}
