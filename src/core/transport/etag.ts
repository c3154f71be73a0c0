// S3 sends ETags quoted ("<hex>" or "<hex>-<parts>"); the kit hands them out without the quotes, and an
// empty one (radosgw's CompleteMultipartUpload answers <ETag></ETag>) as none.

export function unquoteEtag(etag: string | undefined): string | undefined {
  if (etag === undefined) return undefined;
  const trimmed = etag.trim();
  if (trimmed === '' || trimmed === '""') return undefined;
  return trimmed.length >= 2 && trimmed.startsWith('"') && trimmed.endsWith('"') ? trimmed.slice(1, -1) : trimmed;
}
