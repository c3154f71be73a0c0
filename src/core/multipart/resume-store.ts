// What it takes to resume a multipart upload after the page reloads: the upload id, key, bucket, part
// size and the parts already sent, kept in localStorage under a fingerprint of the file (name, size,
// lastModified: what a File picked again still has) and of the backend, so that two apps on one origin
// do not take each other's uploads. S3 stays the authority: on resume the kit asks ListParts.
// Storage is outside this program's control (another version of the kit, a user, a full quota), so an
// entry is parsed on the way in, and one that does not parse is dropped.

import type { ChecksumAlgorithm, FinishedPart } from './backends/backend';

export type ResumeStorage = Pick<Storage, 'getItem' | 'setItem' | 'removeItem' | 'key' | 'length'>;

export interface StoredUpload {
  readonly uploadId: string;
  readonly key: string;
  readonly bucket: string | undefined;
  readonly partSize: number;
  readonly checksumAlgorithm: ChecksumAlgorithm | undefined;
  readonly parts: readonly FinishedPart[];
  /** When CreateMultipartUpload answered (ms since the epoch): entries expire from then. */
  readonly createdAt: number;
}

export interface ResumeStore {
  load(fingerprint: string): StoredUpload | undefined;
  save(fingerprint: string, upload: StoredUpload): void;
  forget(fingerprint: string): void;
}

const PREFIX = 's3-direct-upload:multipart:';
// Incomplete uploads are commonly aborted by a lifecycle rule after 7 days
// (https://docs.aws.amazon.com/AmazonS3/latest/userguide/mpu-abort-incomplete-mpu-lifecycle-config.html).
export const DEFAULT_RESUME_TTL_MS = 7 * 24 * 60 * 60 * 1000;

export function fileFingerprint(file: File, backendIdentity: string, requestedKey: string | undefined): string {
  return JSON.stringify([backendIdentity, file.name, file.size, file.lastModified, requestedKey ?? null]);
}

/**
 * The store over `storage` (default localStorage), with expired and unreadable entries pruned; undefined
 * when there is no storage to use (disabled, blocked by the browser's privacy settings, no DOM).
 */
export function openResumeStore(options: { readonly storage?: ResumeStorage | undefined; readonly ttlMs?: number | undefined }, now: () => number = Date.now): ResumeStore | undefined {
  const storage = options.storage ?? defaultStorage();
  if (!storage) return undefined;
  const ttlMs = options.ttlMs ?? DEFAULT_RESUME_TTL_MS;
  const fresh = (entry: StoredUpload | undefined): entry is StoredUpload => entry !== undefined && now() - entry.createdAt < ttlMs;
  // Every write may throw (quota exceeded, storage disabled mid-session): resuming is a convenience,
  // never a reason to fail an upload.
  const quietly = (write: () => void): void => {
    try {
      write();
    } catch {
      // Nothing to do: the upload goes on without being resumable.
    }
  };

  quietly(() => {
    const keys: string[] = [];
    for (let index = 0; index < storage.length; index++) {
      const name = storage.key(index);
      if (name?.startsWith(PREFIX)) keys.push(name);
    }
    for (const name of keys) if (!fresh(parseEntry(storage.getItem(name)))) storage.removeItem(name);
  });

  return {
    load(fingerprint) {
      let entry: StoredUpload | undefined;
      quietly(() => {
        entry = parseEntry(storage.getItem(PREFIX + fingerprint));
      });
      if (fresh(entry)) return entry;
      quietly(() => storage.removeItem(PREFIX + fingerprint));
      return undefined;
    },
    save(fingerprint, upload) {
      quietly(() => storage.setItem(PREFIX + fingerprint, serialize(upload)));
    },
    forget(fingerprint) {
      quietly(() => storage.removeItem(PREFIX + fingerprint));
    },
  };
}

function defaultStorage(): ResumeStorage | undefined {
  try {
    // Reading localStorage itself throws where the browser blocks storage (SecurityError).
    return globalThis.localStorage ?? undefined;
  } catch {
    return undefined;
  }
}

// Compact, because it is rewritten as parts finish and a big file has thousands: parts as [n, etag, checksum?].
function serialize(upload: StoredUpload): string {
  return JSON.stringify({
    v: 1,
    uploadId: upload.uploadId,
    key: upload.key,
    bucket: upload.bucket,
    partSize: upload.partSize,
    checksumAlgorithm: upload.checksumAlgorithm,
    createdAt: upload.createdAt,
    parts: upload.parts.map((part) => (part.checksum === undefined ? [part.partNumber, part.etag] : [part.partNumber, part.etag, part.checksum])),
  });
}

function parseEntry(text: string | null): StoredUpload | undefined {
  if (text === null) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  const entry: Readonly<Record<string, unknown>> = Object.fromEntries(Object.entries(value));
  const { uploadId, key, bucket, partSize, checksumAlgorithm, createdAt, v } = entry;
  const parts: unknown = entry['parts'];
  if (v !== 1 || typeof uploadId !== 'string' || typeof key !== 'string' || !Array.isArray(parts)) return undefined;
  if (typeof partSize !== 'number' || typeof createdAt !== 'number') return undefined;
  if (bucket !== undefined && typeof bucket !== 'string') return undefined;
  if (checksumAlgorithm !== undefined && checksumAlgorithm !== 'CRC32' && checksumAlgorithm !== 'SHA256') return undefined;
  const finished: FinishedPart[] = [];
  const items: readonly unknown[] = parts;
  for (const part of items) {
    if (!Array.isArray(part)) return undefined;
    const [partNumber, etag, checksum]: readonly unknown[] = part;
    if (typeof partNumber !== 'number' || typeof etag !== 'string' || (checksum !== undefined && typeof checksum !== 'string')) return undefined;
    finished.push(checksum === undefined ? { partNumber, etag } : { partNumber, etag, checksum });
  }
  return { uploadId, key, bucket, partSize, checksumAlgorithm, createdAt, parts: finished };
}
