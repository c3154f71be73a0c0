// S3 compares the X-Amz-Signature of a POST form with the hex it computes, character for character:
// it must be 64 lowercase hex digits (https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-post-example.html).
// Backends get this wrong in lossless ways (uppercase hex, base64 of the same 32 bytes), which the kit
// repairs with a warning, and in lossy ones (a Signature Version 2 HMAC-SHA1), which it refuses.

import { base64ToBytes, bytesToHex } from '../codec';
import type { UploadWarning } from '../warnings';

export type SignatureCheck =
  | { readonly ok: true; readonly hex: string; readonly warning?: UploadWarning }
  | { readonly ok: false; readonly code: 'v2-signature' | 'bad-signature'; readonly message: string; readonly hint: string };

/** How to move a form from Signature Version 2 to Version 4, for every error that finds V2 in it. */
export const SIGNATURE_V2_HINT =
  'Sign with Signature Version 4: send X-Amz-Algorithm, X-Amz-Credential, X-Amz-Date, Policy and X-Amz-Signature (64 lowercase hex digits of HMAC-SHA256 with the derived signing key), and drop AWSAccessKeyId and Signature.';

const SHA1_BYTES = 20;
const SHA256_BYTES = 32;

export function normaliseSignature(text: string): SignatureCheck {
  const value = text.trim();
  if (/^[0-9a-f]{64}$/.test(value)) return { ok: true, hex: value };
  if (/^[0-9a-fA-F]{64}$/.test(value)) {
    return {
      ok: true,
      hex: value.toLowerCase(),
      warning: {
        code: 'signature-uppercase-hex',
        message: 'The backend sent X-Amz-Signature in uppercase hex; S3 compares it case-sensitively, so the kit sent it lowercased. Fix the backend to emit lowercase hex.',
      },
    };
  }
  if (/^[0-9a-fA-F]{40}$/.test(value)) return v2(`40 hex digits`);
  const bytes = base64ToBytes(value);
  if (bytes?.length === SHA256_BYTES) {
    return {
      ok: true,
      hex: bytesToHex(bytes),
      warning: {
        code: 'signature-base64',
        message: 'The backend sent X-Amz-Signature as base64; S3 wants the same 32 bytes as 64 lowercase hex digits, so the kit converted it. Fix the backend to emit hex.',
      },
    };
  }
  if (bytes?.length === SHA1_BYTES) return v2('base64 of 20 bytes');
  return {
    ok: false,
    code: 'bad-signature',
    message: `X-Amz-Signature is ${value.length} characters that are neither 64 hex digits nor base64 of a 32-byte HMAC-SHA256.`,
    hint: 'Return the signature as the lowercase hex of HMAC-SHA256(signing key, base64 policy).',
  };
}

function v2(form: string): SignatureCheck {
  return {
    ok: false,
    code: 'v2-signature',
    message: `The signature is ${form}: an HMAC-SHA1 Signature Version 2 digest, but the form is Signature Version 4, where S3 expects 64 hex digits of HMAC-SHA256.`,
    hint: SIGNATURE_V2_HINT,
  };
}
