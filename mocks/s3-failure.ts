// An S3 error answer as data: status, Code, Message and the extra elements S3 adds after Message.
// Operations return one instead of throwing; s3-emulator.ts renders it as S3's XML with request ids.
// https://docs.aws.amazon.com/AmazonS3/latest/API/ErrorResponses.html#RESTErrorResponses

export interface S3Failure {
  readonly kind: 's3-failure';
  readonly status: number;
  readonly code: string;
  readonly message: string;
  /** Elements S3 writes between Message and RequestId, in S3's order (ArgumentName, StringToSign, ...). */
  readonly details: ReadonlyArray<readonly [name: string, value: string]>;
}

export function s3Failure(
  status: number,
  code: string,
  message: string,
  details: ReadonlyArray<readonly [string, string]> = [],
): S3Failure {
  return { kind: 's3-failure', status, code, message, details };
}

export function isS3Failure(value: unknown): value is S3Failure {
  return typeof value === 'object' && value !== null && 'kind' in value && value.kind === 's3-failure';
}

// S3's answers that several operations share. Operation-specific ones live with their operation.

export function noSuchBucket(bucket: string): S3Failure {
  return s3Failure(404, 'NoSuchBucket', 'The specified bucket does not exist', [['BucketName', bucket]]);
}

export function noSuchKey(key: string): S3Failure {
  return s3Failure(404, 'NoSuchKey', 'The specified key does not exist.', [['Key', key]]);
}

export function methodNotAllowed(method: string, resourceType: 'BUCKET' | 'OBJECT' | 'SERVICE'): S3Failure {
  return s3Failure(405, 'MethodNotAllowed', 'The specified method is not allowed against this resource.', [
    ['Method', method],
    ['ResourceType', resourceType],
  ]);
}

/** S3's code for a feature it lacks; the message says plainly that it is this emulator that lacks it. */
export function notImplemented(what: string): S3Failure {
  return s3Failure(501, 'NotImplemented', `The S3 emulator does not implement ${what}.`);
}
