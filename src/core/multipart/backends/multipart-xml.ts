// The XML of the multipart operations the kit sends itself (header-signing mode): the body of
// CompleteMultipartUpload, and S3's answers to CreateMultipartUpload, ListParts and Complete.
// https://docs.aws.amazon.com/AmazonS3/latest/API/API_CreateMultipartUpload.html
// https://docs.aws.amazon.com/AmazonS3/latest/API/API_ListParts.html
// https://docs.aws.amazon.com/AmazonS3/latest/API/API_CompleteMultipartUpload.html
// All are flat but ListParts, whose <Part> elements are each read as a flat document of their own.

import { parseFlatXml } from '../../transport/s3-xml';
import type { ChecksumAlgorithm, FinishedPart, ListedPart } from './backend';
import { checksumElement } from '../wire/checksums';

const NAMESPACE = 'http://s3.amazonaws.com/doc/2006-03-01/';

/** The CompleteMultipartUpload body: the parts in ascending order, with their checksums when declared. */
export function completeRequestXml(parts: readonly FinishedPart[], algorithm: ChecksumAlgorithm | undefined): string {
  const items = [...parts]
    .sort((a, b) => a.partNumber - b.partNumber)
    .map((part) => {
      const checksum = algorithm && part.checksum !== undefined ? element(checksumElement(algorithm), part.checksum) : '';
      return `<Part>${element('PartNumber', String(part.partNumber))}${element('ETag', part.etag)}${checksum}</Part>`;
    })
    .join('');
  return `<?xml version="1.0" encoding="UTF-8"?><CompleteMultipartUpload xmlns="${NAMESPACE}">${items}</CompleteMultipartUpload>`;
}

/** Elements of the root when it is `root`; undefined for anything else (an <Error>, HTML, nothing). */
export function readResult(text: string, root: string): Readonly<Record<string, string>> | undefined {
  const xml = parseFlatXml(text);
  return xml?.root === root ? xml.elements : undefined;
}

export interface PartsPage {
  readonly parts: ListedPart[];
  /** The part-number-marker for the next page, when S3 says the list goes on. */
  readonly next: number | undefined;
}

export function readListParts(text: string, algorithm: ChecksumAlgorithm | undefined): PartsPage | undefined {
  const top = readResult(text, 'ListPartsResult');
  if (!top) return undefined;
  const parts: ListedPart[] = [];
  for (const match of text.matchAll(/<(?:[\w.-]+:)?Part>([^]*?)<\/(?:[\w.-]+:)?Part>/g)) {
    const part = parseFlatXml(`<Part>${match[1] ?? ''}</Part>`)?.elements ?? {};
    const partNumber = Number(part['PartNumber']);
    const size = Number(part['Size']);
    const etag = part['ETag'];
    if (!Number.isSafeInteger(partNumber) || !Number.isSafeInteger(size) || etag === undefined) return undefined;
    const checksum = algorithm ? part[checksumElement(algorithm)] : undefined;
    parts.push({ partNumber, size, etag, ...(checksum === undefined ? {} : { checksum }) });
  }
  const next = Number(top['NextPartNumberMarker']);
  return { parts, next: top['IsTruncated'] === 'true' && Number.isSafeInteger(next) ? next : undefined };
}

function element(name: string, value: string): string {
  return `<${name}>${value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')}</${name}>`;
}
