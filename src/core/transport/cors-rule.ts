// The bucket CORS rule a page needs to talk to S3, written for this page's origin. Shared by the errors
// that can only be fixed in the bucket's CORS configuration (a network error, a hidden ETag).
// https://docs.aws.amazon.com/AmazonS3/latest/userguide/ManageCorsUsing.html

/** The methods a browser upload sends: POST Object, and the PUT of each multipart part. */
export const UPLOAD_CORS_METHODS: readonly string[] = ['POST', 'PUT'];

/**
 * The bucket CORS configuration for `origin` (default: this page's), as JSON the S3 console takes
 * (`aws s3api put-bucket-cors` wants it wrapped: `{"CORSRules": [...]}`).
 */
export function bucketCorsRule(methods: readonly string[] = UPLOAD_CORS_METHODS, origin?: string): string {
  // ETag and Location are exposed because a 204 POST answer carries the upload's result only in those
  // headers, and a multipart upload cannot complete without each part's ETag; CORS hides both otherwise.
  return JSON.stringify([
    {
      AllowedOrigins: [origin ?? pageOrigin() ?? 'https://your-app.example'],
      AllowedMethods: [...methods],
      AllowedHeaders: ['*'],
      ExposeHeaders: ['ETag', 'Location'],
      MaxAgeSeconds: 3000,
    },
  ]);
}

/** This page's origin, or undefined where there is none a CORS rule could name. */
export function pageOrigin(): string | undefined {
  const origin = globalThis.location?.origin;
  // An opaque origin (file:, sandboxed frames) serializes as "null", which no CORS rule can name usefully.
  return origin === undefined || origin === 'null' || origin === '' ? undefined : origin;
}
