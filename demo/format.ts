// Sizes and speeds as the page prints them, with the kit's own formatBytes, so both uploaders say the
// same thing.
import { formatBytes } from 's3-direct-upload/react';

export { formatBytes };

/** Bytes per second as KB/s or MB/s; an empty string before the first progress event (rate 0). */
export function formatRate(bytesPerSecond: number): string {
  if (!(bytesPerSecond > 0)) return '';
  // Below 1 KB/s still reads as KB/s: "B/s" next to "MB/s" looks like a unit slip.
  return bytesPerSecond < 1024 ? `${(bytesPerSecond / 1024).toFixed(1)} KB/s` : `${formatBytes(bytesPerSecond)}/s`;
}
