// Sizes and speeds as the page prints them: binary steps with the units file pickers use ("10 MB" is
// 10 * 1024 * 1024 bytes), like <Uploader>'s own rows, so both uploaders say the same thing.

const UNITS = ['KB', 'MB', 'GB'] as const;

export function formatBytes(bytes: number): string {
  if (!Number.isFinite(bytes) || bytes < 1024) return `${Math.max(0, Math.round(Number.isFinite(bytes) ? bytes : 0))} B`;
  let value = bytes / 1024;
  let unit: (typeof UNITS)[number] = 'KB';
  for (const next of UNITS.slice(1)) {
    if (value < 1024) break;
    value /= 1024;
    unit = next;
  }
  return `${value < 10 ? value.toFixed(1) : Math.round(value)} ${unit}`;
}

/** Bytes per second as KB/s or MB/s; an empty string before the first progress event (rate 0). */
export function formatRate(bytesPerSecond: number): string {
  if (!(bytesPerSecond > 0)) return '';
  // Below 1 KB/s still reads as KB/s: "B/s" next to "MB/s" looks like a unit slip.
  return bytesPerSecond < 1024 ? `${(bytesPerSecond / 1024).toFixed(1)} KB/s` : `${formatBytes(bytesPerSecond)}/s`;
}
