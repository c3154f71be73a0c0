// What a backend does once the browser has put an object in S3 without it (Fine Uploader's "upload
// success" and "delete file" calls), with the AWS SDK v3:
//
//   POST /api/upload-finished  { key, bucket?, etag? } -> { key, bucket, etag, size, contentType }
//        HeadObject: the object must exist (404) and be the one the page uploaded (409 on another ETag).
//        etag may be left out when the page has none (radosgw's CompleteMultipartUpload answers none).
//        An object over the demo's size limits is deleted and refused (413): header signing lets the
//        page send parts the backend never sees, so this is where their size is checked.
//   POST /api/delete           { key, bucket? } -> { key, deleted: true }
//
// Both refuse a bucket other than the demo's, or a key outside KEY_PREFIX, with 403.
// https://docs.aws.amazon.com/AmazonS3/latest/API/API_HeadObject.html
// https://docs.aws.amazon.com/AmazonS3/latest/API/API_DeleteObject.html

import { DeleteObjectCommand, HeadObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { multipartLimits, type S3Target } from './config';
import { ApiError, isRecord } from './json-api';
import { allowedKey } from './object-key';
import { fromS3Error, s3ErrorCode } from './s3-client';

export interface FinishedUpload {
  readonly key: string;
  readonly bucket: string;
  /** Without quotes. */
  readonly etag: string;
  readonly size: number;
  readonly contentType: string;
}

export interface AfterUpload {
  uploadFinished(body: unknown): Promise<FinishedUpload>;
  deleteObject(body: unknown): Promise<{ key: string; deleted: true }>;
}

export function createAfterUpload(target: S3Target, client: S3Client): AfterUpload {
  const Bucket = target.bucket;
  // The largest object either way of uploading may make: a POST policy's or a multipart upload's limit.
  const largest = Math.max(target.maxSize, multipartLimits(target).maxSize);

  return {
    async uploadFinished(body) {
      const { key, etag } = parseObjectRef(body, 'check the upload of', { etag: true });
      let head;
      try {
        head = await client.send(new HeadObjectCommand({ Bucket, Key: key }));
      } catch (error) {
        const code = s3ErrorCode(error);
        if (code === 'NotFound' || code === 'NoSuchKey') {
          throw new ApiError(404, `The bucket ${Bucket} has no object ${key}: the upload did not finish, or the object was deleted since.`);
        }
        throw fromS3Error('HeadObject', error);
      }
      const stored = unquote(head.ETag ?? '');
      const reported = etag === undefined ? undefined : unquote(etag);
      // Hex digests: S3 writes them in lower case, a page may not.
      if (reported !== undefined && stored.toLowerCase() !== reported.toLowerCase()) {
        throw new ApiError(409, `The object ${key} has the ETag ${stored}, not ${reported}: another upload replaced it, or the page reported another upload's ETag.`);
      }
      const size = head.ContentLength ?? 0;
      if (size > largest) {
        await client.send(new DeleteObjectCommand({ Bucket, Key: key }));
        throw new ApiError(
          413,
          `The object ${key} holds ${size} bytes, more than the ${largest} bytes the demo accepts (DEMO_MAX_SIZE, DEMO_MULTIPART_MAX_SIZE), so it was deleted.`,
        );
      }
      return { key, bucket: Bucket, etag: stored, size, contentType: head.ContentType ?? 'binary/octet-stream' };
    },

    async deleteObject(body) {
      const { key } = parseObjectRef(body, 'delete', { etag: false });
      try {
        // S3 answers 204 whether or not the key existed.
        await client.send(new DeleteObjectCommand({ Bucket, Key: key }));
      } catch (error) {
        throw fromS3Error('DeleteObject', error);
      }
      return { key, deleted: true };
    },
  };

  function parseObjectRef(json: unknown, action: string, { etag }: { readonly etag: boolean }): { key: string; etag: string | undefined } {
    const shape = etag ? '{ key, bucket, etag }' : '{ key, bucket }';
    if (!isRecord(json)) throw new ApiError(400, `Cannot ${action} an object: the body must be ${shape}.`);
    const { key, bucket } = json;
    if (typeof key !== 'string' || key === '') throw new ApiError(400, `Cannot ${action} an object: "key" must be a non-empty string (${shape}).`);
    if (bucket !== undefined && bucket !== Bucket) {
      throw new ApiError(403, `Refused to ${action} ${key} in the bucket ${JSON.stringify(bucket)}: the demo backend only touches its own bucket, ${Bucket}.`);
    }
    const tag = json['etag'];
    if (etag && tag !== undefined && tag !== null && (typeof tag !== 'string' || unquote(tag) === '')) {
      throw new ApiError(400, `Cannot ${action} ${key}: "etag" must be the ETag the upload answered, or left out (${shape}).`);
    }
    return { key: allowedKey(key, `${action} an object`), etag: typeof tag === 'string' ? tag : undefined };
  }
}

/** An ETag without its quotes (S3 sends them; a page that read it from XML or JSON may not have them). */
function unquote(etag: string): string {
  return etag.trim().replace(/^W\//, '').replace(/^"(.*)"$/, '$1');
}
