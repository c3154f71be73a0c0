// An app backend for the presigned multipart contract, written as a real one is: the AWS SDK v3 runs the
// operations against S3 (the emulator) with the backend's credentials and presigns each part's URL.
// The same five operations serve as the functions contract and behind JSON endpoints (MSW handlers).
import {
  AbortMultipartUploadCommand,
  CreateMultipartUploadCommand,
  ListPartsCommand,
  S3Client,
  UploadPartCommand,
  type Part,
} from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { http, HttpResponse } from 'msw';
import type {
  ChecksumAlgorithm,
  CompleteMultipartRequest,
  CreateMultipartRequest,
  MultipartUploadRef,
  PresignedMultipartContract,
  SignPartsRequest,
} from '../../src/index';
import { CREDENTIALS, signRequest, uriEncode } from './aws-signer';
import { APP, BUCKET, BUCKET_URL, REGION } from './backends';

export const MULTIPART_API = `${APP}/api/multipart`;

export interface PresignedBackendOptions {
  /** Presign the first this many part URLs as if an hour ago, for a minute: expired when used. */
  readonly expiredUrls?: number;
  /** How long each part URL lasts, in seconds. Default 900. */
  readonly expiresIn?: number;
  /** Create the S3Client with the SDK's default checksum settings, as a backend that forgot WHEN_REQUIRED does. */
  readonly sdkDefaultChecksums?: boolean;
  /** Leave the part checksum out of the signed headers, as a backend that forgot unhoistableHeaders does. */
  readonly unsignedChecksums?: boolean;
}

export interface PresignedBackend {
  readonly contract: PresignedMultipartContract;
  /** POST ${MULTIPART_API}/create, /sign-parts, /list-parts, /complete, /abort. */
  readonly handlers: ReturnType<typeof http.post>[];
  /** Every operation the backend ran, in order ('sign-parts 1,2,3', 'abort', ...). */
  readonly calls: string[];
}

export function presignedBackend(options: PresignedBackendOptions = {}): PresignedBackend {
  // WHEN_REQUIRED: by default the SDK's presigner signs a checksum of an empty body into every URL.
  const client = new S3Client({
    region: REGION,
    credentials: CREDENTIALS,
    ...(options.sdkDefaultChecksums ? {} : { requestChecksumCalculation: 'WHEN_REQUIRED', responseChecksumValidation: 'WHEN_REQUIRED' }),
    expectContinueHeader: false,
    maxAttempts: 1,
  });
  const calls: string[] = [];
  let expiredLeft = options.expiredUrls ?? 0;

  const contract: PresignedMultipartContract = {
    async createMultipartUpload(request: CreateMultipartRequest) {
      calls.push('create');
      const key = request.key ?? `uploads/${request.filename}`;
      const created = await client.send(
        new CreateMultipartUploadCommand({
          Bucket: BUCKET,
          Key: key,
          ...(request.contentType ? { ContentType: request.contentType } : {}),
          ...(request.metadata ? { Metadata: { ...request.metadata } } : {}),
          ...(request.checksumAlgorithm ? { ChecksumAlgorithm: request.checksumAlgorithm } : {}),
        }),
      );
      return { uploadId: created.UploadId ?? '', key, bucket: BUCKET };
    },
    async signParts(request: SignPartsRequest) {
      calls.push(`sign-parts ${request.parts.map((part) => part.partNumber).join(',')}`);
      const algorithm = request.checksumAlgorithm;
      const parts = await Promise.all(
        request.parts.map(async ({ partNumber, checksum }) => {
          const withChecksum = algorithm !== undefined && checksum !== undefined && !options.unsignedChecksums;
          const header = algorithm === undefined ? '' : `x-amz-checksum-${algorithm.toLowerCase()}`;
          const expired = expiredLeft > 0;
          if (expired) expiredLeft -= 1;
          const url = await getSignedUrl(
            client,
            new UploadPartCommand({
              Bucket: BUCKET,
              Key: request.key,
              UploadId: request.uploadId,
              PartNumber: partNumber,
              ...(withChecksum ? checksumField(algorithm, checksum) : {}),
            }),
            {
              expiresIn: expired ? 60 : (options.expiresIn ?? 900),
              ...(expired ? { signingDate: new Date(Date.now() - 60 * 60 * 1000) } : {}),
              // Signed as a header the browser sends, rather than hoisted into the query.
              ...(withChecksum ? { unhoistableHeaders: new Set([header]) } : {}),
            },
          );
          return { partNumber, url, ...(withChecksum ? { headers: { [header]: checksum } } : {}) };
        }),
      );
      return { parts };
    },
    async listParts(request: MultipartUploadRef) {
      calls.push('list-parts');
      const parts: Part[] = [];
      let marker: string | undefined;
      try {
        do {
          const page = await client.send(
            new ListPartsCommand({ Bucket: BUCKET, Key: request.key, UploadId: request.uploadId, PartNumberMarker: marker }),
          );
          parts.push(...(page.Parts ?? []));
          marker = page.IsTruncated ? page.NextPartNumberMarker : undefined;
        } while (marker !== undefined);
      } catch (error) {
        if (error instanceof Error && error.name === 'NoSuchUpload') return null;
        throw error;
      }
      return {
        parts: parts.map((part) => ({
          partNumber: part.PartNumber ?? 0,
          etag: part.ETag ?? '',
          size: part.Size ?? 0,
          ...(part.ChecksumCRC32 ? { checksum: part.ChecksumCRC32 } : part.ChecksumSHA256 ? { checksum: part.ChecksumSHA256 } : {}),
        })),
      };
    },
    async completeMultipartUpload(request: CompleteMultipartRequest) {
      calls.push('complete');
      // By the spec-written signer, not the SDK: under happy-dom the request MSW hands the emulator is
      // a DOM Request, which drops Content-Length (a header browsers forbid), and the SDK signs it.
      const algorithm = request.checksumAlgorithm;
      const items = request.parts
        .map((part) => {
          const checksum = algorithm && part.checksum ? `<Checksum${algorithm}>${part.checksum}</Checksum${algorithm}>` : '';
          return `<Part><PartNumber>${part.partNumber}</PartNumber><ETag>${part.etag}</ETag>${checksum}</Part>`;
        })
        .join('');
      const body = `<CompleteMultipartUpload xmlns="http://s3.amazonaws.com/doc/2006-03-01/">${items}</CompleteMultipartUpload>`;
      const url = `${BUCKET_URL}${request.key.split('/').map(uriEncode).join('/')}?uploadId=${encodeURIComponent(request.uploadId)}`;
      const signed = signRequest({ method: 'POST', url, body, date: new Date(), region: REGION });
      const response = await fetch(url, { method: 'POST', headers: signed.headers, body });
      const text = await response.text();
      const entities: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };
      const element = (name: string) =>
        new RegExp(`<${name}>([^<]*)</${name}>`).exec(text)?.[1]?.replace(/&(amp|lt|gt|quot|apos);/g, (_, entity: string) => entities[entity] ?? '');
      if (!response.ok || text.includes('<Error>')) throw Object.assign(new Error(element('Message') ?? text), { name: element('Code') ?? 'Error' });
      return { location: element('Location') ?? '', bucket: element('Bucket') ?? BUCKET, key: element('Key') ?? request.key, etag: element('ETag') ?? '' };
    },
    async abortMultipartUpload(request: MultipartUploadRef) {
      calls.push('abort');
      await client.send(new AbortMultipartUploadCommand({ Bucket: BUCKET, Key: request.key, UploadId: request.uploadId }));
      return {};
    },
  };

  const handlers = [
    http.post(`${MULTIPART_API}/create`, async ({ request }) =>
      HttpResponse.json(await contract.createMultipartUpload(await json<CreateMultipartRequest>(request), context())),
    ),
    http.post(`${MULTIPART_API}/sign-parts`, async ({ request }) =>
      HttpResponse.json(await contract.signParts(await json<SignPartsRequest>(request), context())),
    ),
    http.post(`${MULTIPART_API}/list-parts`, async ({ request }) => {
      const listed = await contract.listParts(await json<MultipartUploadRef>(request), context());
      return listed === null ? HttpResponse.json({ error: 'NoSuchUpload' }, { status: 404 }) : HttpResponse.json(listed);
    }),
    http.post(`${MULTIPART_API}/complete`, async ({ request }) =>
      HttpResponse.json(await contract.completeMultipartUpload(await json<CompleteMultipartRequest>(request), context())),
    ),
    http.post(`${MULTIPART_API}/abort`, async ({ request }) => {
      await contract.abortMultipartUpload(await json<MultipartUploadRef>(request), context());
      return HttpResponse.json({});
    }),
  ];
  return { contract, handlers, calls };
}

function checksumField(algorithm: ChecksumAlgorithm, value: string): { ChecksumCRC32: string } | { ChecksumSHA256: string } {
  return algorithm === 'CRC32' ? { ChecksumCRC32: value } : { ChecksumSHA256: value };
}

function context(): { signal: AbortSignal } {
  return { signal: new AbortController().signal };
}

/** The request body as the backend's framework would hand it over: trusted JSON of the contract's shape. */
async function json<T>(request: Request): Promise<T> {
  const body: T = await request.json();
  return body;
}
