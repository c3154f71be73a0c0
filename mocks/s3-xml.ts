// The XML documents S3 sends: the error document and the 201 PostResponse (multipart-xml.ts has the
// multipart ones). https://docs.aws.amazon.com/AmazonS3/latest/API/ErrorResponses.html#RESTErrorResponses
// No namespace on either: S3 sends none, and clients find elements by bare name.

import type { S3Failure } from './s3-failure';

export interface RequestIds {
  /** x-amz-request-id: 16 upper-case hex digits. */
  readonly requestId: string;
  /** x-amz-id-2: base64, S3's "extended request id". */
  readonly hostId: string;
}

export const XML_DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>\n';

/** Escapes text for element content. Quotes stay raw, as in S3's `<ETag>"…"</ETag>`. */
export function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

export function element(name: string, value: string): string {
  return `<${name}>${escapeXml(value)}</${name}>`;
}

export function errorDocument(failure: S3Failure, ids: RequestIds): string {
  const details = failure.details.map(([name, value]) => element(name, value)).join('');
  return (
    XML_DECLARATION +
    '<Error>' +
    element('Code', failure.code) +
    element('Message', failure.message) +
    details +
    element('RequestId', ids.requestId) +
    element('HostId', ids.hostId) +
    '</Error>'
  );
}

export interface PostResponseFields {
  readonly location: string;
  readonly bucket: string;
  readonly key: string;
  /** Quoted, as in the ETag header. */
  readonly etag: string;
}

/** The body of a POST answered with success_action_status 201. */
export function postResponseDocument(fields: PostResponseFields): string {
  return (
    XML_DECLARATION +
    '<PostResponse>' +
    element('Location', fields.location) +
    element('Bucket', fields.bucket) +
    element('Key', fields.key) +
    element('ETag', fields.etag) +
    '</PostResponse>'
  );
}
