// S3's refusal of a request, as the kit holds it until it is explained: what S3 answered (status, body,
// region header) and what was sent that its evidence is read against. S3 sends its evidence in the XML
// body (https://docs.aws.amazon.com/AmazonS3/latest/API/ErrorResponses.html), parsed here into
// S3ErrorDetails; the sentence on how to fix it is diagnostics' (diagnostics/s3-hints.ts).

import { parseFlatXml } from './s3-xml';

export interface S3ErrorDetails {
  /** S3's `Code`, or `http-<status>` when the answer was not S3's XML. */
  readonly code: string;
  /** S3's `Message`, or an excerpt of the body when the answer was not S3's XML. */
  readonly message: string;
  readonly requestId?: string;
  readonly hostId?: string;
  /** For a POST policy this is the base64 policy S3 verified the signature over. */
  readonly stringToSign?: string;
  readonly canonicalRequest?: string;
  readonly signatureProvided?: string;
  readonly awsAccessKeyId?: string;
  /** The bucket's region, when S3 tells it (`Region`, or the x-amz-bucket-region header). */
  readonly region?: string;
  /** Every child element of `<Error>`, by name, as S3 sent it. */
  readonly elements: Readonly<Record<string, string>>;
}

/** One refused request, POST form or signed request alike. */
export interface S3Refusal {
  readonly status: number;
  readonly method: string;
  readonly url: string;
  /** The response body, as S3 (or whatever answered) sent it. */
  readonly body: string;
  /** The x-amz-bucket-region header, when the bucket's CORS rule lets the page read it. */
  readonly region: string | null;
  /**
   * What was sent, by name, as the hints look values up: a POST's form fields (the file excluded), or a
   * signed request's query and headers (signedRequestEvidence).
   */
  readonly sent: ReadonlyArray<readonly [string, string]>;
  /** The bucket the kit addressed, when known. */
  readonly bucket?: string | undefined;
  /** The object key (for a POST, once S3 has expanded `${filename}`), when known. */
  readonly key?: string | undefined;
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/** S3's `<Error>` document, or undefined when the text is something else (an HTML page, JSON, nothing). */
export function parseS3ErrorXml(text: string): S3ErrorDetails | undefined {
  const xml = parseFlatXml(text);
  if (!xml || xml.root !== 'Error') return undefined;
  const { elements } = xml;
  const code = elements['Code']?.trim();
  if (!code) return undefined;
  const details: Mutable<S3ErrorDetails> = { code, message: elements['Message']?.trim() ?? '', elements };
  const trimmed = (name: string): string | undefined => elements[name]?.trim() || undefined;
  const requestId = trimmed('RequestId');
  const hostId = trimmed('HostId');
  const awsAccessKeyId = trimmed('AWSAccessKeyId');
  const region = trimmed('Region');
  const signatureProvided = trimmed('SignatureProvided');
  if (requestId !== undefined) details.requestId = requestId;
  if (hostId !== undefined) details.hostId = hostId;
  if (awsAccessKeyId !== undefined) details.awsAccessKeyId = awsAccessKeyId;
  if (region !== undefined) details.region = region;
  if (signatureProvided !== undefined) details.signatureProvided = signatureProvided;
  // The strings S3 signed are evidence byte for byte: a stray newline in them can be the bug.
  if (elements['StringToSign'] !== undefined) details.stringToSign = elements['StringToSign'];
  if (elements['CanonicalRequest'] !== undefined) details.canonicalRequest = elements['CanonicalRequest'];
  return details;
}

/** S3's error from a response body, or `http-<status>` with an excerpt when the body is not S3's XML. */
export function describeS3ErrorBody(text: string, status: number): S3ErrorDetails {
  const parsed = parseS3ErrorXml(text);
  if (parsed) return parsed;
  const plain = text.replace(/<[^>]*>/g, ' ').replace(/\s+/g, ' ').trim();
  const excerpt = plain === '' ? '(empty body)' : plain.length > 200 ? `${plain.slice(0, 200)}…` : plain;
  return { code: `http-${status}`, message: excerpt, elements: {} };
}

/** The refusal's details, the region header filling in when the body does not name one. */
export function refusalDetails(refusal: S3Refusal): S3ErrorDetails {
  const s3 = describeS3ErrorBody(refusal.body, refusal.status);
  return s3.region === undefined && refusal.region ? { ...s3, region: refusal.region } : s3;
}

/**
 * A signed request's values as the hints look them up by name: a presigned URL carries them in its
 * query, a header-signed request in x-amz-* headers and in Authorization's Credential=.
 */
export function signedRequestEvidence(url: string, headers: ReadonlyArray<readonly [string, string]>): Array<readonly [string, string]> {
  const fields: Array<readonly [string, string]> = URL.canParse(url) ? [...new URL(url).searchParams] : [];
  for (const [name, value] of headers) {
    fields.push([name, value]);
    const credential = name.toLowerCase() === 'authorization' ? /Credential=([^,\s]+)/.exec(value)?.[1] : undefined;
    if (credential !== undefined) fields.push(['x-amz-credential', credential]);
  }
  return fields;
}
