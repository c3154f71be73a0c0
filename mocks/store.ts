// The emulator's buckets and objects, in memory. Tests read it to check the bytes and metadata that
// an upload stored, and seed it with putObject; and the multipart uploads still in progress, to check
// that a cancelled upload left nothing behind.

import { md5 } from '@noble/hashes/legacy.js';
import { bytesToHex, utf8Encode } from '../src/core/codec';
import type { MultipartUpload, MultipartUploads } from './multipart-store';

export interface StoredObject {
  readonly bucket: string;
  readonly key: string;
  readonly body: Uint8Array;
  readonly size: number;
  /** binary/octet-stream when the upload named none, as S3 does. */
  readonly contentType: string;
  /** User metadata (x-amz-meta-*): names lower-cased and without the prefix, like the AWS SDK's `Metadata`. */
  readonly metadata: Readonly<Record<string, string>>;
  /**
   * Exactly as S3 sends it in the ETag header, quotes included: the lower-case hex MD5 of the body, or
   * for a multipart upload the MD5 of the parts' binary MD5s followed by -<number of parts>.
   */
  readonly etag: string;
  readonly lastModified: Date;
  /** The canned ACL the upload asked for (x-amz-acl / the acl field), if any. */
  readonly acl?: string;
}

export interface PutObjectOptions {
  readonly contentType?: string;
  /** Names with or without the x-amz-meta- prefix; stored lower-cased without it. */
  readonly metadata?: Readonly<Record<string, string>>;
  readonly acl?: string;
  /** The ETag, quoted; default the quoted MD5 of the body. For an object that a multipart upload made. */
  readonly etag?: string;
}

export interface S3Store {
  hasBucket(bucket: string): boolean;
  getObject(bucket: string, key: string): StoredObject | undefined;
  /** The bucket's objects in key order (UTF-8 byte order, as S3 lists them); empty for an unknown bucket. */
  listObjects(bucket: string): StoredObject[];
  /** Stores (or replaces) an object. Throws for a bucket the emulator was not given. */
  putObject(bucket: string, key: string, body: Uint8Array | string, options?: PutObjectOptions): StoredObject;
  /** Removes an object; false when the bucket had no such key. */
  deleteObject(bucket: string, key: string): boolean;
  /**
   * The bucket's multipart uploads that were started and neither completed nor aborted, in key order:
   * after a cancelled upload there should be none (S3 keeps, and bills, their parts until then).
   */
  listMultipartUploads(bucket: string): MultipartUpload[];
  /** Removes every object and every multipart upload in progress; the buckets stay. */
  clear(): void;
}

const DEFAULT_CONTENT_TYPE = 'binary/octet-stream';
const META_PREFIX = 'x-amz-meta-';

export function createS3Store(buckets: readonly string[], now: () => Date, uploads: MultipartUploads): S3Store {
  const contents = new Map<string, Map<string, StoredObject>>(buckets.map((bucket) => [bucket, new Map()]));

  return {
    hasBucket: (bucket) => contents.has(bucket),
    getObject: (bucket, key) => contents.get(bucket)?.get(key),
    listObjects: (bucket) => [...(contents.get(bucket)?.values() ?? [])].sort((a, b) => compareUtf8(a.key, b.key)),
    listMultipartUploads: (bucket) => uploads.list(bucket),
    putObject(bucket, key, body, options = {}) {
      const objects = contents.get(bucket);
      if (!objects) {
        throw new Error(
          `The S3 emulator has no bucket "${bucket}"; list it in createS3Emulator({ buckets: [...] }).`,
        );
      }
      const bytes = typeof body === 'string' ? utf8Encode(body) : body.slice();
      const metadata: Record<string, string> = {};
      for (const [name, value] of Object.entries(options.metadata ?? {})) {
        const lower = name.toLowerCase();
        metadata[lower.startsWith(META_PREFIX) ? lower.slice(META_PREFIX.length) : lower] = value;
      }
      const object: StoredObject = {
        bucket,
        key,
        body: bytes,
        size: bytes.length,
        contentType: options.contentType ?? DEFAULT_CONTENT_TYPE,
        metadata,
        etag: options.etag ?? `"${bytesToHex(md5(bytes))}"`,
        lastModified: now(),
        ...(options.acl === undefined ? {} : { acl: options.acl }),
      };
      objects.set(key, object);
      return object;
    },
    deleteObject: (bucket, key) => contents.get(bucket)?.delete(key) ?? false,
    clear() {
      for (const objects of contents.values()) objects.clear();
      uploads.clear();
    },
  };
}

/** UTF-8 byte order, the order S3 lists keys in. */
export function compareUtf8(a: string, b: string): number {
  const x = utf8Encode(a);
  const y = utf8Encode(b);
  for (let i = 0; i < Math.min(x.length, y.length); i++) {
    const difference = (x[i] ?? 0) - (y[i] ?? 0);
    if (difference !== 0) return difference;
  }
  return x.length - y.length;
}
