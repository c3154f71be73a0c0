// s3-direct-upload: the framework-free core. Browser POST uploads to S3 with SigV4 policies.

// Uploading
export { uploadFile, prepareUpload, sendUpload, requestSignedPost, preparePost } from './core/upload';
export type {
  UploadOptions,
  PrepareOptions,
  SendOptions,
  PreparedUpload,
  PolicySource,
} from './core/upload';
export type { UploadProgress, UploadResult } from './core/xhr-transport';
export type { PostForm } from './core/post-form';
export { reusePost } from './core/policy-reuse';

// Where the policy comes from
export type { PolicyEndpoint, PolicyFunction, PolicyRequest, HeadersSource } from './core/policy-source';
export type { SignPolicyOptions, PolicySigner, PolicyDocumentJson } from './core/sign-policy';

// Checking a backend's answer (also useful in a backend's own tests)
export { parsePolicyAnswer } from './core/policy-answer';
export type { SignedPost, PolicyAnswerShape, ParseOptions } from './core/policy-answer';
export type { PolicyDocument, PolicyCondition, PolicyFailure } from './core/policy-document';
export type { CredentialScope } from './core/credential';

// Errors and warnings
export { S3UploadError, isS3UploadError } from './core/errors/S3UploadError';
export { PolicyAnswerError } from './core/errors/PolicyAnswerError';
export type { PolicyAnswerErrorCode } from './core/errors/PolicyAnswerError';
export { PolicyViolationError } from './core/errors/PolicyViolationError';
export type { PolicyViolationErrorCode } from './core/errors/PolicyViolationError';
export { S3ResponseError } from './core/errors/S3ResponseError';
export type { S3ErrorDetails } from './core/s3-error';
export { NetworkError } from './core/errors/NetworkError';
export type { NetworkErrorCode } from './core/errors/NetworkError';
export { UploadAbortedError } from './core/errors/UploadAbortedError';
export type { UploadWarning, UploadWarningCode } from './core/warnings';
