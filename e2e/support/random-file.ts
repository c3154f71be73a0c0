// Files on disk for the browser to pick (setInputFiles / a file chooser take a path, so a 100 MB file is
// never copied through the test's memory), with the SHA-256 the object stored in S3 must have.

import { createHash, randomBytes } from 'node:crypto';
import { open, truncate, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

export interface LocalFile {
  readonly path: string;
  readonly name: string;
  readonly size: number;
  /** Lowercase hex. */
  readonly sha256: string;
}

const CHUNK = 1024 * 1024;

/** `size` random bytes: incompressible, so nothing on the way can make the upload smaller than it is. */
export async function writeRandomFile(dir: string, name: string, size: number): Promise<LocalFile> {
  const path = join(dir, name);
  const hash = createHash('sha256');
  const handle = await open(path, 'w');
  try {
    for (let written = 0; written < size; written += CHUNK) {
      const chunk = randomBytes(Math.min(CHUNK, size - written));
      hash.update(chunk);
      await handle.write(chunk);
    }
  } finally {
    await handle.close();
  }
  return { path, name, size, sha256: hash.digest('hex') };
}

/** A small text file with the given content. */
export async function writeTextFile(dir: string, name: string, text: string): Promise<LocalFile> {
  const path = join(dir, name);
  const bytes = Buffer.from(text, 'utf8');
  await writeFile(path, bytes);
  return { path, name, size: bytes.length, sha256: createHash('sha256').update(bytes).digest('hex') };
}

/**
 * A sparse file of `size` zero bytes: it takes no disk space, and is for a file the page must refuse by
 * its size alone, before reading a byte of it.
 */
export async function writeSparseFile(dir: string, name: string, size: number): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, '');
  await truncate(path, size);
  return path;
}
