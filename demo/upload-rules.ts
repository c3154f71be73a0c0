// Which files the page's two uploaders take, checked in the browser before the backend is asked. The
// size cap is the backend's (GET /api/config), the same number its policies put in content-length-range,
// so a file the page takes is one S3 will take.
import type { PublicConfig } from './api';

export interface FileRules {
  readonly accept: readonly string[];
  readonly maxSize: number;
}

/** Pictures, PDFs and plain text: what a visitor has at hand, and what a browser can show back. */
export const ACCEPT: readonly string[] = ['image/*', 'application/pdf', 'text/plain'];

export function fileRulesFor(config: Pick<PublicConfig, 'maxSize'>): FileRules {
  return { accept: ACCEPT, maxSize: config.maxSize };
}
