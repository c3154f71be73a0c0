// The multipart uploads in progress, in memory: what CreateMultipartUpload started and UploadPart
// filled, until CompleteMultipartUpload or AbortMultipartUpload ends it. S3 bills their parts' storage
// until then, which is why a test wants to see none left (S3Store.listMultipartUploads).
// https://docs.aws.amazon.com/AmazonS3/latest/userguide/mpuoverview.html

import { bytesToBase64 } from '../src/core/codec';
import type { ChecksumAlgorithm } from './checksums';
import { compareUtf8 } from './store';

export interface UploadedPart {
  readonly partNumber: number;
  readonly body: Uint8Array;
  readonly size: number;
  /** Quoted lower-case hex MD5 of the part, as UploadPart's ETag header. */
  readonly etag: string;
  readonly lastModified: Date;
  /** The base64 x-amz-checksum-* value the part was sent with, if any. */
  readonly checksum?: string;
}

export interface MultipartUpload {
  readonly bucket: string;
  readonly key: string;
  readonly uploadId: string;
  readonly initiated: Date;
  /** What the object will be stored with, from CreateMultipartUpload's headers. */
  readonly contentType: string;
  readonly metadata: Readonly<Record<string, string>>;
  readonly acl?: string;
  /** x-amz-checksum-algorithm given to CreateMultipartUpload: every part must then carry that checksum. */
  readonly checksumAlgorithm?: ChecksumAlgorithm;
  /** The parts uploaded so far, by part number; a part uploaded again replaces the earlier one. */
  readonly parts: readonly UploadedPart[];
}

export type NewUpload = Omit<MultipartUpload, 'uploadId' | 'initiated' | 'parts'>;

/** The emulator's own handle on the uploads; tests see them through S3Store.listMultipartUploads. */
export interface MultipartUploads {
  start(upload: NewUpload): MultipartUpload;
  /** The upload with this id, if it is for this bucket and key (S3 knows an id only under its key). */
  find(bucket: string, key: string, uploadId: string): MultipartUpload | undefined;
  putPart(uploadId: string, part: UploadedPart): void;
  remove(uploadId: string): void;
  /** A bucket's uploads in key order, then oldest first, as ListMultipartUploads lists them. */
  list(bucket: string): MultipartUpload[];
  clear(): void;
}

interface UploadRecord {
  readonly upload: Omit<MultipartUpload, 'parts'>;
  readonly parts: Map<number, UploadedPart>;
}

export function createMultipartUploads(now: () => Date): MultipartUploads {
  const records = new Map<string, UploadRecord>();
  const snapshot = (record: UploadRecord): MultipartUpload => ({
    ...record.upload,
    parts: [...record.parts.values()].sort((a, b) => a.partNumber - b.partNumber),
  });

  return {
    start(upload) {
      const uploadId = newUploadId();
      const record: UploadRecord = { upload: { ...upload, uploadId, initiated: now() }, parts: new Map() };
      records.set(uploadId, record);
      return snapshot(record);
    },
    find(bucket, key, uploadId) {
      const record = records.get(uploadId);
      if (!record || record.upload.bucket !== bucket || record.upload.key !== key) return undefined;
      return snapshot(record);
    },
    putPart(uploadId, part) {
      records.get(uploadId)?.parts.set(part.partNumber, part);
    },
    remove(uploadId) {
      records.delete(uploadId);
    },
    list(bucket) {
      return [...records.values()]
        .filter((record) => record.upload.bucket === bucket)
        .map(snapshot)
        .sort((a, b) => compareUtf8(a.key, b.key) || a.initiated.getTime() - b.initiated.getTime());
    },
    clear() {
      records.clear();
    },
  };
}

// S3's upload ids are long opaque URL-safe strings; 48 random bytes in base64url look the part and
// need no percent-encoding in a query string.
function newUploadId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(48));
  return bytesToBase64(bytes).replace(/\+/g, '-').replace(/\//g, '_');
}
