// The classic backend mistakes the demo backend can commit on purpose (?mistake=<name> on every policy
// endpoint), so the page can show who catches each one and what it says. Shared by the backend and the
// page, so it imports nothing.

export const MISTAKES = [
  'uppercase-hex',
  'base64-signature',
  'v2-field-names',
  'expired',
  'wrong-region',
  'missing-field',
  'wrong-secret',
  'size-in-kilobytes',
  'content-type-mismatch',
  'key-outside-prefix',
] as const;

export type Mistake = (typeof MISTAKES)[number];

export function isMistake(value: string): value is Mistake {
  return MISTAKES.some((mistake) => mistake === value);
}

/** What the backend does wrong, and who is expected to notice. */
export const MISTAKE_DESCRIPTIONS: Readonly<Record<Mistake, string>> = {
  'uppercase-hex':
    'Sends X-Amz-Signature in uppercase hex. S3 compares signatures as text; the kit lowercases it and warns.',
  'base64-signature':
    'Sends X-Amz-Signature as base64 of the HMAC instead of hex. The kit converts it and warns.',
  'v2-field-names':
    'Adds the Signature Version 2 fields AWSAccessKeyId and Signature (for sign-my-policy: answers a V2 HMAC-SHA1 signature). The kit refuses before sending.',
  expired: 'Signs a policy whose expiration is an hour in the past. The kit refuses before sending.',
  'wrong-region':
    'Scopes the credential to another region than the bucket. The kit catches it when the upload URL names the region (AWS endpoints); otherwise S3 refuses it.',
  'missing-field':
    'Sends acl=public-read, which the policy does not cover (for sign-my-policy: drops the success_action_status condition before signing). The kit refuses before sending.',
  'wrong-secret':
    'Signs with a wrong secret key. Only S3 can tell: AWS answers SignatureDoesNotMatch (Ceph radosgw a bare AccessDenied), and the kit explains its evidence.',
  'size-in-kilobytes':
    'Writes the content-length-range maximum in kilobytes (the limit / 1024) where S3 counts bytes, so the policy allows far less than the page says. The kit refuses a bigger file before sending.',
  'content-type-mismatch':
    'Signs a policy that requires Content-Type image/png exactly, whatever file is sent. The kit refuses any other type before sending.',
  'key-outside-prefix':
    'Signs the key condition ["starts-with", "$key", "private/"] while the key it hands out is under uploads/. The kit refuses the key before sending.',
};
