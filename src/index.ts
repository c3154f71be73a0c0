// s3-direct-upload: the framework-free core. Browser uploads to S3: POST with SigV4 policies, and
// multipart upload for large files.

// Uploading
export { uploadFile, prepareUpload, sendUpload } from './core/upload';
export { requestSignedPost } from './core/policy/request-signed-post';
export { preparePost } from './core/form/prepare-post';
export type {
  UploadOptions,
  PrepareOptions,
  SendOptions,
  PreparedUpload,
  PolicySource,
} from './core/upload';
export type { UploadProgress, UploadResult } from './core/transport/xhr-transport';
export type { RetryOptions } from './core/upload';
export type { UploadWait, ResignRequest, ResignReason } from './core/retry/post-retry';
export type { PostForm } from './core/form/post-form';
export { reusePost } from './core/policy/policy-reuse';

// The upload queue: many files with a concurrency limit, cancel, retry, pause and resume, policy reuse,
// and a snapshot any UI reads (subscribe / getSnapshot). s3-direct-upload/react's useS3Upload is this queue.
export { createUploadQueue } from './core/queue/upload-queue';
export type { UploadQueue } from './core/queue/upload-queue';
export type { UploadQueueOptions, UploadCallbacks, UploadOutcome, UploadVariables, QueueAdapters, QueueLink } from './core/queue/queue-options';
export type { PolicyStore, PolicyKey } from './core/queue/policy-cache';
export type { Upload, UploadSnapshot, UploadStatus, UploadParts, FileProgress, FileWait } from './core/queue/upload-store';
export type { FileError, FileErrorCode, FileRejection, FileRules } from './core/queue/file-rules';
export { formatBytes } from './core/queue/format-bytes';

// Multipart upload: large files in parts, with pause, resume (also after a reload) and cancel
export { startMultipartUpload } from './core/multipart/multipart-upload';
export type { MultipartTask, MultipartState, MultipartStatus, MultipartPartsState, MultipartWait } from './core/multipart/multipart-state';
export type { ActivePart } from './core/multipart/part-ledger';
export type {
  MultipartOptions,
  MultipartUploadOptions,
  MultipartBackendOptions,
  MultipartRetryOptions,
  MultipartResumeOptions,
} from './core/multipart/multipart-options';
export { planParts } from './core/multipart/plan';
export type { MultipartPlan } from './core/multipart/plan';
export type { ResumeStorage } from './core/multipart/resume-store';
export type { ChecksumAlgorithm } from './core/multipart/backends/backend';
export type {
  PresignedMultipartContract,
  MultipartEndpoint,
  MultipartCallContext,
  CreateMultipartRequest,
  CreatedMultipartUpload,
  MultipartUploadRef,
  SignPartsRequest,
  SignedPartUrls,
  ListedParts,
  CompleteMultipartRequest,
  CompletedMultipartUpload,
} from './core/multipart/backends/presigned-contract';
export type { HeaderSigningOptions } from './core/multipart/backends/header-signing';
export type { HeaderSigner, HeaderSigningRequest } from './core/multipart/backends/header-signature';

// Where the policy comes from
export type { PolicyEndpoint, PolicyFunction, PolicyRequest, HeadersSource } from './core/policy/policy-source';
export type { SignPolicyOptions, PolicySigner, PolicyDocumentJson } from './core/policy/sign-policy';

// Checking a backend's answer (also useful in a backend's own tests)
export { parsePolicyAnswer } from './core/policy/policy-answer';
export type { SignedPost, PolicyAnswerShape, ParseOptions } from './core/policy/policy-answer';
export type { PolicyDocument, PolicyCondition, PolicyFailure } from './core/form/post-policy';
export type { CredentialScope } from './core/policy/credential';

// Errors and warnings
export { S3UploadError, isS3UploadError } from './core/errors/S3UploadError';
export { PolicyAnswerError } from './core/errors/PolicyAnswerError';
export type { PolicyAnswerErrorCode } from './core/errors/PolicyAnswerError';
export { PolicyViolationError } from './core/errors/PolicyViolationError';
export type { PolicyViolationErrorCode } from './core/errors/PolicyViolationError';
export { S3ResponseError } from './core/errors/S3ResponseError';
export type { S3ErrorDetails } from './core/transport/s3-refusal';
export { NetworkError } from './core/errors/NetworkError';
export type { NetworkErrorCode } from './core/errors/NetworkError';
export { UploadAbortedError } from './core/errors/UploadAbortedError';
export { MultipartError } from './core/errors/MultipartError';
export type { MultipartErrorCode } from './core/errors/MultipartError';
export { ClockSkewError } from './core/errors/ClockSkewError';
export type { ClockSkewSigner } from './core/errors/ClockSkewError';
export type { UploadWarning, UploadWarningCode } from './core/warnings';

// After the upload: tell the app's backend, or delete through it
export { notifyUploadFinished, deleteUploadedObject } from './core/after-upload';
export type {
  UploadFinishedInfo,
  UploadFinishedSource,
  UploadedObjectRef,
  DeleteFileSource,
  AfterUploadContext,
  AfterUploadOptions,
} from './core/after-upload';
export { AfterUploadError } from './core/errors/AfterUploadError';
export type { AfterUploadErrorCode } from './core/errors/AfterUploadError';
