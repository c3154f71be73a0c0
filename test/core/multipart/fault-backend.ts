// The app's backend for the presigned multipart contract, against the fault server: the AWS SDK v3 runs
// the operations (through the server, so that they are counted with the rest) and presigns each part's
// URL for it. Functions, not endpoints: the kit calls them in-process.
import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  ListPartsCommand,
  S3Client,
  UploadPartCommand,
} from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import type { PresignedMultipartContract } from '../../../src/index';
import { CREDENTIALS } from '../../support/aws-signer';
import { FAULT_BUCKET, FAULT_REGION, type FaultServer } from '../../support/fault-server';

export function multipartBackend(server: FaultServer): { contract: PresignedMultipartContract; calls: string[] } {
  const client = new S3Client({
    region: FAULT_REGION,
    endpoint: server.url,
    forcePathStyle: true,
    credentials: CREDENTIALS,
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
    maxAttempts: 1,
  });
  const calls: string[] = [];
  const contract: PresignedMultipartContract = {
    async createMultipartUpload(request) {
      calls.push('create');
      const key = `uploads/${request.filename}`;
      const created = await client.send(
        new CreateMultipartUploadCommand({ Bucket: FAULT_BUCKET, Key: key, ...(request.contentType ? { ContentType: request.contentType } : {}) }),
      );
      return { uploadId: created.UploadId ?? '', key, bucket: FAULT_BUCKET };
    },
    async signParts(request) {
      calls.push(`sign-parts ${request.parts.map((part) => part.partNumber).join(',')}`);
      const parts = await Promise.all(
        request.parts.map(async ({ partNumber }) => ({
          partNumber,
          url: await getSignedUrl(
            client,
            new UploadPartCommand({ Bucket: FAULT_BUCKET, Key: request.key, UploadId: request.uploadId, PartNumber: partNumber }),
            { expiresIn: 900 },
          ),
        })),
      );
      return { parts };
    },
    async listParts(request) {
      calls.push('list-parts');
      try {
        const page = await client.send(new ListPartsCommand({ Bucket: FAULT_BUCKET, Key: request.key, UploadId: request.uploadId }));
        return { parts: (page.Parts ?? []).map((part) => ({ partNumber: part.PartNumber ?? 0, etag: part.ETag ?? '', size: part.Size ?? 0 })) };
      } catch (error) {
        if (error instanceof Error && error.name === 'NoSuchUpload') return null;
        throw error;
      }
    },
    async completeMultipartUpload(request) {
      calls.push('complete');
      const done = await client.send(
        new CompleteMultipartUploadCommand({
          Bucket: FAULT_BUCKET,
          Key: request.key,
          UploadId: request.uploadId,
          MultipartUpload: { Parts: request.parts.map(({ partNumber, etag }) => ({ PartNumber: partNumber, ETag: etag })) },
        }),
      );
      return { location: done.Location ?? '', bucket: FAULT_BUCKET, key: done.Key ?? request.key, etag: done.ETag ?? '' };
    },
    async abortMultipartUpload(request) {
      calls.push('abort');
      await client.send(new AbortMultipartUploadCommand({ Bucket: FAULT_BUCKET, Key: request.key, UploadId: request.uploadId }));
      return {};
    },
  };
  return { contract, calls };
}
