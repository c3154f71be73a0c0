// Header signing, the backend's half: the kit sends the string to sign with the canonical request it
// came from, and the backend answers { signature } (hex HMAC-SHA256 with its SigV4 signing key), as
// Fine Uploader's v4 chunking asks its `sign_headers` endpoint.
//
// The canonical request travels with the string to sign so that the backend can check what it signs
// (method, host, bucket, key prefix, operation) and refuse the rest: a backend that signed any string it
// is sent would be a signing oracle for its credentials, letting any page that can call it act on the
// account as freely as the backend's IAM policy allows. It must also check that the last line of the
// string to sign is the SHA-256 of that canonical request.

import { describeShape } from '../../diagnostics/describe-shape';
import { PolicyAnswerError } from '../../errors/PolicyAnswerError';
import { isS3UploadError } from '../../errors/S3UploadError';
import { UploadAbortedError } from '../../errors/UploadAbortedError';
import { postJson, type PolicyEndpoint } from '../../policy/policy-source';
import type { WarningSink } from './backend';
import { raceAbort } from '../../transport/signals';

/** What the kit asks the backend to sign. */
export interface HeaderSigningRequest {
  /** AWS4-HMAC-SHA256, x-amz-date, scope and the hex SHA-256 of canonicalRequest, one per line. */
  readonly stringToSign: string;
  /** The SigV4 canonical request of the S3 request the kit will send, for the backend to check. */
  readonly canonicalRequest: string;
  /** Fine Uploader's "headers": the string to sign with the canonical request itself in place of its hash. */
  readonly headers: string;
}

/** The app's own signer: resolves to { signature }. */
export type HeaderSigner = (request: HeaderSigningRequest, context: { readonly signal: AbortSignal }) => Promise<unknown>;

const HINT = 'Answer { "signature": "<64 lowercase hex digits>" }: hex(HMAC-SHA256(signing key for the scope in line 3 of stringToSign, stringToSign)).';

/** The signature, 64 lowercase hex digits; an uppercase one is lowered with a warning. */
export async function requestHeaderSignature(
  signer: string | PolicyEndpoint | HeaderSigner,
  request: HeaderSigningRequest,
  { signal, warn }: { readonly signal: AbortSignal; readonly warn: WarningSink },
): Promise<string> {
  const raw = typeof signer === 'function' ? await callSigner(signer, request, signal) : await postJson(typeof signer === 'string' ? { url: signer } : signer, request, signal, 'signature');
  const received = describeShape(raw);
  const value = typeof raw === 'object' && raw !== null && !Array.isArray(raw) ? Object.entries(raw).find(([name]) => name.toLowerCase() === 'signature')?.[1] : undefined;
  if (typeof value !== 'string') {
    throw new PolicyAnswerError(value === undefined ? 'missing-field' : 'wrong-type',
      `The signature endpoint must answer { signature } for a request it signs; got ${received}.`, HINT, { received });
  }
  const signature = value.trim();
  if (/^[0-9a-f]{64}$/.test(signature)) return signature;
  if (/^[0-9a-fA-F]{64}$/.test(signature)) {
    warn({
      code: 'signature-uppercase-hex',
      message: 'The signature endpoint answered uppercase hex; S3 compares the signature case-sensitively, so the kit sent it lowercased. Fix the backend to emit lowercase hex.',
    });
    return signature.toLowerCase();
  }
  const v2 = /^[0-9a-fA-F]{40}$/.test(signature);
  throw new PolicyAnswerError(v2 ? 'v2-signature' : 'bad-signature',
    v2
      ? 'The signature endpoint answered 40 hex digits, an HMAC-SHA1 (Signature Version 2) digest; a SigV4 header signature is 64 hex digits of HMAC-SHA256.'
      : `The signature endpoint answered a signature of ${signature.length} characters that are not 64 hex digits.`,
    HINT, { received });
}

async function callSigner(signer: HeaderSigner, request: HeaderSigningRequest, signal: AbortSignal): Promise<unknown> {
  try {
    return await raceAbort(Promise.resolve().then(() => signer(request, { signal })), signal);
  } catch (error) {
    if (signal.aborted || error instanceof UploadAbortedError || isS3UploadError(error)) throw error;
    throw new PolicyAnswerError('policy-function-failed', `The app's header signing function failed: ${error instanceof Error ? error.message : String(error)}.`,
      'See the cause of this error; the function must resolve to { signature }.', { cause: error });
  }
}
