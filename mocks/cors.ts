// The bucket's CORS rule, as S3 applies it to a browser's requests.
// https://docs.aws.amazon.com/AmazonS3/latest/userguide/cors.html
// A browser can only read S3's answer (status, ETag, error XML) when the response carries
// Access-Control-Allow-Origin; `cors: false` simulates a bucket without a CORS configuration, where a
// browser sees a network error (status 0) instead of S3's answer.

import { s3Failure, type S3Failure } from './s3-failure';

export interface CorsOptions {
  /** Origins allowed, each possibly with one '*' wildcard (http://*.example.com), or '*' for any. */
  readonly allowedOrigins?: readonly string[] | '*';
  /**
   * Response headers a browser may read; default ETag, Location, x-amz-request-id. `[]` exposes none:
   * S3 still sends ETag, but a page reads null for it, which is what a bucket whose CORS rule lacks
   * `<ExposeHeader>ETag</ExposeHeader>` does to a browser's multipart upload (it cannot complete).
   */
  readonly exposeHeaders?: readonly string[];
}

export interface CorsRule {
  readonly allowedOrigins: readonly string[] | '*';
  readonly exposeHeaders: readonly string[];
}

export const CORS_ALLOWED_METHODS = ['POST', 'PUT', 'GET', 'HEAD', 'DELETE'] as const;
const DEFAULT_EXPOSE_HEADERS = ['ETag', 'Location', 'x-amz-request-id'];
const VARY = 'Origin, Access-Control-Request-Headers, Access-Control-Request-Method';

export function corsRule(options: CorsOptions | false | undefined): CorsRule | undefined {
  if (options === false) return undefined;
  return {
    allowedOrigins: options?.allowedOrigins ?? '*',
    exposeHeaders: options?.exposeHeaders ?? DEFAULT_EXPOSE_HEADERS,
  };
}

/** Headers for an actual (non-preflight) response; none when the origin is absent or not allowed. */
export function corsHeaders(request: Request, rule: CorsRule | undefined): Record<string, string> {
  const origin = request.headers.get('origin');
  if (!rule || origin === null || !allows(rule, origin)) return {};
  return {
    ...allowOrigin(rule, origin),
    'Access-Control-Allow-Methods': CORS_ALLOWED_METHODS.join(', '),
    ...(rule.exposeHeaders.length > 0 ? { 'Access-Control-Expose-Headers': rule.exposeHeaders.join(', ') } : {}),
    Vary: VARY,
  };
}

/** S3's answer to an OPTIONS preflight for a bucket or an object. */
export function preflight(
  request: Request,
  rule: CorsRule | undefined,
  resourceType: 'BUCKET' | 'OBJECT',
): Response | S3Failure {
  const origin = request.headers.get('origin');
  const method = request.headers.get('access-control-request-method');
  if (origin === null) return s3Failure(400, 'BadRequest', 'Insufficient information. Origin request header needed.');
  if (method === null) return s3Failure(400, 'BadRequest', 'Invalid Access-Control-Request-Method: null');
  const forbidden = (message: string) =>
    s3Failure(403, 'AccessForbidden', message, [
      ['Method', method],
      ['ResourceType', resourceType],
    ]);
  if (!rule) return forbidden('CORSResponse: CORS is not enabled for this bucket.');
  if (!allows(rule, origin) || !CORS_ALLOWED_METHODS.some((allowed) => allowed === method)) {
    // S3's wording, "evalution" included.
    return forbidden(
      "CORSResponse: This CORS request is not allowed. This is usually because the evalution of Origin, request method / Access-Control-Request-Method or Access-Control-Request-Headers are not whitelisted by the resource's CORS spec.",
    );
  }
  const requestedHeaders = request.headers.get('access-control-request-headers');
  return new Response(null, {
    status: 200,
    headers: {
      ...allowOrigin(rule, origin),
      'Access-Control-Allow-Methods': CORS_ALLOWED_METHODS.join(', '),
      // The rule allows any header (AllowedHeader "*"), so S3 echoes what the browser asked for.
      ...(requestedHeaders ? { 'Access-Control-Allow-Headers': requestedHeaders } : {}),
      ...(rule.exposeHeaders.length > 0 ? { 'Access-Control-Expose-Headers': rule.exposeHeaders.join(', ') } : {}),
      Vary: VARY,
    },
  });
}

// With AllowedOrigin "*" S3 answers "*"; with a named origin it echoes it and allows credentials.
function allowOrigin(rule: CorsRule, origin: string): Record<string, string> {
  return rule.allowedOrigins === '*'
    ? { 'Access-Control-Allow-Origin': '*' }
    : { 'Access-Control-Allow-Origin': origin, 'Access-Control-Allow-Credentials': 'true' };
}

function allows(rule: CorsRule, origin: string): boolean {
  if (rule.allowedOrigins === '*') return true;
  return rule.allowedOrigins.some((pattern) => {
    const star = pattern.indexOf('*');
    if (star === -1) return pattern === origin;
    const head = pattern.slice(0, star);
    const tail = pattern.slice(star + 1);
    return origin.length >= head.length + tail.length && origin.startsWith(head) && origin.endsWith(tail);
  });
}
