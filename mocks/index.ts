// s3-direct-upload/msw: an S3 emulator for tests, with MSW 2 handlers.
//
//   const s3 = createS3Emulator({ endpoint: 'https://s3.us-east-1.amazonaws.com', buckets: ['uploads'],
//     credentials: [{ accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' }] });
//   const server = setupServer(...s3.handlers);
//
// It answers POST Object (browser form uploads), the multipart upload operations (CreateMultipartUpload,
// UploadPart, ListParts, CompleteMultipartUpload, AbortMultipartUpload), GET, HEAD and DELETE Object,
// and CORS preflights. To see what a browser sees when the bucket's CORS rule hides ETag (so a multipart upload
// cannot read its parts' ETags), give it `cors: { exposeHeaders: [] }`.

// Emulator
export { createS3Emulator, createS3Handlers } from './s3-emulator';
export type { EmulatedRequest, S3Emulator, S3EmulatorOptions } from './s3-emulator';

// Options
export type { CorsOptions } from './cors';
export type { EmulatedCredential } from './access-keys';

// Store
export type { PutObjectOptions, S3Store, StoredObject } from './store';
export type { MultipartUpload, UploadedPart } from './multipart-store';
export type { ChecksumAlgorithm } from './checksums';
