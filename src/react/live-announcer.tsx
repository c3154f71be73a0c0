// What a screen reader hears while files upload: a polite live region that says when files are added,
// finish, fail, wait (offline, for a retry, for a new signature) and go on, are paused, resumed,
// deleted or refused. Messages come from status changes, so
// StrictMode's second effect run (which sees no change) says nothing twice.

import * as React from 'react';
import type { FileRejection } from '../core/queue/file-rules';
import type { FileWait, Upload, UploadStatus } from '../core/queue/upload-store';
import { VISUALLY_HIDDEN } from './visually-hidden';

export function useUploadAnnouncement(uploads: readonly Upload[], rejections: readonly FileRejection[]): string {
  const seen = React.useRef(new Map<string, Seen>());
  const names = React.useRef(new Map<string, string>());
  const told = React.useRef(new WeakSet<FileRejection>());
  const [message, setMessage] = React.useState('');

  React.useEffect(() => {
    const parts: string[] = [];
    const present = new Set<string>();
    for (const upload of uploads) {
      present.add(upload.id);
      names.current.set(upload.id, upload.file.name);
      const before = seen.current.get(upload.id);
      const now: Seen = upload.status === 'waiting' ? waitKey(upload.wait) : upload.status;
      if (before === now) continue;
      seen.current.set(upload.id, now);
      const name = upload.file.name;
      if (before === undefined) parts.push(`Added ${name}.`);
      if (upload.status === 'waiting') parts.push(waitMessage(name, upload.wait));
      else if (before === 'waiting offline' && (upload.status === 'signing' || upload.status === 'uploading')) {
        parts.push(`${name}: back online; the upload continues.`);
      }
      else if (upload.status === 'success') {
        if (before !== 'deleting') parts.push(`${name} uploaded.`);
        else if (upload.deleteError) parts.push(`${name} was not deleted: ${upload.deleteError.message}`);
      } else if (upload.status === 'error') parts.push(`${name} failed: ${upload.error.message}`);
      else if (upload.status === 'canceled') parts.push(`${name} canceled.`);
      else if (upload.status === 'paused') parts.push(`${name} paused.`);
      else if (before === 'paused' && upload.status !== 'finishing') parts.push(`${name} resumed.`);
      else if (upload.status === 'queued' && before !== undefined) parts.push(`Retrying ${name}.`);
    }
    for (const [id, status] of seen.current) {
      if (present.has(id)) continue;
      // A file that leaves the list while deleting was deleted (removing one says nothing).
      if (status === 'deleting') parts.push(`${names.current.get(id) ?? 'The file'} deleted.`);
      seen.current.delete(id);
      names.current.delete(id);
    }
    for (const rejection of rejections) {
      if (told.current.has(rejection)) continue;
      told.current.add(rejection);
      parts.push(`${rejection.file.name} was not added: ${rejection.errors.map((error) => error.message).join(' ')}`);
    }
    if (parts.length > 0) setMessage(parts.join(' '));
  }, [uploads, rejections]);

  return message;
}

/** A file's status as the announcer compares it: each wait (and each retry) is a change worth telling. */
type Seen = Exclude<UploadStatus, 'waiting'> | `waiting ${string}`;

function waitKey(wait: FileWait): Seen {
  return wait.reason === 'retry' ? `waiting retry ${wait.attempt}` : `waiting ${wait.reason}`;
}

function waitMessage(name: string, wait: FileWait): string {
  switch (wait.reason) {
    case 'offline':
      return `${name}: offline; the upload continues when the connection is back.`;
    case 'retry':
      return `${name} did not get through; retrying (try ${wait.attempt} of ${wait.attempts}).`;
    case 'resign':
      return `${name}: the upload policy is no longer valid; signing again.`;
  }
}

export function LiveRegion({ message }: { readonly message: string }): React.JSX.Element {
  return (
    <div style={VISUALLY_HIDDEN} role="status" aria-live="polite" aria-atomic="true">
      {message}
    </div>
  );
}
