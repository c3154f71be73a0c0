// The multipart side of the bucket, read and tidied with the AWS SDK behind the browser's back: which
// multipart uploads radosgw still holds (a canceled one must leave none), which parts it holds of one
// (what a resumed upload must not send again), and deleting what a test stored. radosgw's memstore OSD is
// small (512 MiB), and a deleted object's data is only freed by its garbage collector, which waits two
// hours by default: collectGarbage runs it at once, so that a suite can upload several hundred MB twice.

import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import {
  AbortMultipartUploadCommand,
  DeleteObjectCommand,
  ListMultipartUploadsCommand,
  ListPartsCommand,
  S3Client,
  type Part,
} from '@aws-sdk/client-s3';
import type { Radosgw } from './radosgw';

export interface PendingUpload {
  readonly key: string;
  readonly uploadId: string;
}

export interface MultipartBucket {
  /** Multipart uploads begun and neither completed nor aborted, under `prefix`. */
  pendingUploads(prefix?: string): Promise<PendingUpload[]>;
  /** The part numbers radosgw holds of an upload, ascending. */
  partNumbers(upload: PendingUpload): Promise<number[]>;
  deleteObject(key: string): Promise<void>;
  /** Aborts every pending upload (a test that failed half way must not leave parts to the next). */
  abortPending(): Promise<void>;
  /** Frees the data of deleted objects and aborted uploads now (`radosgw-admin gc process --include-all`). */
  collectGarbage(): Promise<void>;
  destroy(): void;
}

const run = promisify(execFile);

export function createMultipartBucket(rgw: Radosgw): MultipartBucket {
  const client = new S3Client({
    endpoint: rgw.endpoint,
    region: rgw.region,
    credentials: { accessKeyId: rgw.accessKeyId, secretAccessKey: rgw.secretAccessKey },
    forcePathStyle: true,
    requestChecksumCalculation: 'WHEN_REQUIRED',
  });
  const Bucket = rgw.bucket;

  async function pendingUploads(prefix = ''): Promise<PendingUpload[]> {
    const found: PendingUpload[] = [];
    let keyMarker: string | undefined;
    let uploadIdMarker: string | undefined;
    do {
      const page = await client.send(
        new ListMultipartUploadsCommand({ Bucket, Prefix: prefix, KeyMarker: keyMarker, UploadIdMarker: uploadIdMarker }),
      );
      for (const upload of page.Uploads ?? []) {
        if (upload.Key !== undefined && upload.UploadId !== undefined) found.push({ key: upload.Key, uploadId: upload.UploadId });
      }
      keyMarker = page.IsTruncated ? page.NextKeyMarker : undefined;
      uploadIdMarker = page.IsTruncated ? page.NextUploadIdMarker : undefined;
    } while (keyMarker !== undefined);
    return found;
  }

  return {
    pendingUploads,
    async partNumbers({ key, uploadId }) {
      const parts: Part[] = [];
      let marker: string | undefined;
      do {
        const page = await client.send(new ListPartsCommand({ Bucket, Key: key, UploadId: uploadId, PartNumberMarker: marker }));
        parts.push(...(page.Parts ?? []));
        marker = page.IsTruncated ? page.NextPartNumberMarker : undefined;
      } while (marker !== undefined);
      return parts.map((part) => part.PartNumber ?? 0).sort((a, b) => a - b);
    },
    async deleteObject(key) {
      await client.send(new DeleteObjectCommand({ Bucket, Key: key }));
    },
    async abortPending() {
      for (const { key, uploadId } of await pendingUploads()) {
        await client.send(new AbortMultipartUploadCommand({ Bucket, Key: key, UploadId: uploadId }));
      }
    },
    async collectGarbage() {
      await run('radosgw-admin', ['gc', 'process', '--include-all'], {
        env: { ...process.env, CEPH_CONF: join(rgw.dataDir, 'ceph.conf') },
        timeout: 60_000,
      });
    },
    destroy: () => client.destroy(),
  };
}
