// A drop area in react-dropzone's manner: prop getters that run the app's handlers first and spread the
// app's props last; drag and drop (folders too), paste, click, Enter and Space; a file input that is
// visually hidden but never display:none, which would take it out of the accessibility tree. Rejected
// files come back as data, never as thrown errors.

import * as React from 'react';
import { composeEventHandlers, mergeRefs } from './compose-handlers';
import { acceptList, checkFiles, isAccepted, type FileRejection, type FileRules } from '../core/queue/file-rules';
import { filesFromDataTransfer } from './dropped-files';
import { VISUALLY_HIDDEN } from './visually-hidden';

export interface UseDropZoneOptions extends FileRules {
  /** Several files at once (default), or one; more than one file is then rejected as too-many-files. */
  readonly multiple?: boolean | undefined;
  readonly disabled?: boolean | undefined;
  /**
   * Keep a file dropped beside the zone (or on it while disabled) from opening in the tab, which would
   * navigate away from the page and its uploads. Default true, as in react-dropzone.
   */
  readonly preventDropOnDocument?: boolean | undefined;
  /** Every drop, paste or choice from the dialog, sorted by the rules. */
  readonly onDrop?: ((accepted: File[], rejections: FileRejection[], event: DropZoneEvent) => void) | undefined;
}

export type DropZoneEvent = React.DragEvent<HTMLElement> | React.ClipboardEvent<HTMLElement> | React.ChangeEvent<HTMLInputElement>;

export type DropZoneRootProps = React.HTMLAttributes<HTMLElement> & { readonly ref?: React.Ref<HTMLElement> | undefined };
export type DropZoneInputProps = React.InputHTMLAttributes<HTMLInputElement> & { readonly ref?: React.Ref<HTMLInputElement> | undefined };

type DragState = 'idle' | 'accept' | 'reject';

export interface UseDropZoneResult {
  readonly getRootProps: (props?: DropZoneRootProps) => React.HTMLAttributes<HTMLElement> & { ref: React.RefCallback<HTMLElement> };
  readonly getInputProps: (props?: DropZoneInputProps) => React.InputHTMLAttributes<HTMLInputElement> & { ref: React.RefCallback<HTMLInputElement> };
  /** Opens the file dialog. */
  readonly open: () => void;
  readonly isDragActive: boolean;
  readonly isDragAccept: boolean;
  readonly isDragReject: boolean;
  /** The rejections of the last drop, paste or dialog choice. */
  readonly fileRejections: readonly FileRejection[];
  readonly rootRef: React.RefObject<HTMLElement | null>;
  readonly inputRef: React.RefObject<HTMLInputElement | null>;
}

export function useDropZone(options: UseDropZoneOptions = {}): UseDropZoneResult {
  const { multiple = true, disabled = false, preventDropOnDocument = true, onDrop } = options;
  const rootRef = React.useRef<HTMLElement | null>(null);
  const inputRef = React.useRef<HTMLInputElement | null>(null);
  // The elements a drag has entered and not yet left: dragleave fires when moving onto a child too.
  const dragTargets = React.useRef<EventTarget[]>([]);
  const [drag, setDrag] = React.useState<DragState>('idle');
  const [fileRejections, setFileRejections] = React.useState<readonly FileRejection[]>([]);
  const setRoot = React.useCallback((node: HTMLElement | null) => {
    rootRef.current = node;
  }, []);
  const setInput = React.useCallback((node: HTMLInputElement | null) => {
    inputRef.current = node;
  }, []);

  React.useEffect(() => {
    if (!preventDropOnDocument) return undefined;
    const guard = (event: DragEvent): void => {
      const root = rootRef.current;
      if (root && event.target instanceof Node && root.contains(event.target)) return; // the zone decides
      event.preventDefault();
    };
    document.addEventListener('dragover', guard);
    document.addEventListener('drop', guard);
    return () => {
      document.removeEventListener('dragover', guard);
      document.removeEventListener('drop', guard);
    };
  }, [preventDropOnDocument]);

  const open = React.useCallback(() => {
    const input = inputRef.current;
    if (!input || disabled) return;
    // Cleared so that choosing the same file again still fires change.
    input.value = '';
    input.click();
  }, [disabled]);

  const receive = (files: readonly File[], event: DropZoneEvent): void => {
    const { accepted, rejections } = checkFiles(files, { ...options, multiple });
    setFileRejections(rejections);
    onDrop?.(accepted, rejections, event);
  };

  const onDragEnter = (event: React.DragEvent<HTMLElement>): void => {
    event.preventDefault();
    dragTargets.current = [...dragTargets.current, event.target];
    if (hasFiles(event.dataTransfer)) setDrag(dragVerdict(event.dataTransfer, options, multiple));
  };
  const onDragOver = (event: React.DragEvent<HTMLElement>): void => {
    event.preventDefault();
    // Some browsers throw on setting dropEffect outside dragover's own dispatch.
    try {
      event.dataTransfer.dropEffect = 'copy';
    } catch {
      /* the default effect is fine */
    }
  };
  const onDragLeave = (event: React.DragEvent<HTMLElement>): void => {
    event.preventDefault();
    const root = rootRef.current;
    dragTargets.current = dragTargets.current.filter(
      (target) => target !== event.target && root !== null && target instanceof Node && root.contains(target),
    );
    if (dragTargets.current.length === 0) setDrag('idle');
  };
  const onDropEvent = (event: React.DragEvent<HTMLElement>): void => {
    event.preventDefault();
    dragTargets.current = [];
    setDrag('idle');
    // The items must be read during the event; the walk through folders may take longer.
    void filesFromDataTransfer(event.dataTransfer).then((files) => receive(files, event));
  };
  const onPaste = (event: React.ClipboardEvent<HTMLElement>): void => {
    const files = Array.from(event.clipboardData?.files ?? []);
    if (files.length === 0) return;
    event.preventDefault();
    receive(files, event);
  };
  const onKeyDown = (event: React.KeyboardEvent<HTMLElement>): void => {
    // Only the area itself: keys on a button inside it belong to that button.
    if (event.target !== event.currentTarget) return;
    if (event.key === 'Enter' || event.key === ' ') {
      event.preventDefault();
      open();
    }
  };
  const onClick = (): void => open();
  const onChange = (event: React.ChangeEvent<HTMLInputElement>): void => {
    receive(Array.from(event.target.files ?? []), event);
  };

  const getRootProps: UseDropZoneResult['getRootProps'] = (props = {}) => {
    const { ref, onKeyDown: userKeyDown, onClick: userClick, onDragEnter: userDragEnter, onDragOver: userDragOver,
      onDragLeave: userDragLeave, onDrop: userDrop, onPaste: userPaste, ...rest } = props;
    const ours = <E extends React.SyntheticEvent<HTMLElement>>(handler: (event: E) => void) => (disabled ? undefined : handler);
    // Disabled, the zone still refuses a drop itself: the browser's default would open the file in the tab.
    const refused = <E extends React.DragEvent<HTMLElement>>(handler: (event: E) => void) => (disabled ? refuseDrop : handler);
    return {
      role: 'button',
      tabIndex: disabled ? -1 : 0,
      'aria-disabled': disabled || undefined,
      onKeyDown: composeEventHandlers(userKeyDown, ours(onKeyDown)),
      onClick: composeEventHandlers(userClick, ours(onClick)),
      onDragEnter: composeEventHandlers(userDragEnter, ours(onDragEnter)),
      onDragOver: composeEventHandlers(userDragOver, refused(onDragOver)),
      onDragLeave: composeEventHandlers(userDragLeave, ours(onDragLeave)),
      onDrop: composeEventHandlers(userDrop, refused(onDropEvent)),
      onPaste: composeEventHandlers(userPaste, ours(onPaste)),
      ...rest,
      ref: ref ? mergeRefs(setRoot, ref) : setRoot,
    };
  };

  const getInputProps: UseDropZoneResult['getInputProps'] = (props = {}) => {
    const { ref, onChange: userChange, onClick: userClick, ...rest } = props;
    const accept = acceptList(options.accept);
    return {
      type: 'file',
      multiple,
      disabled,
      ...(accept.length > 0 ? { accept: accept.join(',') } : {}),
      // Out of the tab order: the drop area is the control; this input is only its dialog.
      tabIndex: -1,
      style: VISUALLY_HIDDEN,
      onChange: composeEventHandlers(userChange, onChange),
      // A click on the input must not bubble to the area and open the dialog twice.
      onClick: composeEventHandlers(userClick, (event: React.MouseEvent<HTMLInputElement>) => event.stopPropagation()),
      ...rest,
      ref: ref ? mergeRefs(setInput, ref) : setInput,
    };
  };

  return {
    getRootProps,
    getInputProps,
    open,
    isDragActive: drag !== 'idle',
    isDragAccept: drag === 'accept',
    isDragReject: drag === 'reject',
    fileRejections,
    rootRef,
    inputRef,
  };
}

function hasFiles(dataTransfer: DataTransfer | null): boolean {
  return dataTransfer !== null && Array.from(dataTransfer.types ?? []).some((type) => type === 'Files' || type === 'application/x-moz-file');
}

/**
 * During a drag the browser tells only each item's type, not its name or size: an item is judged on
 * its type when it has one, and the count on the number of items.
 */
function dragVerdict(dataTransfer: DataTransfer, rules: FileRules, multiple: boolean): DragState {
  const items = Array.from(dataTransfer.items ?? []).filter((item) => item.kind === 'file');
  const accept = acceptList(rules.accept);
  const onlyExtensions = accept.length > 0 && accept.every((entry) => entry.startsWith('.'));
  const typesOk = onlyExtensions || items.every((item) => item.type === '' || isAccepted({ type: item.type }, accept));
  const countOk = multiple ? rules.maxFiles === undefined || rules.maxFiles < 1 || items.length <= rules.maxFiles : items.length <= 1;
  return typesOk && countOk ? 'accept' : 'reject';
}

function refuseDrop(event: React.DragEvent<HTMLElement>): void {
  event.preventDefault();
  try {
    event.dataTransfer.dropEffect = 'none';
  } catch {
    /* some browsers refuse the assignment outside dragover; preventDefault is what matters */
  }
}
