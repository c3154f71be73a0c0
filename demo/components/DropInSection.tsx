// Section 1: the drop-in <Uploader>, themed by the page's CSS variables, and each file it stored shown
// back from the private bucket through a presigned GET (POST /api/read-url). Large files go by parts
// (with Pause / Resume in their rows), and a stored file's Delete goes through the backend.
import { useEffect, useId, useRef, useState } from 'react';
import { Uploader, type UploadOutcome, type UseS3UploadOptions } from 's3-direct-upload/react';
import { fetchReadUrl } from '../api';
import type { UploadPlan } from '../backend-shapes';
import type { FileRules } from '../upload-rules';

export interface DropInSectionProps {
  readonly plan: UploadPlan;
  /** Multipart, the object key, and the upload-finished and delete calls (components/multipart-plan.ts). */
  readonly large: Pick<UseS3UploadOptions, 'multipart' | 'objectKey' | 'uploadFinished' | 'deleteFile'>;
  readonly rules: FileRules;
  readonly onSettled: (outcome: UploadOutcome) => void;
}

type StoredFile = { readonly id: string; readonly name: string; readonly type: string; readonly key: string } & (
  | { readonly status: 'reading' }
  | { readonly status: 'ready'; readonly url: string }
  | { readonly status: 'unreadable'; readonly message: string }
);

/** How many stored files the section shows back, newest first. */
const SHOWN = 6;

export function DropInSection({ plan, large, rules, onSettled }: DropInSectionProps) {
  const id = useId();
  const [stored, setStored] = useState<readonly StoredFile[]>([]);
  // Read URLs still being fetched when the section goes away are not wanted.
  const reads = useRef<AbortController | undefined>(undefined);
  useEffect(() => {
    const controller = new AbortController();
    reads.current = controller;
    return () => controller.abort();
  }, []);

  function showBack(results: readonly UploadOutcome[]): void {
    const signal = reads.current?.signal;
    if (!signal) return;
    for (const outcome of results) {
      if (outcome.status !== 'success') continue;
      const base = { id: `${outcome.id}:${outcome.result.key}`, name: outcome.file.name, type: outcome.file.type, key: outcome.result.key };
      const settle = (next: StoredFile): void => setStored((list) => list.map((item) => (item.id === base.id ? next : item)));
      setStored((list) => [{ ...base, status: 'reading' as const }, ...list.filter((item) => item.id !== base.id)].slice(0, SHOWN));
      fetchReadUrl(base.key, signal).then(
        (url) => settle({ ...base, status: 'ready', url }),
        (error: unknown) => {
          if (!signal.aborted) settle({ ...base, status: 'unreadable', message: error instanceof Error ? error.message : String(error) });
        },
      );
    }
  }

  return (
    <section className="card" aria-labelledby={`${id}-title`} data-testid="drop-in">
      <h2 id={`${id}-title`}>Drop-in &lt;Uploader&gt;</h2>
      <p className="note">
        One component: drag and drop, paste, or click; progress, cancel, retry, and the kit's explanation when something fails.
        Large files show their parts and can be paused; an uploaded file can be deleted through the backend.
      </p>
      <Uploader
        className="demo-uploader"
        policy={plan.policy}
        {...large}
        accept={rules.accept}
        maxSize={rules.maxSize}
        multiple
        onComplete={showBack}
        onSettled={onSettled}
        onDeleted={(result) => setStored((list) => list.filter((item) => item.key !== result.key))}
      />
      {stored.length > 0 ? (
        <>
          <h3>Stored in S3, read back</h3>
          <ul className="gallery" aria-label="Files stored in S3">
            {stored.map((item) => (
              <li key={item.id}>
                <StoredPreview item={item} />
              </li>
            ))}
          </ul>
        </>
      ) : null}
    </section>
  );
}

function StoredPreview({ item }: { readonly item: StoredFile }) {
  if (item.status === 'reading') return <p className="note">Signing a read URL for {item.name}…</p>;
  if (item.status === 'unreadable') return <p className="note">Could not show {item.name} back: {item.message}</p>;
  const isImage = item.type.startsWith('image/');
  return (
    <figure>
      {/* A presigned GET URL, valid 5 minutes: the bucket itself is private. */}
      <a className="tile" href={item.url} target="_blank" rel="noreferrer">
        {isImage ? (
          <img src={item.url} alt={`${item.name}, read back from S3`} />
        ) : (
          <>
            <span className="tile-type" aria-hidden="true">
              {extension(item.name)}
            </span>
            <span className="tile-name">Open {item.name}</span>
          </>
        )}
      </a>
      <figcaption>{item.key}</figcaption>
    </figure>
  );
}

function extension(name: string): string {
  const dot = name.lastIndexOf('.');
  return dot > 0 && dot < name.length - 1 ? name.slice(dot + 1, dot + 5).toUpperCase() : 'FILE';
}
