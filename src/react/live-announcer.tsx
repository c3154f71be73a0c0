// What a screen reader hears while files upload: a polite live region that says when files are added,
// finish, fail or are refused. Messages come from status changes, so StrictMode's second effect run
// (which sees no change) says nothing twice.

import * as React from 'react';
import type { FileRejection } from './file-rules';
import type { Upload, UploadStatus } from './upload-store';
import { VISUALLY_HIDDEN } from './visually-hidden';

export function useUploadAnnouncement(uploads: readonly Upload[], rejections: readonly FileRejection[]): string {
  const seen = React.useRef(new Map<string, UploadStatus>());
  const told = React.useRef(new WeakSet<FileRejection>());
  const [message, setMessage] = React.useState('');

  React.useEffect(() => {
    const parts: string[] = [];
    const present = new Set<string>();
    for (const upload of uploads) {
      present.add(upload.id);
      const before = seen.current.get(upload.id);
      if (before === upload.status) continue;
      seen.current.set(upload.id, upload.status);
      const name = upload.file.name;
      if (before === undefined) parts.push(`Added ${name}.`);
      if (upload.status === 'success') parts.push(`${name} uploaded.`);
      else if (upload.status === 'error') parts.push(`${name} failed: ${upload.error.message}`);
      else if (upload.status === 'canceled') parts.push(`${name} canceled.`);
      else if (upload.status === 'queued' && before !== undefined) parts.push(`Retrying ${name}.`);
    }
    for (const id of seen.current.keys()) if (!present.has(id)) seen.current.delete(id);
    for (const rejection of rejections) {
      if (told.current.has(rejection)) continue;
      told.current.add(rejection);
      parts.push(`${rejection.file.name} was not added: ${rejection.errors.map((error) => error.message).join(' ')}`);
    }
    if (parts.length > 0) setMessage(parts.join(' '));
  }, [uploads, rejections]);

  return message;
}

export function LiveRegion({ message }: { readonly message: string }): React.JSX.Element {
  return (
    <div style={VISUALLY_HIDDEN} role="status" aria-live="polite" aria-atomic="true">
      {message}
    </div>
  );
}
