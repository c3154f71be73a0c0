// Large files on the demo page: which of the backend's two multipart contracts the uploaders use, from
// what size, and the key a multipart file asks for. Files under the threshold still go by one POST.
import type { MultipartOptions } from 's3-direct-upload';
import type { UseS3UploadOptions } from 's3-direct-upload/react';
import type { DemoConfig } from '../api';
import type { UploadPlan } from '../backend-shapes';

export const MULTIPART_CONTRACTS = ['presigned', 'sign-headers', 'off'] as const;
export type MultipartContract = (typeof MULTIPART_CONTRACTS)[number];

export const MULTIPART_CONTRACT_LABELS: Readonly<Record<MultipartContract, string>> = {
  presigned: 'presigned (AWS SDK)',
  'sign-headers': 'header signing (Fine Uploader v4)',
  off: 'off: every file by one POST',
};

export const MULTIPART_CONTRACT_NOTES: Readonly<Record<MultipartContract, string>> = {
  presigned: 'The backend creates, lists, completes and aborts the upload and presigns each part’s PUT (/api/multipart/*).',
  'sign-headers':
    'The kit builds every S3 request and sends its canonical request to /api/sign-headers, which checks what it signs and returns the signature. The page holds only the access key id.',
  off: 'Every file goes by one POST policy, so the size limit is the policy’s.',
};

export function isMultipartContract(value: string): value is MultipartContract {
  return MULTIPART_CONTRACTS.some((contract) => contract === value);
}

export const MIB = 1024 * 1024;

export interface MultipartSelection {
  readonly contract: MultipartContract;
  /** Files of at least this many bytes go by multipart upload. */
  readonly threshold: number;
}

/** What the two uploaders add to their options for large files, and the size limit that goes with it. */
export interface LargeFilePlan {
  readonly options: Pick<UseS3UploadOptions, 'multipart' | 'objectKey' | 'uploadFinished' | 'deleteFile'>;
  /** The largest file the uploaders take: the multipart limit when multipart is on, else the POST policy's. */
  readonly maxSize: number;
}

export function largeFilePlan(selection: MultipartSelection, plan: UploadPlan, config: DemoConfig): LargeFilePlan {
  // Both after-upload calls hold for every file, sent by POST or by parts.
  const afterUpload = { uploadFinished: '/api/upload-finished', deleteFile: '/api/delete' } as const;
  const multipart = multipartOptions(selection, config);
  if (!multipart) {
    return { options: { ...afterUpload, ...(plan.key !== undefined ? { objectKey: plan.key } : {}) }, maxSize: config.maxSize };
  }
  const { threshold } = selection;
  return {
    options: {
      ...afterUpload,
      multipart,
      // A multipart file asks for a key that is the same on every visit: the kit keeps an upload to
      // resume under the file and the key it asked for, so a fresh random folder after a reload would
      // start the upload over. (The presigned backend names the object itself; header signing uses this
      // key as it is, and the backend signs only keys under uploads/.) POST files keep the plan's key.
      objectKey: (file: File) => (file.size >= threshold ? largeFileKey(file) : (plan.key ?? 'uploads/${filename}')),
    },
    maxSize: Math.max(config.maxSize, config.multipartMaxSize),
  };
}

function multipartOptions({ contract, threshold }: MultipartSelection, config: DemoConfig): MultipartOptions | undefined {
  switch (contract) {
    case 'off':
      return undefined;
    case 'presigned':
      return { threshold, backend: { presigned: { url: '/api/multipart' } } };
    case 'sign-headers':
      return {
        threshold,
        backend: {
          signHeaders: {
            signatureEndpoint: '/api/sign-headers',
            bucket: config.bucket,
            region: config.region,
            accessKeyId: config.accessKeyId,
            endpoint: config.endpoint,
            ...(config.sessionToken !== undefined ? { sessionToken: config.sessionToken } : {}),
          },
        },
      };
  }
}

/** uploads/<size and date of the file>/${filename}: one folder per file, the same after a reload. */
function largeFileKey(file: File): string {
  return `uploads/${file.size.toString(36)}-${file.lastModified.toString(36)}/\${filename}`;
}
