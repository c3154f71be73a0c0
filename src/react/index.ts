// s3-direct-upload/react: thin React adapters over the core. Safe to import on a server: nothing here
// touches window or document until a component mounts.

// Uploading from a custom UI
export { useS3Upload } from './useS3Upload';
export type { UseS3UploadOptions, UseS3UploadResult } from './useS3Upload';
export { uploadMutationKey } from './tanstack';
export type { UploadCallbacks, UploadOutcome, UploadVariables } from '../core/queue/queue-options';
export type { FileProgress, FileWait, Upload, UploadSnapshot, UploadStatus } from '../core/queue/upload-store';
export { formatBytes } from '../core/queue/format-bytes';

// Choosing files
export { useDropZone } from './useDropZone';
export type {
  DropZoneEvent,
  DropZoneInputProps,
  DropZoneRootProps,
  UseDropZoneOptions,
  UseDropZoneResult,
} from './useDropZone';
export type { FileError, FileErrorCode, FileRejection, FileRules } from '../core/queue/file-rules';

// The drop-in component
export { Uploader } from './Uploader';
export type { UploaderProps, UploaderState } from './Uploader';

// Large files (multipart), upload finished and delete
export type { UploadParts } from '../core/queue/upload-store';
