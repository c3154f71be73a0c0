// CompleteMultipartUpload: the parts the client lists become the object, and the upload ends.
// https://docs.aws.amazon.com/AmazonS3/latest/API/API_CompleteMultipartUpload.html
//
//   <CompleteMultipartUpload><Part><PartNumber>1</PartNumber><ETag>"…"</ETag></Part>…</CompleteMultipartUpload>
//
// Checked in this order: the body's XML (MalformedXML); every listed part uploaded with that ETag
// (InvalidPart, naming the lowest such part: S3 did so for parts listed 200 then 134, captured in
// versity/versitygw#2038); the list ascending (InvalidPartOrder); each part but the last at least 5 MiB
// (EntityTooSmall). The object's ETag is the MD5 of the parts' binary MD5s, then "-<parts>".

import { md5 } from '@noble/hashes/legacy.js';
import { bytesToHex, utf8Decode } from '../src/core/codec';
import { checksumElement, compositeChecksum, concatBytes } from './checksums';
import { completeResultDocument } from './multipart-xml';
import { findUpload, type MultipartContext } from './multipart-upload';
import type { UploadedPart } from './multipart-store';
import { isS3Failure, malformedXml, s3Failure, type S3Failure } from './s3-failure';
import type { S3Store } from './store';

// "Each part must be at least 5 MB in size, except the last part." 5 MiB, as S3's MinSizeAllowed says.
const MIN_PART_SIZE = 5 * 1024 * 1024;

export interface CompleteContext extends MultipartContext {
  readonly store: S3Store;
}

export function completeMultipartUpload(body: Uint8Array, context: CompleteContext): Response | S3Failure {
  const upload = findUpload(context);
  if (isS3Failure(upload)) return upload;
  const listed = parseCompleteRequest(body);
  if (!listed) return malformedXml();

  const uploaded = new Map(upload.parts.map((part) => [part.partNumber, part]));
  const algorithm = upload.checksumAlgorithm;
  const byNumber = [...listed].sort((a, b) => a.partNumber - b.partNumber);
  for (const entry of byNumber) {
    const part = uploaded.get(entry.partNumber);
    const checksum = algorithm && entry.elements.get(checksumElement(algorithm));
    if (algorithm && part && checksum === undefined) {
      return s3Failure(
        400,
        'InvalidRequest',
        `The upload was created using a ${algorithm.toLowerCase()} checksum. The complete request must include ` +
          `the checksum for each part. It was missing for part ${entry.partNumber} in the request.`,
      );
    }
    if (!part || unquote(part.etag) !== unquote(entry.etag) || (algorithm && checksum !== part.checksum)) {
      return s3Failure(
        400,
        'InvalidPart',
        "One or more of the specified parts could not be found.  The part may not have been uploaded, or the specified entity tag may not match the part's entity tag.",
        [
          ['UploadId', upload.uploadId],
          ['PartNumber', String(entry.partNumber)],
          ['ETag', entry.etag],
        ],
      );
    }
  }
  const outOfOrder = listed.find((entry, index) => entry.partNumber <= (listed[index - 1]?.partNumber ?? 0));
  if (outOfOrder) {
    // S3's wording, the missing space and "must specified" included (as eucalyptus and ladon-s3-server copy it).
    return s3Failure(
      400,
      'InvalidPartOrder',
      'The list of parts was not in ascending order.Parts list must specified in order by part number.',
      [
        ['UploadId', upload.uploadId],
        ['PartNumber', String(outOfOrder.partNumber)],
        ['ETag', outOfOrder.etag],
      ],
    );
  }

  const parts = listed.map((entry) => uploaded.get(entry.partNumber)).filter((part): part is UploadedPart => !!part);
  const tooSmall = parts.slice(0, -1).find((part) => part.size < MIN_PART_SIZE);
  if (tooSmall) {
    // Captured: <ETag> here is S3's own, unquoted (apache/arrow-rs-object-store#211).
    return s3Failure(400, 'EntityTooSmall', 'Your proposed upload is smaller than the minimum allowed size', [
      ['ProposedSize', String(tooSmall.size)],
      ['MinSizeAllowed', String(MIN_PART_SIZE)],
      ['PartNumber', String(tooSmall.partNumber)],
      ['ETag', unquote(tooSmall.etag)],
    ]);
  }

  const digests = parts.map((part) => md5(part.body));
  const etag = `"${bytesToHex(md5(concatBytes(digests)))}-${parts.length}"`;
  context.store.putObject(context.bucket, upload.key, concatBytes(parts.map((part) => part.body)), {
    contentType: upload.contentType,
    metadata: upload.metadata,
    etag,
    ...(upload.acl === undefined ? {} : { acl: upload.acl }),
  });
  context.uploads.remove(upload.uploadId);

  const checksum = algorithm && {
    algorithm,
    value: compositeChecksum(algorithm, parts.map((part) => part.checksum ?? '')),
  };
  const document = completeResultDocument({
    location: context.address.objectUrl(upload.key),
    bucket: context.bucket,
    key: upload.key,
    etag,
    ...(checksum ? { checksum } : {}),
  });
  return new Response(document, { status: 200, headers: { 'Content-Type': 'application/xml' } });
}

interface ListedPart {
  readonly partNumber: number;
  /** As sent: S3 accepts it with or without its quotes. */
  readonly etag: string;
  readonly elements: ReadonlyMap<string, string>;
}

const PART_ELEMENTS = new Set([
  'PartNumber',
  'ETag',
  'ChecksumCRC32',
  'ChecksumCRC32C',
  'ChecksumCRC64NVME',
  'ChecksumSHA1',
  'ChecksumSHA256',
]);
// The XML declaration, and the root's attributes, well-formed (https://www.w3.org/TR/xml/#NT-XMLDecl).
const DECLARATION = /^<\?xml\s+version\s*=\s*(["'])1\.\d+\1(?:\s+encoding\s*=\s*(["'])[A-Za-z][\w.-]*\2)?(?:\s+standalone\s*=\s*(["'])(?:yes|no)\3)?\s*\?>/;
const ROOT = /^<(?:[\w.-]+:)?CompleteMultipartUpload((?:\s+[\w.:-]+\s*=\s*(?:"[^"<&]*"|'[^'<&]*'))*)\s*>([^]*)<\/(?:[\w.-]+:)?CompleteMultipartUpload\s*>$/;
// Characters XML 1.0 does not allow anywhere (https://www.w3.org/TR/xml/#charsets).
const NOT_XML = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/;
const PART = /\s*<(?:[\w.-]+:)?Part>([^]*?)<\/(?:[\w.-]+:)?Part>\s*/y;
const CHILD = /\s*<(?:[\w.-]+:)?([\w.-]+)>([^<]*)<\/(?:[\w.-]+:)?\1>\s*/y;

/**
 * The parts listed, in the order sent; undefined for a body that is not this document with at least
 * one Part, each with one PartNumber (an integer) and one ETag. The document is this flat, so a
 * strict reader of exactly its shape stands in for an XML parser (none is browser- and Node-safe).
 */
function parseCompleteRequest(body: Uint8Array): ListedPart[] | undefined {
  const decoded = utf8Decode(body)?.replace(/^\uFEFF/, '');
  if (decoded === undefined || NOT_XML.test(decoded)) return undefined;
  const start = decoded.trimStart();
  if (start.startsWith('<?xml') && !DECLARATION.test(start)) return undefined;
  const text = start.replace(DECLARATION, '').replace(/<!--[^]*?-->/g, '').trim();
  const content = ROOT.exec(text)?.[2];
  if (content === undefined) return undefined;
  const parts: ListedPart[] = [];
  for (const part of sequence(PART, content)) {
    const [partContent] = part ?? [];
    if (partContent === undefined) return undefined;
    const elements = new Map<string, string>();
    for (const child of sequence(CHILD, partContent)) {
      const [name, value] = child ?? [];
      if (name === undefined || value === undefined || !PART_ELEMENTS.has(name) || elements.has(name)) return undefined;
      elements.set(name, decodeEntities(value));
    }
    const partNumber = elements.get('PartNumber')?.trim();
    const etag = elements.get('ETag');
    if (partNumber === undefined || etag === undefined || !/^\d{1,9}$/.test(partNumber)) return undefined;
    parts.push({ partNumber: Number(partNumber), etag, elements });
  }
  return parts.length > 0 ? parts : undefined;
}

/**
 * The captures of `pattern` (sticky) matched back to back over all of `text`, whitespace between
 * them allowed; an undefined item where the text holds anything else.
 */
function* sequence(pattern: RegExp, text: string): Generator<readonly string[] | undefined> {
  const nonSpace = /\S/g;
  let index = 0;
  for (;;) {
    nonSpace.lastIndex = index;
    if (!nonSpace.test(text)) return;
    pattern.lastIndex = index;
    const match = pattern.exec(text);
    if (!match) {
      yield undefined;
      return;
    }
    index = pattern.lastIndex;
    yield match.slice(1).map((capture) => capture ?? '');
  }
}

const ENTITIES: Readonly<Record<string, string>> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-fA-F]+|#\d+|[a-z]+);/g, (entity: string, name: string) => {
    const codePoint = name.startsWith('#x')
      ? parseInt(name.slice(2), 16)
      : name.startsWith('#')
        ? parseInt(name.slice(1), 10)
        : NaN;
    if (codePoint <= 0x10ffff) return String.fromCodePoint(codePoint);
    return ENTITIES[name] ?? entity;
  });
}

function unquote(etag: string): string {
  return etag.trim().replace(/^"(.*)"$/, '$1');
}
