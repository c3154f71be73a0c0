// S3's documented spelling of POST form fields
// (https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-HTTPPOSTForms.html). S3 reads names
// case-insensitively; the kit still sends the documented spelling, so what shows in a network log
// matches the docs and two spellings of one field cannot both be sent.

const DOCUMENTED = [
  'key',
  'acl',
  'bucket',
  'success_action_redirect',
  'success_action_status',
  'redirect',
  'tagging',
  'Cache-Control',
  'Content-Type',
  'Content-Disposition',
  'Content-Encoding',
  'Expires',
  'Policy',
  'X-Amz-Algorithm',
  'X-Amz-Credential',
  'X-Amz-Date',
  'X-Amz-Security-Token',
  'X-Amz-Signature',
];

const BY_LOWER = new Map(DOCUMENTED.map((name) => [name.toLowerCase(), name]));

export function canonicalFieldName(name: string): string {
  const lower = name.toLowerCase();
  const documented = BY_LOWER.get(lower);
  if (documented) return documented;
  // x-amz-meta-* and the other x-amz-* headers are documented in lowercase; S3 stores metadata
  // names lowercased, so lowering loses nothing.
  if (lower.startsWith('x-amz-')) return lower;
  return name;
}
