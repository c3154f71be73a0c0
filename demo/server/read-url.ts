// A presigned GET URL for an uploaded object, so the page can show each upload back from a private
// bucket. The embedded emulator verifies the URL's signature and expiry as S3 does (it also serves an
// unsigned GET, which S3 would refuse for a private bucket).
// https://docs.aws.amazon.com/AmazonS3/latest/userguide/ShareObjectPreSignedURL.html

import { GetObjectCommand } from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { KEY_PREFIX, type S3Target } from './config';
import { ApiError, isRecord } from './json-api';
import { createS3Client } from './s3-client';

export const READ_URL_LIFETIME_SECONDS = 300;

export interface ReadUrl {
  readonly url: string;
  readonly expiresIn: number;
}

export function createReadUrlSigner(target: S3Target): { sign(body: unknown): Promise<ReadUrl>; close(): void } {
  // Without WHEN_REQUIRED checksums (s3-client.ts) the URL would sign x-amz-checksum-mode, which an <img> cannot send.
  const client = createS3Client(target);
  return {
    async sign(body) {
      const key = isRecord(body) ? body['key'] : undefined;
      if (typeof key !== 'string' || key === '') throw new ApiError(400, 'POST /api/read-url needs { "key": "<object key>" }.');
      // Only what the demo's policies let the page write: the backend does not hand out reads elsewhere.
      if (!key.startsWith(KEY_PREFIX)) throw new ApiError(403, `Refused: the key ${JSON.stringify(key)} is not under "${KEY_PREFIX}".`);
      const url = await getSignedUrl(client, new GetObjectCommand({ Bucket: target.bucket, Key: key }), {
        expiresIn: READ_URL_LIFETIME_SECONDS,
      });
      return { url, expiresIn: READ_URL_LIFETIME_SECONDS };
    },
    close() {
      client.destroy();
    },
  };
}
