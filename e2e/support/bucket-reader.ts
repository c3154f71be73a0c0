// What the real S3 holds, read with the AWS SDK behind the browser's back: the only evidence that an
// upload stored the right bytes, or that a refused or canceled one stored nothing.

import { createHash } from 'node:crypto';
import { GetObjectCommand, ListObjectsV2Command, S3Client, type ListObjectsV2CommandOutput } from '@aws-sdk/client-s3';
import type { S3Target } from './post-form';

export interface StoredObject {
  readonly key: string;
  readonly size: number;
}

export interface BucketReader {
  /** Every object whose key starts with `prefix`. */
  list(prefix?: string): Promise<StoredObject[]>;
  /** Objects named `name` in any folder: the demo backend puts each upload under uploads/<random>/<name>. */
  findByName(name: string): Promise<StoredObject[]>;
  /** The object's SHA-256 (lowercase hex), read in full. */
  sha256(key: string): Promise<string>;
  destroy(): void;
}

export function createBucketReader(target: S3Target): BucketReader {
  const client = new S3Client({
    endpoint: target.endpoint,
    region: target.region,
    credentials: { accessKeyId: target.accessKeyId, secretAccessKey: target.secretAccessKey },
    // radosgw on an IP address has no virtual-hosted buckets.
    forcePathStyle: true,
    // The SDK's default CRC32 checksums are newer than radosgw 16 knows.
    requestChecksumCalculation: 'WHEN_REQUIRED',
  });

  async function list(prefix = ''): Promise<StoredObject[]> {
    const objects: StoredObject[] = [];
    let token: string | undefined;
    do {
      const page: ListObjectsV2CommandOutput = await client.send(
        new ListObjectsV2Command({ Bucket: target.bucket, Prefix: prefix, ...(token !== undefined ? { ContinuationToken: token } : {}) }),
      );
      for (const item of page.Contents ?? []) {
        if (item.Key !== undefined) objects.push({ key: item.Key, size: item.Size ?? 0 });
      }
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token !== undefined);
    return objects;
  }

  return {
    list,
    async findByName(name) {
      return (await list()).filter((object) => object.key === name || object.key.endsWith(`/${name}`));
    },
    async sha256(key) {
      const object = await client.send(new GetObjectCommand({ Bucket: target.bucket, Key: key }));
      if (!object.Body) throw new Error(`GetObject ${key} answered without a body`);
      const hash = createHash('sha256');
      // The SDK's Node body is a Readable: hash it as it streams rather than hold 100 MB at once.
      for await (const chunk of object.Body.transformToWebStream()) hash.update(chunk);
      return hash.digest('hex');
    },
    destroy: () => client.destroy(),
  };
}
