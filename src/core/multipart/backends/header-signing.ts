// Header signing (Fine Uploader's v4 chunking): the kit builds every S3 request of the multipart upload
// itself (CreateMultipartUpload, UploadPart, ListParts, CompleteMultipartUpload,
// AbortMultipartUpload), and the app's backend only signs each one (header-signature.ts). The secret
// key stays on the backend; the page knows the access key id, and the session token if any.
// https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-auth-using-authorization-header.html

import { formatAmzDate, SIGV4_ALGORITHM } from '../../policy/credential';
import { NetworkError } from '../../errors/NetworkError';
import { S3ResponseError } from '../../errors/S3ResponseError';
import { UploadAbortedError } from '../../errors/UploadAbortedError';
import type { PolicyEndpoint } from '../../policy/policy-source';
import { randomId } from '../../random-id';
import { parseS3ErrorXml } from '../../transport/s3-refusal';
import type { ChecksumAlgorithm, ListedPart, MultipartBackend, UploadRef, WarningSink } from './backend';
import { bucketBaseUrl, canonicalize, EMPTY_SHA256, fineUploaderHeaders, objectRequestUrl, sha256Hex, stringToSign, UNSIGNED_PAYLOAD } from './canonical-request';
import { checksumHeader } from '../wire/checksums';
import { requestHeaderSignature, type HeaderSigner } from './header-signature';
import { completeRequestXml, readListParts, readResult } from './multipart-xml';
import { withRetries, type Attempt, type RetryPolicy } from '../../retry/retry';
import { refusedAttempt } from '../wire/refused-attempt';

export interface HeaderSigningOptions {
  /** Where { stringToSign, canonicalRequest, headers } is POSTed to be signed, or a function that signs it. */
  readonly signatureEndpoint: string | PolicyEndpoint | HeaderSigner;
  readonly bucket: string;
  readonly region: string;
  /** The access key id only; the secret stays on the backend. */
  readonly accessKeyId: string;
  /** The session token of temporary credentials, sent (and signed) as x-amz-security-token. */
  readonly sessionToken?: string;
  /**
   * Default https://<bucket>.s3.<region>.amazonaws.com. Path-style when the endpoint names the bucket in
   * its path (http://127.0.0.1:9000/my-bucket), or gets it appended when it names it nowhere.
   */
  readonly endpoint?: string;
}

type Headers = ReadonlyArray<readonly [string, string]>;

interface S3Call<T> {
  /** S3's name for the operation, for the error when the answer is not its document. */
  readonly operation: string;
  readonly method: string;
  readonly key: string;
  readonly query: ReadonlyArray<readonly [string, string]>;
  readonly headers?: Headers;
  readonly body?: string;
  /**
   * What a 2xx answer means, undefined when it is not the operation's document. An S3 <Error> in it
   * is a refusal: CompleteMultipartUpload can answer 200 and fail later in the body.
   */
  readonly read: (status: number, text: string) => T | undefined;
}

export function headerSigningBackend(
  options: HeaderSigningOptions,
  context: { readonly checksumAlgorithm: ChecksumAlgorithm | undefined; readonly retry: RetryPolicy; readonly warn: WarningSink },
): MultipartBackend {
  const bucketUrl = bucketBaseUrl(options);
  const algorithm = context.checksumAlgorithm;
  // Corrected from S3's ServerTime when S3 finds this device's clock too far off (RequestTimeTooSkewed).
  let clockOffsetMs = 0;

  /** `headers` plus the SigV4 ones and Authorization, signed by the backend. */
  async function sign(method: string, url: URL, headers: Headers, payloadHash: string, signal: AbortSignal): Promise<Headers> {
    const amzDate = formatAmzDate(new Date(Date.now() + clockOffsetMs));
    const scope = `${amzDate.slice(0, 8)}/${options.region}/s3/aws4_request`;
    const all: Headers = [
      ...headers,
      ['x-amz-content-sha256', payloadHash],
      ['x-amz-date', amzDate],
      ...(options.sessionToken === undefined ? [] : [['x-amz-security-token', options.sessionToken] as const]),
    ];
    const { canonicalRequest, signedHeaders } = canonicalize({ method, url, headers: all, payloadHash });
    const toSign = await stringToSign(amzDate, scope, canonicalRequest);
    const signature = await requestHeaderSignature(
      options.signatureEndpoint,
      { stringToSign: toSign, canonicalRequest, headers: fineUploaderHeaders(toSign, canonicalRequest) },
      { signal, warn: context.warn },
    );
    const credential = `${options.accessKeyId}/${scope}`;
    return [...all, ['Authorization', `${SIGV4_ALGORITHM} Credential=${credential}, SignedHeaders=${signedHeaders}, Signature=${signature}`]];
  }

  /** Signs and sends one request, signing again and retrying as retry.ts says. */
  function send<T>(call: S3Call<T>, signal: AbortSignal): Promise<T> {
    return withRetries(
      async (): Promise<Attempt<T>> => {
        const url = objectRequestUrl(bucketUrl, call.key, call.query);
        const payloadHash = call.body === undefined ? EMPTY_SHA256 : await sha256Hex(call.body);
        const headers = await sign(call.method, url, call.headers ?? [], payloadHash, signal);
        const exchange = { method: call.method, url: url.href, headers, bucket: options.bucket, key: call.key };
        let response: Response;
        let text: string;
        try {
          response = await fetch(url, { method: call.method, headers: headers.map(([n, v]) => [n, v]), ...(call.body === undefined ? {} : { body: call.body }), signal });
          text = await response.text();
        } catch (error) {
          if (signal.aborted) throw new UploadAbortedError('upload', { cause: error });
          throw new NetworkError('network-or-cors', { method: call.method, url: url.href, cause: error });
        }
        const header = (name: string): string | null => response.headers.get(name);
        if (!response.ok || parseS3ErrorXml(text)) return refusedAttempt(exchange, response.status, text, header);
        const value = call.read(response.status, text);
        if (value === undefined) throw unreadable(call.operation, exchange, response.status, text);
        return { ok: true, value };
      },
      { policy: context.retry, signal, onExpired: noteExpired },
    );
  }

  function noteExpired(error: S3ResponseError): void {
    const serverTime = Date.parse(error.s3.elements['ServerTime'] ?? '');
    if (error.code === 'RequestTimeTooSkewed' && !Number.isNaN(serverTime)) clockOffsetMs = serverTime - Date.now();
  }

  const upload = (ref: UploadRef): Array<readonly [string, string]> => [['uploadId', ref.uploadId]];

  return {
    identity: `sign-headers ${bucketUrl}`,
    signAhead: 0,
    corsMethods: ['GET', 'PUT', 'POST', 'DELETE'],
    noteExpired,
    async create(input, { signal }) {
      const key = input.key ?? `${randomId()}/${input.filename}`;
      const headers: Array<readonly [string, string]> = [];
      if (input.contentType !== '') headers.push(['content-type', input.contentType]);
      for (const [name, value] of Object.entries(input.metadata ?? {})) headers.push([`x-amz-meta-${name.toLowerCase()}`, value]);
      if (algorithm) headers.push(['x-amz-checksum-algorithm', algorithm]);
      const uploadId = await send({
        operation: 'CreateMultipartUpload', method: 'POST', key, query: [['uploads', '']], headers,
        read: (_, text) => readResult(text, 'InitiateMultipartUploadResult')?.['UploadId'] || undefined,
      }, signal);
      return { uploadId, key, bucket: options.bucket };
    },
    async signParts(ref, parts, { signal }) {
      return Promise.all(parts.map(async (part) => {
        const url = objectRequestUrl(bucketUrl, ref.key, [['partNumber', String(part.partNumber)], ...upload(ref)]);
        const checksum: Headers = algorithm && part.checksum !== undefined ? [[checksumHeader(algorithm), part.checksum]] : [];
        return { partNumber: part.partNumber, url: url.href, headers: await sign('PUT', url, checksum, UNSIGNED_PAYLOAD, signal) };
      }));
    },
    async listParts(ref, { signal }) {
      const parts: ListedPart[] = [];
      let marker: number | undefined;
      try {
        do {
          const query = [...upload(ref), ...(marker === undefined ? [] : [['part-number-marker', String(marker)] as const])];
          const page = await send({ operation: 'ListParts', method: 'GET', key: ref.key, query, read: (_, text) => readListParts(text, algorithm) }, signal);
          parts.push(...page.parts);
          marker = page.next;
        } while (marker !== undefined);
      } catch (error) {
        if (error instanceof S3ResponseError && error.code === 'NoSuchUpload') return undefined;
        throw error;
      }
      return parts;
    },
    async complete(ref, parts, { signal }) {
      const body = completeRequestXml(parts, algorithm);
      return send({
        operation: 'CompleteMultipartUpload', method: 'POST', key: ref.key, query: upload(ref), headers: [['content-type', 'application/xml']], body,
        read: (status, text) => {
          const result = readResult(text, 'CompleteMultipartUploadResult');
          return result && { location: result['Location'], bucket: result['Bucket'], key: result['Key'], etag: result['ETag'], status };
        },
      }, signal);
    },
    async abort(ref, { signal }) {
      try {
        await send({ operation: 'AbortMultipartUpload', method: 'DELETE', key: ref.key, query: upload(ref), read: () => true }, signal);
      } catch (error) {
        // Already gone (completed, aborted, expired by a lifecycle rule): nothing is left to bill.
        if (!(error instanceof S3ResponseError && error.code === 'NoSuchUpload')) throw error;
      }
    },
  };
}

/** A 2xx answer that is not the document the operation returns: something other than S3 answered. */
function unreadable(operation: string, exchange: { readonly method: string; readonly url: string }, status: number, text: string): S3ResponseError {
  const excerpt = text.replace(/\s+/g, ' ').trim().slice(0, 200) || '(empty body)';
  return new S3ResponseError({
    status,
    method: exchange.method,
    url: exchange.url,
    s3: { code: `http-${status}`, message: excerpt, elements: {} },
    hint: `The answer to ${operation} is not S3's XML document for it: check that the endpoint is the bucket's S3 endpoint and that no proxy rewrites the answer.`,
  });
}
