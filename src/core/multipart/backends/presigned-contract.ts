// The presigned contract: the app's backend starts, signs, lists, completes and aborts the multipart
// upload with its own credentials, and the browser only PUTs the parts to the URLs it is given.
// As JSON endpoints under one base URL (POST ${url}/create, /sign-parts, /list-parts, /complete, /abort),
// or as functions of the app with the same request and answer shapes.
// Backends built on the AWS SDK v3 must create their S3Client with requestChecksumCalculation:
// 'WHEN_REQUIRED': by default its presigner adds a checksum of an empty body to every part URL.

import type { PolicyEndpoint } from '../../policy/policy-source';
import type { ChecksumAlgorithm } from './backend';

/** The base URL of the five JSON endpoints, with the headers and credentials mode to send them with. */
export type MultipartEndpoint = PolicyEndpoint;

export interface CreateMultipartRequest {
  readonly filename: string;
  readonly contentType: string;
  readonly size: number;
  /** The key the app asked for, when it did (the backend decides). */
  readonly key?: string;
  readonly metadata?: Readonly<Record<string, string>>;
  /** Declare at CreateMultipartUpload (ChecksumAlgorithm) when set: every part then carries this checksum. */
  readonly checksumAlgorithm?: ChecksumAlgorithm;
}

export interface CreatedMultipartUpload {
  readonly uploadId: string;
  readonly key: string;
  readonly bucket?: string;
}

export interface MultipartUploadRef {
  readonly uploadId: string;
  readonly key: string;
}

export interface SignPartsRequest extends MultipartUploadRef {
  readonly parts: ReadonlyArray<{
    readonly partNumber: number;
    readonly size: number;
    /** base64 of the part's checksum: sign it as the x-amz-checksum-<algorithm> header. */
    readonly checksum?: string;
  }>;
  readonly checksumAlgorithm?: ChecksumAlgorithm;
}

export interface SignedPartUrls {
  readonly parts: ReadonlyArray<{
    readonly partNumber: number;
    /** The presigned UploadPart URL. */
    readonly url: string;
    /** Headers the signature covers, which the browser must send as they are. */
    readonly headers?: Readonly<Record<string, string>>;
  }>;
}

export interface ListedParts {
  readonly parts: ReadonlyArray<{
    readonly partNumber: number;
    readonly etag: string;
    readonly size: number;
    /** The part's checksum as ListParts gives it (ChecksumCRC32, ChecksumSHA256), when the upload has one. */
    readonly checksum?: string;
  }>;
}

export interface CompleteMultipartRequest extends MultipartUploadRef {
  /** In ascending part number order, as S3 wants them. */
  readonly parts: ReadonlyArray<{ readonly partNumber: number; readonly etag: string; readonly checksum?: string }>;
  readonly checksumAlgorithm?: ChecksumAlgorithm;
}

export interface CompletedMultipartUpload {
  readonly location?: string;
  readonly bucket?: string;
  readonly key?: string;
  readonly etag?: string;
}

export interface MultipartCallContext {
  readonly signal: AbortSignal;
}

/**
 * The same five operations as functions of the app (which may call its backend however it likes).
 * listParts resolves null (or throws an error named NoSuchUpload, as the AWS SDK does) when S3 no
 * longer knows the upload; a JSON endpoint answers 404 for that.
 */
export interface PresignedMultipartContract {
  createMultipartUpload(request: CreateMultipartRequest, context: MultipartCallContext): Promise<CreatedMultipartUpload>;
  signParts(request: SignPartsRequest, context: MultipartCallContext): Promise<SignedPartUrls>;
  listParts(request: MultipartUploadRef, context: MultipartCallContext): Promise<ListedParts | null>;
  completeMultipartUpload(request: CompleteMultipartRequest, context: MultipartCallContext): Promise<CompletedMultipartUpload>;
  abortMultipartUpload(request: MultipartUploadRef, context: MultipartCallContext): Promise<unknown>;
}
