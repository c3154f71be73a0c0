// DELETE Object, as a backend deletes what a page uploaded (Fine Uploader's "delete file").
// https://docs.aws.amazon.com/AmazonS3/latest/API/API_DeleteObject.html
// It must be signed (verified before it gets here, sigv4-request.ts). In a bucket without versioning S3
// answers 204 No Content whether or not the key existed, so a delete sent twice succeeds twice.

import type { S3Failure } from './s3-failure';
import type { S3Store } from './store';

export function deleteObject(bucket: string, key: string, store: S3Store): Response | S3Failure {
  store.deleteObject(bucket, key);
  return new Response(null, { status: 204 });
}
