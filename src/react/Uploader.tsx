// The drop-in component: useS3Upload and useDropZone with a default UI, or with `children` as a render
// function, a headless one. Works with or without a QueryClientProvider around it.

import * as React from 'react';
import { describeRules } from '../core/queue/file-rules';
import { LiveRegion, useUploadAnnouncement } from './live-announcer';
import type { UploadOutcome } from '../core/queue/queue-options';
import { UploadRow } from './UploadRow';
import { useDropZone, type UseDropZoneResult } from './useDropZone';
import { useS3Upload, type UseS3UploadOptions, type UseS3UploadResult } from './useS3Upload';
import { useUploaderStyles } from './uploader-styles';

export interface UploaderProps extends UseS3UploadOptions {
  /** Several files at once (default) or one. */
  readonly multiple?: boolean | undefined;
  readonly disabled?: boolean | undefined;
  /** Called when all files of one drop, paste or dialog choice have settled. */
  readonly onComplete?: ((results: UploadOutcome[]) => void) | undefined;
  /** A render function for a UI of your own; it gets the upload state and the drop zone's prop getters. */
  readonly children?: ((state: UploaderState) => React.ReactNode) | undefined;
  readonly className?: string | undefined;
  /** Leaves out the default stylesheet; the class names stay, for your own CSS. */
  readonly unstyled?: boolean | undefined;
}

export type UploaderState = UseS3UploadResult & UseDropZoneResult;

export function Uploader(props: UploaderProps): React.JSX.Element {
  const { multiple = true, disabled = false, onComplete, children, className, unstyled = false, ...options } = props;
  useUploaderStyles(!unstyled);
  const uploader = useS3Upload(options);
  const { upload, cancel, retry, remove, pause, resume, deleteUploaded, uploads, rejections } = uploader;
  const dropZone = useDropZone({
    accept: options.accept,
    minSize: options.minSize,
    maxSize: options.maxSize,
    multiple,
    disabled,
    onDrop: (accepted) => {
      // Called for every drop, even with nothing accepted, so that the hook's rejections are current.
      void upload(accepted).then((results) => {
        if (results.length > 0) onComplete?.(results);
      });
    },
  });
  const { rootRef } = dropZone;
  const allRejections = React.useMemo(() => [...dropZone.fileRejections, ...rejections], [dropZone.fileRejections, rejections]);
  const announcement = useUploadAnnouncement(uploads, allRejections);
  const titleId = React.useId();
  const hintId = React.useId();

  // Stable, so that memoized rows do not render again when the list does.
  const onRetry = React.useCallback((id: string) => void retry(id), [retry]);
  const onRemove = React.useCallback(
    (id: string) => {
      remove(id);
      // The row and its focused button are gone: keyboard focus goes back to the drop area, not to <body>.
      rootRef.current?.focus();
    },
    [remove, rootRef],
  );
  const canDelete = options.deleteFile !== undefined;
  const onDelete = React.useCallback(
    (id: string) =>
      void deleteUploaded(id).then((deleted) => {
        // The row and its focused Delete button are gone: focus goes back to the drop area, as for Remove.
        if (deleted && (document.activeElement === null || document.activeElement === document.body)) rootRef.current?.focus();
      }),
    [deleteUploaded, rootRef],
  );

  if (children) return <>{children({ ...uploader, ...dropZone })}</>;

  const rules = describeRules({ ...options, multiple });
  const drag = dropZone.isDragReject ? 'reject' : dropZone.isDragAccept ? 'accept' : undefined;
  const noun = multiple ? 'files' : 'a file';
  const title = dropZone.isDragReject
    ? 'Some of these files cannot be uploaded here'
    : dropZone.isDragActive
      ? `Drop to upload`
      : `Drop ${noun} here or choose ${noun}`;
  const done = uploads.filter((item) => item.status === 'success' || item.status === 'deleting').length;

  return (
    <div className={className ? `s3u ${className}` : 's3u'}>
      <input {...dropZone.getInputProps({ 'aria-label': `Choose ${noun} to upload` })} />
      <div
        {...dropZone.getRootProps({
          className: 's3u-drop',
          'aria-labelledby': titleId,
          'aria-describedby': hintId,
        })}
        data-drag={drag}
      >
        <p id={titleId} className="s3u-drop-title">
          {title}
        </p>
      </div>
      {/* Outside the button: a button's visible text must be part of its name (WCAG 2.5.3, Label in Name),
          and the hint is its description, not its name. */}
      <p id={hintId} className="s3u-drop-hint">
        {[`Drag ${noun} onto the area above, paste, or press Enter on it to open the file picker.`, ...rules].join(' ')}
      </p>
      {allRejections.length > 0 ? (
        <ul className="s3u-rejections" aria-label="Files not added">
          {allRejections.map((rejection, index) => (
            <li key={`${index}:${rejection.file.name}`}>{rejection.errors.map((error) => error.message).join(' ')}</li>
          ))}
        </ul>
      ) : null}
      {uploads.length > 0 ? (
        <>
          <p className="s3u-summary">
            {done} of {uploads.length} uploaded{uploader.isUploading ? ` · ${uploader.progress.percent}% overall` : ''}
          </p>
          <ul className="s3u-list" aria-label="Uploads">
            {uploads.map((item) => (
              <UploadRow
                key={item.id}
                upload={item}
                onCancel={cancel}
                onRetry={onRetry}
                onRemove={onRemove}
                onPause={pause}
                onResume={resume}
                onDelete={canDelete ? onDelete : undefined}
              />
            ))}
          </ul>
        </>
      ) : null}
      <LiveRegion message={announcement} />
    </div>
  );
}
