// Where the demo lets the page write: every key under KEY_PREFIX, in a fresh folder per upload, so that
// one upload cannot overwrite another's. The policy endpoints leave the file name to S3 (${filename},
// which the kit has made safe); the multipart endpoints name the object themselves, from a file name
// the browser sent and the backend does not trust.
// https://docs.aws.amazon.com/AmazonS3/latest/userguide/object-keys.html

import { randomUUID } from 'node:crypto';
import { safeFilename } from '../../src/core/form/file-name';
import { KEY_PREFIX } from './config';
import { ApiError } from './json-api';

/** uploads/<random>/ */
export function newUploadFolder(): string {
  return `${KEY_PREFIX}${randomUUID()}/`;
}

/** The key of a new multipart upload: a fresh folder and the file's name, made safe as the kit makes it. */
export function objectKeyFor(filename: string): string {
  return `${newUploadFolder()}${safeFilename(filename)}`;
}

// S3's limit on a key's length: https://docs.aws.amazon.com/AmazonS3/latest/userguide/object-keys.html
const MAX_KEY_BYTES = 1024;

/** Why `key` is not one the demo lets the page touch, or undefined when it is. */
export function keyRefusal(key: string): string | undefined {
  if (!key.startsWith(KEY_PREFIX)) return `the key ${JSON.stringify(key)} is not under "${KEY_PREFIX}"`;
  // "." and ".." would be resolved away by a URL parser on the way, so the request would name another key.
  if (key.split('/').some((segment) => segment === '.' || segment === '..')) return `the key ${JSON.stringify(key)} has a "." or ".." segment`;
  if (/[\u0000-\u001f\u007f]/.test(key)) return `the key ${JSON.stringify(key)} has control characters`;
  if (new TextEncoder().encode(key).length > MAX_KEY_BYTES) return `the key is longer than S3's ${MAX_KEY_BYTES} bytes`;
  return undefined;
}

/** `key` when the page may touch it; ApiError 403 saying why not otherwise. */
export function allowedKey(key: string, action: string): string {
  const refusal = keyRefusal(key);
  if (refusal !== undefined) throw new ApiError(403, `Refused to ${action}: ${refusal}; the demo backend only touches keys under "${KEY_PREFIX}".`);
  return key;
}
