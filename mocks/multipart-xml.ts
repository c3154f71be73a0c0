// The XML documents S3 answers the multipart operations with, in the element order of the API
// reference's examples. Unlike the error document, these carry S3's namespace.
// https://docs.aws.amazon.com/AmazonS3/latest/API/API_CreateMultipartUpload.html
// https://docs.aws.amazon.com/AmazonS3/latest/API/API_ListParts.html
// https://docs.aws.amazon.com/AmazonS3/latest/API/API_CompleteMultipartUpload.html

import { checksumElement, type ChecksumAlgorithm } from './checksums';
import type { MultipartUpload } from './multipart-store';
import { element, XML_DECLARATION } from './s3-xml';

const NAMESPACE = 'http://s3.amazonaws.com/doc/2006-03-01/';

function document(root: string, content: string): string {
  return `${XML_DECLARATION}<${root} xmlns="${NAMESPACE}">${content}</${root}>`;
}

export function initiateResultDocument(upload: Pick<MultipartUpload, 'bucket' | 'key' | 'uploadId'>): string {
  return document(
    'InitiateMultipartUploadResult',
    element('Bucket', upload.bucket) + element('Key', upload.key) + element('UploadId', upload.uploadId),
  );
}

export interface PartsPage {
  readonly upload: MultipartUpload;
  readonly partNumberMarker: number;
  readonly maxParts: number;
}

/**
 * One page of ListParts: the parts after partNumberMarker, at most maxParts of them. "When a list is
 * truncated, [NextPartNumberMarker] specifies the last part in the list, as well as the value to use
 * for the part-number-marker request parameter in a subsequent request." The emulator has no
 * accounts, so it sends no Initiator or Owner.
 */
export function listPartsDocument({ upload, partNumberMarker, maxParts }: PartsPage): string {
  const after = upload.parts.filter((part) => part.partNumber > partNumberMarker);
  const listed = after.slice(0, maxParts);
  const next = listed.at(-1)?.partNumber ?? 0;
  const algorithm = upload.checksumAlgorithm;
  const parts = listed
    .map(
      (part) =>
        '<Part>' +
        element('PartNumber', String(part.partNumber)) +
        element('LastModified', part.lastModified.toISOString()) +
        element('ETag', part.etag) +
        element('Size', String(part.size)) +
        (algorithm && part.checksum !== undefined ? element(checksumElement(algorithm), part.checksum) : '') +
        '</Part>',
    )
    .join('');
  return document(
    'ListPartsResult',
    element('Bucket', upload.bucket) +
      element('Key', upload.key) +
      element('UploadId', upload.uploadId) +
      element('StorageClass', 'STANDARD') +
      element('PartNumberMarker', String(partNumberMarker)) +
      element('NextPartNumberMarker', String(next)) +
      element('MaxParts', String(maxParts)) +
      element('IsTruncated', String(after.length > listed.length)) +
      parts +
      (algorithm ? element('ChecksumAlgorithm', algorithm) + element('ChecksumType', 'COMPOSITE') : ''),
  );
}

export interface CompleteResultFields {
  readonly location: string;
  readonly bucket: string;
  readonly key: string;
  /** Quoted, as in the ETag header: "<hex>-<parts>". */
  readonly etag: string;
  readonly checksum?: { readonly algorithm: ChecksumAlgorithm; readonly value: string };
}

export function completeResultDocument(fields: CompleteResultFields): string {
  const checksum = fields.checksum
    ? element(checksumElement(fields.checksum.algorithm), fields.checksum.value) + element('ChecksumType', 'COMPOSITE')
    : '';
  return document(
    'CompleteMultipartUploadResult',
    element('Location', fields.location) +
      element('Bucket', fields.bucket) +
      element('Key', fields.key) +
      element('ETag', fields.etag) +
      checksum,
  );
}
