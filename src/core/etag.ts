// S3 sends ETags quoted ("<hex>" or "<hex>-<parts>"); the kit hands them out without the quotes.

export function unquoteEtag(etag: string | undefined): string | undefined {
  if (etag === undefined) return undefined;
  const trimmed = etag.trim();
  return trimmed.length >= 2 && trimmed.startsWith('"') && trimmed.endsWith('"') ? trimmed.slice(1, -1) : trimmed;
}
