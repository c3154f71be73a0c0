// S3's refusals explained: one sentence on how to fix the request, built from S3's evidence (parsed in
// transport/s3-refusal.ts) read against what was sent, so that it names the value to fix.
// https://docs.aws.amazon.com/AmazonS3/latest/API/ErrorResponses.html

import { parseCredential, type CredentialScope } from '../policy/credential';
import type { S3ErrorDetails } from '../transport/s3-refusal';
import { decodePolicy } from './policy-problems';

export interface S3ErrorContext {
  /** The form fields that were sent, in order; the file excluded. */
  readonly fields: ReadonlyArray<readonly [string, string]>;
  readonly url: string;
  /** The bucket the kit addressed, when known. */
  readonly bucket?: string | undefined;
  /** The object key once S3 has expanded `${filename}`, when known. */
  readonly key?: string | undefined;
}

/** One sentence on how to fix the upload, built from S3's evidence and the fields that were sent. */
export function explainS3Error(details: S3ErrorDetails, status: number, context: S3ErrorContext): string {
  const facts = new Facts(details, context);
  const { message } = details;
  switch (details.code) {
    case 'SignatureDoesNotMatch':
      return explainSignature(facts);
    case 'AccessDenied':
      return explainAccessDenied(facts);
    case 'InvalidAccessKeyId': {
      const id = details.awsAccessKeyId ?? facts.scope?.accessKeyId ?? 'in X-Amz-Credential';
      const temporary = id.startsWith('ASIA') && facts.sent('x-amz-security-token') === undefined;
      return `S3 knows no access key ${id} (the key id of X-Amz-Credential)${temporary ? ', a temporary key sent without its X-Amz-Security-Token' : ''}: make the backend sign with an active key of the account that owns the bucket (not a deleted or deactivated one, nor one of another partition such as China or GovCloud), and send the session token too when the key is temporary.`;
    }
    case 'InvalidToken':
    case 'ExpiredToken': {
      const id = facts.scope?.accessKeyId ?? 'the signing key';
      if (facts.sent('x-amz-security-token') === undefined) {
        return `The form carries no X-Amz-Security-Token, yet ${id} is a temporary key: send its session token as X-Amz-Security-Token (with a condition for it in the policy), taken from the same credentials that signed.`;
      }
      return details.code === 'ExpiredToken'
        ? `The temporary credentials of ${id} expired before S3 checked the upload: make the backend refresh them (a new role session) before signing, and send the X-Amz-Security-Token of that same session.`
        : `S3 rejected the X-Amz-Security-Token sent: it must be the unaltered, unexpired session token of the same temporary credentials (${id}) that signed the policy, so refresh them and sign again.`;
    }
    case 'RequestTimeTooSkewed': {
      const server = details.elements['ServerTime'] ?? 'unknown';
      const request = details.elements['RequestTime'] ?? facts.sent('x-amz-date') ?? 'unknown';
      return `S3's clock read ${server} but the request was dated ${request} (X-Amz-Date), more than 15 minutes apart: fix the clock of the backend that sets X-Amz-Date, or of this device if it sets it (it reads ${new Date().toISOString()}), for example with NTP.`;
    }
    case 'EntityTooLarge': {
      const size = details.elements['ProposedSize'] ?? 'larger than allowed';
      const max = details.elements['MaxSizeAllowed'] ?? 'its maximum';
      return `The upload is ${size} bytes but the policy's content-length-range allows at most ${max}: choose a smaller file, or make the backend sign a larger maximum (one POST carries at most 5 GB).`;
    }
    case 'EntityTooSmall': {
      const part = details.elements['PartNumber'];
      if (part !== undefined) {
        const size = details.elements['ProposedSize'] ?? 'fewer';
        return `Part ${part} of the multipart upload is ${size} bytes, but every part except the last must be at least ${details.elements['MinSizeAllowed'] ?? '5242880'} bytes (5 MiB): upload with a partSize of at least 5 MiB, and every part but the last exactly that size.`;
      }
      const size = details.elements['ProposedSize'] ?? 'smaller than allowed';
      const min = details.elements['MinSizeAllowed'] ?? 'its minimum';
      return `The upload is ${size} bytes but the policy's content-length-range requires at least ${min}: choose a larger file, or make the backend sign a lower minimum.`;
    }
    case 'InvalidArgument': {
      // A POST signed for the wrong region gets InvalidArgument (ArgumentName X-Amz-Credential), not the
      // AuthorizationQueryParametersError of presigned URLs.
      const wrongRegion = explainWrongRegion(facts);
      if (wrongRegion !== undefined) return wrongRegion;
      const name = details.elements['ArgumentName'];
      const value = details.elements['ArgumentValue'];
      const what = name === undefined ? 'an argument' : `${name}${value === undefined ? '' : ` = ${JSON.stringify(value)}`}`;
      return `S3 rejected ${what} (${message || 'no reason given'}): fix that field in the answer the backend sends.`;
    }
    case 'MalformedPOSTRequest': {
      const extra = facts.sent('file') === undefined ? '' : ' (a text field named "file" was sent too: rename it)';
      return `S3 could not read the body as multipart/form-data: send a FormData whose last part is the file${extra}, and do not set Content-Type by hand, because the browser must add the boundary.`;
    }
    case 'InvalidRequest':
      if (/authorization mechanism.*not supported/i.test(message)) {
        const v2 = facts.fields.map(([name]) => name).filter((name) => /^(awsaccesskeyid|signature)$/i.test(name));
        return `The bucket's region accepts only Signature Version 4 but the form was signed the Version 2 way${v2.length > 0 ? ` (it sent ${v2.join(', ')})` : ''}: sign with SigV4 and send X-Amz-Algorithm (AWS4-HMAC-SHA256), X-Amz-Credential, X-Amz-Date and X-Amz-Signature as 64 lowercase hex digits.`;
      }
      return generic(details, status, facts);
    case 'AuthorizationQueryParametersError':
    case 'AuthorizationHeaderMalformed':
      return (
        explainWrongRegion(facts) ??
        `S3 could not read the SigV4 credential (${message}): X-Amz-Credential must be <access-key-id>/<yyyymmdd>/<region>/s3/aws4_request, and the form sent ${JSON.stringify(facts.sent('x-amz-credential') ?? 'none')}.`
      );
    case 'InvalidPolicyDocument': {
      const policy = facts.sent('policy');
      const decoded = policy === undefined ? undefined : decodePolicy(policy);
      const found = policy === undefined ? '; no Policy field was sent' : decoded && !decoded.ok ? `; ${decoded.detail}` : '';
      return `S3 could not read the policy (${message})${found}: the Policy field must be base64 of a UTF-8 JSON object with an ISO 8601 "expiration" and a "conditions" array.`;
    }
    case 'NoSuchBucket': {
      const bucket = details.elements['BucketName'] ?? facts.bucket ?? 'addressed';
      return `No bucket named ${bucket} exists at ${facts.host}: check the bucket name in the upload URL and that the URL is the endpoint of the bucket's region or S3-compatible service.`;
    }
    case 'PermanentRedirect': {
      const endpoint = details.elements['Endpoint'];
      const bucket = details.elements['Bucket'] ?? facts.bucket ?? 'the bucket';
      if (endpoint === undefined) return `The bucket ${bucket} lives in another region than ${facts.host} serves: upload to the endpoint of its region and sign for that region.`;
      const region = details.region ?? /s3[.-]([a-z]{2}(?:-[a-z]+)+-\d)\./.exec(endpoint)?.[1];
      return `The bucket ${bucket} lives in another region's endpoint, ${endpoint}, not ${facts.host}: send the POST to https://${endpoint}/ and sign for ${region ?? 'that region'}.`;
    }
    // The multipart operations: https://docs.aws.amazon.com/AmazonS3/latest/API/API_CompleteMultipartUpload.html#API_CompleteMultipartUpload_Errors
    case 'NoSuchUpload': {
      const id = details.elements['UploadId'] ?? new URL(context.url, 'https://s3.invalid').searchParams.get('uploadId') ?? 'this upload id';
      return `S3 no longer knows the multipart upload ${id} under this key: it was completed, aborted (by a cancel, another tab, or a lifecycle rule that aborts incomplete uploads), or the id belongs to another key. Start the upload again; the kit forgets a stored upload S3 no longer knows.`;
    }
    case 'InvalidPart': {
      const part = details.elements['PartNumber'] ?? 'a part';
      const etag = details.elements['ETag'];
      return `CompleteMultipartUpload listed part ${part}${etag === undefined ? '' : ` with ETag ${etag}`}, which S3 does not hold for this upload with that ETag (never uploaded, uploaded again since, or an ETag read wrongly): list each part with the ETag its own UploadPart answered, and its checksum when the upload declared one.`;
    }
    case 'InvalidPartOrder':
      return `CompleteMultipartUpload must list the parts in ascending part number order${details.elements['PartNumber'] === undefined ? '' : `, and part ${details.elements['PartNumber']} came out of order`}: sort the list by part number.`;
    case 'SlowDown':
      return `S3 asked to slow down (${status} SlowDown): too many requests to this prefix, so retry the upload after a short wait, backing off if it repeats (the kit does so itself, honouring Retry-After when the bucket's CORS rule exposes it: see the retry option); if it keeps happening, send fewer requests at once (multipart.concurrency) or spread keys over more prefixes.`;
    case 'AccessControlListNotSupported':
      return `The bucket has ACLs disabled (Object Ownership: bucket owner enforced) but the form sent acl = ${JSON.stringify(facts.sent('acl') ?? '')}: drop the acl field and its policy condition on the backend, or enable ACLs on the bucket.`;
    default:
      return generic(details, status, facts);
  }
}

/** "the region 'x' is wrong; expecting 'y'", in whichever error S3 chose to carry it. */
function explainWrongRegion(facts: Facts): string | undefined {
  const match = /region '([^']*)' is wrong; expecting '([^']*)'/i.exec(facts.details.message);
  const expected = match?.[2] ?? (facts.details.code.startsWith('Authorization') ? facts.details.region : undefined);
  if (expected === undefined) return undefined;
  const signed = match?.[1] ?? facts.scope?.region ?? 'another region';
  const scope = `${facts.scope?.accessKeyId ?? '<key>'}/${facts.scope?.date ?? '<yyyymmdd>'}/${expected}/s3/aws4_request`;
  return `The bucket lives in ${expected} but the form was signed for ${signed}: sign for ${expected} (X-Amz-Credential ${scope}) and send the POST to ${expected}'s endpoint, ${endpointFor(facts.bucket, expected)}.`;
}

/** The fields and URL of the failed request, looked up the way S3 does (field names ignore case). */
class Facts {
  readonly fields: ReadonlyArray<readonly [string, string]>;
  readonly host: string;
  readonly bucket: string | undefined;
  readonly key: string | undefined;
  readonly scope: CredentialScope | undefined;

  constructor(readonly details: S3ErrorDetails, context: S3ErrorContext) {
    this.fields = context.fields;
    this.host = URL.canParse(context.url) ? new URL(context.url).host : context.url;
    this.bucket = context.bucket;
    this.key = context.key;
    const credential = this.sent('x-amz-credential');
    const parsed = credential === undefined ? undefined : parseCredential(credential);
    this.scope = parsed?.ok ? parsed.scope : undefined;
  }

  sent(name: string): string | undefined {
    const lower = name.toLowerCase();
    return this.fields.find(([field]) => field.toLowerCase() === lower)?.[1];
  }
}

// For a POST, S3's StringToSign is the base64 Policy field itself, and the signature is
// hex(HMAC-SHA256(signing key, policy)): https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-HTTPPOSTConstructPolicy.html
function explainSignature(facts: Facts): string {
  const { stringToSign } = facts.details;
  const policy = facts.sent('policy');
  const date = facts.scope?.date ?? facts.sent('x-amz-date')?.slice(0, 8) ?? 'unknown';
  const region = facts.scope?.region ?? 'unknown';
  const scope = `${date}/${region}/s3/aws4_request`;
  const signature = facts.details.signatureProvided ?? facts.sent('x-amz-signature');
  if (signature !== undefined && !/^[0-9a-f]{64}$/.test(signature)) {
    const shape = /^[0-9a-fA-F]{64}$/.test(signature) ? 'uppercase hex' : 'not 64 hex digits';
    return `S3 received the signature ${JSON.stringify(signature)}, which is ${shape}: make the backend send hex(HMAC-SHA256(signing key for ${scope}, base64 policy)) as 64 lowercase hex digits.`;
  }
  if (stringToSign?.startsWith('AWS4-HMAC-SHA256\n')) {
    return `S3 checked a header-signed request, not a POST policy, and its StringToSign (AWS4-HMAC-SHA256, date, scope and the hash of .s3.canonicalRequest) differs from what the backend signed: build that exact canonical request and string to sign, sign for ${scope}, and send the signature as 64 lowercase hex digits.`;
  }
  if (stringToSign !== undefined && policy !== undefined) {
    if (stringToSign.trim() === policy.trim()) {
      return `S3 computed the signature over exactly the policy sent, so the backend signed it with a different secret key, date (${date}) or region (${region}) than X-Amz-Credential names, or returned uppercase hex or signed something other than the base64 policy: sign the base64 Policy text with the key derived from the secret of ${facts.scope?.accessKeyId ?? 'the access key'} for ${scope}, and send it as 64 lowercase hex digits.`;
    }
    const whitespace = stringToSign.replace(/\s/g, '') === policy.replace(/\s/g, '') ? ', only in whitespace or line breaks' : '';
    return `The policy S3 saw (StringToSign, ${stringToSign.length} characters) differs from the Policy field sent (${policy.length} characters)${whitespace}, so the policy was changed after it was signed (re-encoded, URL-encoded, base64 with line breaks?): send exactly the base64 text the backend signed, with its signature as 64 lowercase hex digits.`;
  }
  return `S3 did not accept the signature: make the backend sign the exact base64 Policy field with the key derived from its secret for ${scope} (the date and region of X-Amz-Credential), and send the result as 64 lowercase hex digits.`;
}

// S3 quotes the broken rule after "Invalid according to Policy:".
// https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-HTTPPOSTConstructPolicy.html#sigv4-PolicyConditions
function explainAccessDenied(facts: Facts): string {
  const { message } = facts.details;
  // A presigned URL, or a header signature, must cover every x-amz-* header sent:
  // https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-query-string-auth.html
  const unsigned = facts.details.elements['HeadersNotSigned'];
  if (unsigned !== undefined || /headers present in the request which were not signed/i.test(message)) {
    const names = unsigned ?? 'some x-amz-* headers';
    return `The request carried ${names}, which its signature does not cover: S3 wants every x-amz-* header signed. Make the backend sign them (AWS SDK v3: getSignedUrl(client, command, { unhoistableHeaders: new Set([${names.split(/\s*,\s*/).map((name) => `'${name}'`).join(', ')}]) }), with the S3Client created with requestChecksumCalculation: 'WHEN_REQUIRED' so that it adds no checksum of its own), or stop sending them.`;
  }
  if (/request has expired/i.test(message)) {
    const expires = facts.details.elements['Expires'];
    const server = facts.details.elements['ServerTime'];
    return `The presigned URL expired${expires === undefined ? '' : ` at ${expires}`}${server === undefined ? '' : ` (S3's clock read ${server})`}: the kit asks the backend for a fresh one and retries; if fresh URLs are expired too, presign them for longer (expiresIn) and check the backend's clock.`;
  }
  const condition = /Policy Condition failed:\s*(.+)$/is.exec(message)?.[1]?.trim();
  if (condition !== undefined) {
    const name = conditionField(condition);
    if (name === undefined) return `S3 found the policy condition ${condition} unmet: send the value it expects, or make the backend sign a condition that allows the value sent.`;
    const value = name.toLowerCase() === 'bucket' ? facts.bucket : facts.sent(name);
    const got = value === undefined ? `${name}, which the form did not send` : `${name} = ${JSON.stringify(value)} as sent`;
    return `S3 found the policy condition ${condition} unmet by ${got}: make the backend sign a condition that allows this value, or send the value the policy expects.`;
  }
  const extra = /Extra input fields:\s*(.+)$/is.exec(message)?.[1]?.trim();
  if (extra !== undefined) {
    const names = extra.split(/\s*,\s*/).filter(Boolean);
    return `S3 rejects fields the policy does not name, and the form sent ${names.join(', ')}: add a condition for each to the policy the backend signs (["starts-with", "$${names[0] ?? 'name'}", ""] allows any value), or stop sending them.`;
  }
  if (/Policy expired/i.test(message)) {
    const policy = facts.sent('policy');
    const decoded = policy === undefined ? undefined : decodePolicy(policy);
    const at = decoded?.ok ? ` at ${decoded.document.expiration.toISOString()}` : '';
    return `The policy expired${at} by S3's clock: ask the backend for a fresh policy right before each upload, give it a longer expiration, and check that the backend's clock is right.`;
  }
  if (/Invalid according to Policy/i.test(message)) {
    return `S3 says the form breaks the policy (${message}): compare the fields sent with the policy's conditions.`;
  }
  const id = facts.scope?.accessKeyId ?? 'the signing key';
  const key = facts.key ?? facts.sent('key') ?? '<key>';
  const permission = `allow s3:PutObject on arn:aws:s3:::${facts.bucket ?? '<bucket>'}/${key} for that IAM user or role (and s3:PutObjectAcl when an acl field is sent, kms:GenerateDataKey for SSE-KMS), and check that no bucket policy or SCP denies it`;
  // AWS names a bad signature SignatureDoesNotMatch, but S3-compatible stores (Ceph radosgw, seen in
  // e2e/differential.test.ts) answer a bare AccessDenied, so a plain denial of a signed form may be either.
  if (!/amazonaws\.com(\.cn)?$/i.test(facts.host.replace(/:\d+$/, '')) && facts.sent('x-amz-signature') !== undefined) {
    const scope = facts.scope ? `${facts.scope.date}/${facts.scope.region}/s3/aws4_request` : 'the credential scope';
    return `This store denied the upload without naming a policy condition, which S3-compatible stores such as Ceph also answer for a signature that does not match: check that the backend signs the base64 policy with the secret of ${id} for ${scope}, as 64 lowercase hex digits; if it does, ${permission}.`;
  }
  return `S3 denied the upload to the identity of ${id}: ${permission}.`;
}

/** The field a condition quoted by S3 names: `["eq", "$key", "a"]` or `{"acl": "private"}`. */
function conditionField(condition: string): string | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(condition);
  } catch {
    return /"\$([^"]+)"/.exec(condition)?.[1];
  }
  if (Array.isArray(parsed)) {
    const name: unknown = parsed[1];
    return typeof name === 'string' && name.startsWith('$') ? name.slice(1) : undefined;
  }
  if (typeof parsed === 'object' && parsed !== null) return Object.keys(parsed)[0];
  return undefined;
}

function endpointFor(bucket: string | undefined, region: string): string {
  return bucket === undefined ? `https://s3.${region}.amazonaws.com/` : `https://${bucket}.s3.${region}.amazonaws.com/`;
}

function generic(details: S3ErrorDetails, status: number, facts: Facts): string {
  const fromS3 = !details.code.startsWith('http-');
  if (status >= 500) {
    return fromS3
      ? `S3 had a passing problem (${details.code}, ${status}): retry the upload after a short wait, backing off if it repeats.`
      : `Something between this page and S3 (a proxy, a CDN, or S3 itself) failed with ${status}: retry the upload, and if it persists check what serves ${facts.host}.`;
  }
  if (!fromS3) {
    return `The answer is not S3's XML error, so something other than S3 probably answered: check that the upload URL is the bucket's S3 endpoint (not a website endpoint, a CDN or your own server) and that no proxy at ${facts.host} rewrites the POST.`;
  }
  return `S3 answered ${details.code}${details.message === '' ? '' : ` (${details.message})`}: look the code up in https://docs.aws.amazon.com/AmazonS3/latest/API/ErrorResponses.html#ErrorCodeList and compare the fields sent with what the policy expects.`;
}
