// What the multipart engine needs from a backend, whichever contract the app chose: presigned URLs
// from the app's backend (presigned-backend.ts), or requests the kit builds and the backend only signs
// (header-signing.ts). Everything here is already parsed: the adapters are the edge.

import type { S3ResponseError } from '../../errors/S3ResponseError';
import type { UploadWarning } from '../../warnings';

/** S3's names for the checksums a part may carry (x-amz-checksum-crc32, x-amz-checksum-sha256). */
export type ChecksumAlgorithm = 'CRC32' | 'SHA256';

export interface CallContext {
  readonly signal: AbortSignal;
}

export interface UploadRef {
  readonly uploadId: string;
  readonly key: string;
}

export interface CreatedUpload extends UploadRef {
  readonly bucket: string | undefined;
}

export interface CreateInput {
  readonly filename: string;
  readonly contentType: string;
  readonly size: number;
  /** The key the app asked for, `${filename}` already replaced. */
  readonly key?: string;
  readonly metadata?: Readonly<Record<string, string>>;
  readonly checksumAlgorithm?: ChecksumAlgorithm;
}

export interface PartToSign {
  readonly partNumber: number;
  readonly size: number;
  /** base64 of the part's checksum, when the upload declared an algorithm. */
  readonly checksum?: string;
}

export interface SignedPart {
  readonly partNumber: number;
  readonly url: string;
  /** Headers the signature covers, to send as they are. */
  readonly headers: ReadonlyArray<readonly [name: string, value: string]>;
}

export interface FinishedPart {
  readonly partNumber: number;
  /** As S3 sent it, quotes included. */
  readonly etag: string;
  readonly checksum?: string;
}

export interface ListedPart extends FinishedPart {
  readonly size: number;
}

export interface CompletedUpload {
  readonly bucket: string | undefined;
  readonly key: string | undefined;
  readonly location: string | undefined;
  /** The object's ETag, quotes included or not. */
  readonly etag: string | undefined;
  readonly status: number;
}

export interface MultipartBackend {
  /** Tells this backend from another app's in the resume store. */
  readonly identity: string;
  /** The methods the page sends to S3 itself, which the bucket's CORS rule must allow. */
  readonly corsMethods: readonly string[];
  /** Parts worth signing ahead of need in one call (URLs that stay good for minutes); 0 for none. */
  readonly signAhead: number;
  create(input: CreateInput, context: CallContext): Promise<CreatedUpload>;
  signParts(upload: UploadRef, parts: readonly PartToSign[], context: CallContext): Promise<SignedPart[]>;
  /** The parts S3 holds, or undefined when S3 no longer knows the upload (NoSuchUpload). */
  listParts(upload: UploadRef, context: CallContext): Promise<ListedPart[] | undefined>;
  complete(upload: UploadRef, parts: readonly FinishedPart[], context: CallContext): Promise<CompletedUpload>;
  /** Resolves once S3 no longer holds the upload (also when it never did, or no longer does). */
  abort(upload: UploadRef, context: CallContext): Promise<void>;
  /** A signature S3 found expired: learn from it before signing again (a clock to correct). */
  noteExpired?(error: S3ResponseError): void;
}

/** Where an adapter reports what it fixed without failing (an uppercase signature, say). */
export type WarningSink = (warning: UploadWarning) => void;
