// What a request claims about its SigV4 signature, read from the Authorization header or from a
// presigned URL's query, with S3's answer to each way either can be malformed.
// https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-auth-using-authorization-header.html
// https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-query-string-auth.html
// The two ways share their checks but not their words: a header is AuthorizationHeaderMalformed
// ("The authorization header is malformed; ..."), a URL AuthorizationQueryParametersError ("Error
// parsing the X-Amz-Credential parameter; ..."). Messages as S3 sends them (captured answers quoted
// in issue trackers: aws/aws-sdk-js#120, volojs/volo#218, akka/alpakka#1690, versity/versitygw#1352).

import {
  formatAmzDate,
  parseAmzDate,
  parseCredential,
  SIGV4_ALGORITHM,
  type CredentialScope,
} from '../src/core/policy/credential';
import { credentialMessage, wrongRegionMessage } from './access-keys';
import { notImplemented, s3Failure, type S3Failure } from './s3-failure';

export interface SignatureClaim {
  readonly via: 'header' | 'query';
  readonly scope: CredentialScope;
  /** The request time exactly as sent (yyyymmddTHHMMSSZ), as the string to sign holds it. */
  readonly amzDate: string;
  readonly date: Date;
  readonly signedHeaders: readonly string[];
  readonly signature: string;
  /** x-amz-content-sha256 as sent; UNSIGNED-PAYLOAD for a presigned URL that names none. */
  readonly payloadHash: string;
  readonly securityToken: string | undefined;
  /** X-Amz-Expires, for a presigned URL. */
  readonly expiresInSeconds?: number;
}

export interface ClaimOptions {
  readonly region: string;
  readonly allowSignatureV2: boolean;
}

/** The claim, undefined for an unsigned request, or S3's refusal of a malformed one. */
export function readSignatureClaim(
  request: Request,
  url: URL,
  options: ClaimOptions,
): SignatureClaim | S3Failure | undefined {
  const header = request.headers.get('authorization');
  const params = url.searchParams;
  const queryV4 = ['X-Amz-Algorithm', 'X-Amz-Credential', 'X-Amz-Signature'].some((name) => params.has(name));
  const queryV2 = params.has('AWSAccessKeyId') && params.has('Signature');
  if (header !== null && (queryV4 || queryV2)) {
    return s3Failure(
      400,
      'InvalidArgument',
      'Only one auth mechanism allowed; only the X-Amz-Algorithm query parameter, Signature query string parameter or the Authorization header should be specified',
      [
        ['ArgumentName', 'Authorization'],
        ['ArgumentValue', header],
      ],
    );
  }
  if (header !== null) return headerClaim(request, header, options);
  if (queryV4) return queryClaim(params, options);
  if (queryV2) return signatureV2(options);
  return undefined;
}

// The values x-amz-content-sha256 may hold besides the hex SHA-256 of the body.
const UNSIGNED_PAYLOAD = 'UNSIGNED-PAYLOAD';
const STREAMING_MARKERS = [
  'STREAMING-UNSIGNED-PAYLOAD-TRAILER',
  'STREAMING-AWS4-HMAC-SHA256-PAYLOAD',
  'STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER',
  'STREAMING-AWS4-ECDSA-P256-SHA256-PAYLOAD',
  'STREAMING-AWS4-ECDSA-P256-SHA256-PAYLOAD-TRAILER',
];
const SHA256_HEX = /^[0-9a-f]{64}$/;

function headerClaim(request: Request, header: string, options: ClaimOptions): SignatureClaim | S3Failure {
  if (header.startsWith('AWS ')) return signatureV2(options);
  if (!header.startsWith(`${SIGV4_ALGORITHM} `)) {
    return s3Failure(400, 'InvalidArgument', 'Unsupported Authorization Type', [
      ['ArgumentName', 'Authorization'],
      ['ArgumentValue', header],
    ]);
  }
  const malformed = (reason: string, details: ReadonlyArray<readonly [string, string]> = []) =>
    s3Failure(400, 'AuthorizationHeaderMalformed', `The authorization header is malformed; ${reason}`, details);

  // "Credential=<AKID>/<scope>, SignedHeaders=<a;b;c>, Signature=<hex>", in any order, commas with or without spaces.
  const components = new Map<string, string>();
  for (const part of header.slice(SIGV4_ALGORITHM.length + 1).split(',')) {
    const equals = part.indexOf('=');
    if (equals !== -1) components.set(part.slice(0, equals).trim(), part.slice(equals + 1).trim());
  }
  const credential = components.get('Credential');
  const signedHeaders = components.get('SignedHeaders');
  const signature = components.get('Signature');
  if (credential === undefined || signedHeaders === undefined || signature === undefined) {
    return malformed('the authorization header requires three components: Credential, SignedHeaders, and Signature.');
  }
  const parsed = parseCredential(credential);
  if (!parsed.ok) return malformed(credentialMessage(parsed.problem));
  const { scope } = parsed;
  if (scope.region !== options.region) {
    return malformed(wrongRegionMessage(scope.region, options.region), [['Region', options.region]]);
  }

  // x-amz-date, else the HTTP Date header, whose instant the string to sign then carries in ISO 8601.
  const amzDateHeader = request.headers.get('x-amz-date');
  const httpDate = request.headers.get('date');
  const date =
    amzDateHeader !== null ? parseAmzDate(amzDateHeader) : httpDate !== null ? validDate(new Date(httpDate)) : undefined;
  if (!date) return s3Failure(403, 'AccessDenied', 'AWS authentication requires a valid Date or x-amz-date header');
  const amzDate = amzDateHeader ?? formatAmzDate(date);
  if (amzDate.slice(0, 8) !== scope.date) return malformed('Invalid credential date. Date is not the same as X-Amz-Date.');

  const payloadHash = request.headers.get('x-amz-content-sha256');
  if (payloadHash === null) {
    return s3Failure(400, 'InvalidRequest', 'Missing required header for this request: x-amz-content-sha256');
  }
  if (STREAMING_MARKERS.includes(payloadHash)) {
    return notImplemented(
      `aws-chunked uploads (x-amz-content-sha256: ${payloadHash}); sign the whole payload or send UNSIGNED-PAYLOAD`,
    );
  }
  if (payloadHash !== UNSIGNED_PAYLOAD && !SHA256_HEX.test(payloadHash)) {
    return s3Failure(
      400,
      'InvalidArgument',
      `x-amz-content-sha256 must be ${UNSIGNED_PAYLOAD}, ${STREAMING_MARKERS.join(', ')} or a valid sha256 value.`,
      [
        ['ArgumentName', 'x-amz-content-sha256'],
        ['ArgumentValue', payloadHash],
      ],
    );
  }
  return {
    via: 'header',
    scope,
    amzDate,
    date,
    signedHeaders: signedHeaders.split(';'),
    signature,
    payloadHash,
    securityToken: request.headers.get('x-amz-security-token') ?? undefined,
  };
}

// "X-Amz-Expires ... Minimum value of 1. Maximum value of 604800 (seven days)."
const MAX_EXPIRES_SECONDS = 604800;
const QUERY_PARAMETERS = [
  'X-Amz-Algorithm',
  'X-Amz-Credential',
  'X-Amz-Signature',
  'X-Amz-Date',
  'X-Amz-SignedHeaders',
  'X-Amz-Expires',
];

function queryClaim(params: URLSearchParams, options: ClaimOptions): SignatureClaim | S3Failure {
  const error = (message: string, details: ReadonlyArray<readonly [string, string]> = []) =>
    s3Failure(400, 'AuthorizationQueryParametersError', message, details);
  const value = (name: string): string => params.get(name) ?? '';
  if (QUERY_PARAMETERS.some((name) => !params.has(name))) {
    return error(
      'Query-string authentication version 4 requires the X-Amz-Algorithm, X-Amz-Credential, X-Amz-Signature, X-Amz-Date, X-Amz-SignedHeaders, and X-Amz-Expires parameters.',
    );
  }
  if (value('X-Amz-Algorithm') !== SIGV4_ALGORITHM) return error(`X-Amz-Algorithm only supports "${SIGV4_ALGORITHM}"`);

  const parsed = parseCredential(value('X-Amz-Credential'));
  const credentialError = (reason: string, details: ReadonlyArray<readonly [string, string]> = []) =>
    error(`Error parsing the X-Amz-Credential parameter; ${reason}`, details);
  if (!parsed.ok) return credentialError(credentialMessage(parsed.problem));
  const { scope } = parsed;
  if (scope.region !== options.region) {
    return credentialError(wrongRegionMessage(scope.region, options.region), [['Region', options.region]]);
  }

  const amzDate = value('X-Amz-Date');
  const date = parseAmzDate(amzDate);
  if (!date) return error(`X-Amz-Date must be in the ISO8601 Long Format "yyyyMMdd'T'HHmmss'Z'"`);
  const expires = value('X-Amz-Expires');
  if (!/^-?\d+$/.test(expires)) return error('X-Amz-Expires should be a number');
  const expiresInSeconds = Number(expires);
  if (expiresInSeconds < 0) return error('X-Amz-Expires must be non-negative');
  if (expiresInSeconds > MAX_EXPIRES_SECONDS) {
    return error(`X-Amz-Expires must be less than a week (in seconds) that is ${MAX_EXPIRES_SECONDS}`);
  }
  if (amzDate.slice(0, 8) !== scope.date) {
    return credentialError('Invalid credential date. Date is not the same as X-Amz-Date.');
  }

  return {
    via: 'query',
    scope,
    amzDate,
    date,
    signedHeaders: value('X-Amz-SignedHeaders').split(';'),
    signature: value('X-Amz-Signature'),
    // A presigned URL cannot know the body it will carry: "UNSIGNED-PAYLOAD", unless it says otherwise.
    payloadHash: params.get('X-Amz-Content-Sha256') ?? UNSIGNED_PAYLOAD,
    securityToken: params.get('X-Amz-Security-Token') ?? undefined,
    expiresInSeconds,
  };
}

// SigV2 exists only in regions older than 2014; emulating a current one, refuse it (post-auth.ts does
// the same for a form). A SigV2 header or URL is not emulated even when SigV2 forms are allowed.
function signatureV2(options: ClaimOptions): S3Failure {
  if (options.allowSignatureV2) return notImplemented('Signature Version 2 in a header or a URL (only in a POST form)');
  return s3Failure(
    400,
    'InvalidRequest',
    'The authorization mechanism you have provided is not supported. Please use AWS4-HMAC-SHA256.',
  );
}

function validDate(date: Date): Date | undefined {
  return Number.isNaN(date.getTime()) ? undefined : date;
}
