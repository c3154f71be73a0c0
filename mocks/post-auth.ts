// Who signed a POST form, and whether the signature over the policy holds.
// https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-authentication-HTTPPOST.html
// https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-HTTPPOSTForms.html
// Order and wording follow S3's captured answers: the SigV4 fields are all-or-none and a missing one
// is named (algorithm before credential); with none of them the request is anonymous; the signature
// is checked over the policy text as received, before the policy is decoded.

import { parseAmzDate, parseCredential, SIGV4_ALGORITHM } from '../src/core/policy/credential';
import { credentialMessage, findCredential, wrongRegionMessage, type EmulatedCredential } from './access-keys';
import type { PostForm } from './multipart-form';
import { isS3Failure, s3Failure, signatureDoesNotMatch, type S3Failure } from './s3-failure';
import { policySignatureV2, policySignatureV4 } from './sigv4';

export interface PostAuthOptions {
  readonly region: string;
  readonly credentials: readonly EmulatedCredential[];
  readonly allowSignatureV2: boolean;
}

export type PostAuthorization =
  | { readonly kind: 'anonymous' }
  | {
      readonly kind: 'signed';
      /** The base64 policy as sent. */
      readonly policy: string;
      /** The fields the policy must cover: the form's, minus the SigV2 credentials, which S3 exempts. */
      readonly fields: ReadonlyArray<readonly [string, string]>;
    };

const V4_FIELDS = ['X-Amz-Algorithm', 'X-Amz-Credential', 'X-Amz-Date', 'X-Amz-Signature', 'Policy'];
const V2_FIELDS = ['AWSAccessKeyId', 'Signature', 'Policy'];

export function authorizePost(form: PostForm, options: PostAuthOptions): PostAuthorization | S3Failure {
  if (V4_FIELDS.slice(0, 4).some((name) => form.has(name))) return authorizeV4(form, options);
  if (form.has('AWSAccessKeyId') || form.has('Signature')) return authorizeV2(form, options);
  return { kind: 'anonymous' };
}

function authorizeV4(form: PostForm, options: PostAuthOptions): PostAuthorization | S3Failure {
  const missing = V4_FIELDS.find((name) => !form.has(name));
  if (missing) return missingField(missing);
  const value = (name: string): string => form.get(name) ?? '';

  const algorithm = value('X-Amz-Algorithm');
  if (algorithm !== SIGV4_ALGORITHM) {
    return invalidArgument(`X-Amz-Algorithm only supports "${SIGV4_ALGORITHM}"`, 'X-Amz-Algorithm', algorithm);
  }
  const credential = value('X-Amz-Credential');
  const parsed = parseCredential(credential);
  if (!parsed.ok) return invalidArgument(credentialMessage(parsed.problem), 'X-Amz-Credential', credential);
  const scope = parsed.scope;
  // S3 answers a POST in the wrong region with InvalidArgument, not the AuthorizationQueryParametersError
  // a presigned URL gets, and without its "Error parsing ..." prefix (captured, e.g.
  // https://github.com/CulturalMe/meteor-slingshot/issues/150).
  if (scope.region !== options.region) {
    return s3Failure(400, 'InvalidArgument', wrongRegionMessage(scope.region, options.region), [
      ['ArgumentName', 'X-Amz-Credential'],
      ['ArgumentValue', credential],
      ['Region', options.region],
    ]);
  }
  const date = value('X-Amz-Date');
  if (parseAmzDate(date) === undefined) {
    // S3's own spelling, "formated" included.
    return invalidArgument('X-Amz-Date must be formated via ISO8601 Long format', 'X-Amz-Date', date);
  }

  const known = findCredential(options.credentials, scope.accessKeyId, form.get('X-Amz-Security-Token'));
  if (isS3Failure(known)) return known;
  const policy = value('Policy');
  const provided = value('X-Amz-Signature');
  if (provided !== policySignatureV4(known.secretAccessKey, scope, policy)) {
    return signatureDoesNotMatch({ accessKeyId: scope.accessKeyId, stringToSign: policy, provided });
  }
  return { kind: 'signed', policy, fields: form.fields };
}

// SigV2 exists only in regions older than 2014; emulating a current one, refuse it unless asked.
function authorizeV2(form: PostForm, options: PostAuthOptions): PostAuthorization | S3Failure {
  if (!options.allowSignatureV2) {
    return s3Failure(
      400,
      'InvalidRequest',
      'The authorization mechanism you have provided is not supported. Please use AWS4-HMAC-SHA256.',
    );
  }
  const missing = V2_FIELDS.find((name) => !form.has(name));
  if (missing) return missingField(missing);
  const accessKeyId = form.get('AWSAccessKeyId') ?? '';
  const known = findCredential(options.credentials, accessKeyId, form.get('X-Amz-Security-Token'));
  if (isS3Failure(known)) return known;
  const policy = form.get('Policy') ?? '';
  const provided = form.get('Signature') ?? '';
  if (provided !== policySignatureV2(known.secretAccessKey, policy)) {
    return signatureDoesNotMatch({ accessKeyId, stringToSign: policy, provided });
  }
  // "except AWSAccessKeyId, signature, file, policy, and field names that have an x-ignore- prefix"
  const exempt = new Set(['awsaccesskeyid', 'signature']);
  return { kind: 'signed', policy, fields: form.fields.filter(([name]) => !exempt.has(name.toLowerCase())) };
}

function missingField(name: string): S3Failure {
  return invalidArgument(
    `Bucket POST must contain a field named '${name}'.  If it is specified, please check the order of the fields.`,
    name,
    '',
  );
}

function invalidArgument(message: string, name: string, value: string): S3Failure {
  return s3Failure(400, 'InvalidArgument', message, [
    ['ArgumentName', name],
    ['ArgumentValue', value],
  ]);
}
