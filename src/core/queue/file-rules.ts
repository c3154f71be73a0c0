// Which files an uploader takes, checked before anything is asked of the backend. Failures are data,
// `{ file, errors: [{ code, message }] }` with react-dropzone's codes, so a UI lists them next to the
// files it did take; each message names the file, what was wrong and what would be accepted.

import { formatBytes } from './format-bytes';

export type FileErrorCode = 'file-invalid-type' | 'file-too-large' | 'file-too-small' | 'too-many-files';

export interface FileError {
  readonly code: FileErrorCode;
  readonly message: string;
}

export interface FileRejection {
  readonly file: File;
  readonly errors: readonly FileError[];
}

export interface FileRules {
  /**
   * What the file input's `accept` attribute takes: MIME types (`image/png`), wildcards (`image/*`) and
   * extensions (`.pdf`), as a comma-separated string or a list.
   */
  readonly accept?: string | readonly string[] | undefined;
  /** Smallest file size in bytes. */
  readonly minSize?: number | undefined;
  /** Largest file size in bytes. */
  readonly maxSize?: number | undefined;
  /** How many files the uploader holds at once. */
  readonly maxFiles?: number | undefined;
}

export function acceptList(accept: FileRules['accept']): string[] {
  if (accept === undefined) return [];
  const parts = typeof accept === 'string' ? accept.split(',') : accept;
  return parts.map((part) => part.trim()).filter((part) => part !== '');
}

/**
 * Whether a file (or, during a drag, an item known only by its type) matches the accept list, the way
 * browsers read the attribute: https://html.spec.whatwg.org/multipage/input.html#attr-input-accept
 */
export function isAccepted(file: { readonly name?: string; readonly type: string }, accept: readonly string[]): boolean {
  if (accept.length === 0) return true;
  const type = file.type.toLowerCase();
  const name = file.name?.toLowerCase();
  return accept.some((entry) => {
    const wanted = entry.toLowerCase();
    if (wanted.startsWith('.')) return name === undefined ? false : name.endsWith(wanted);
    if (wanted.endsWith('/*')) return type.startsWith(wanted.slice(0, -1));
    return type === wanted;
  });
}

export interface CheckedFiles {
  readonly accepted: File[];
  readonly rejections: FileRejection[];
}

/**
 * Sorts `files` into accepted and rejected. As in react-dropzone, when the files that pass the type and
 * size rules are more than the uploader may hold (`already` files are held), all of them are rejected
 * with too-many-files: taking the first few would silently choose for the user.
 */
export function checkFiles(
  files: readonly File[],
  rules: FileRules & { readonly multiple?: boolean | undefined },
  already = 0,
): CheckedFiles {
  const accept = acceptList(rules.accept);
  const accepted: File[] = [];
  const rejections: FileRejection[] = [];
  for (const file of files) {
    const errors = fileErrors(file, rules, accept);
    if (errors.length > 0) rejections.push({ file, errors });
    else accepted.push(file);
  }
  const tooMany = tooManyFiles(accepted.length, rules, already);
  if (tooMany) {
    for (const file of accepted) rejections.push({ file, errors: [tooMany] });
    return { accepted: [], rejections };
  }
  return { accepted, rejections };
}

function fileErrors(file: File, rules: FileRules, accept: readonly string[]): FileError[] {
  const errors: FileError[] = [];
  if (!isAccepted(file, accept)) {
    errors.push({
      code: 'file-invalid-type',
      message: `${file.name} is ${file.type === '' ? 'of a type the browser could not tell' : file.type}; this uploader accepts ${accept.join(', ')}.`,
    });
  }
  if (rules.maxSize !== undefined && file.size > rules.maxSize) {
    errors.push({
      code: 'file-too-large',
      message: `${file.name} is ${sizes(file.size, rules.maxSize)[0]}; this uploader takes files up to ${sizes(file.size, rules.maxSize)[1]}. Choose a smaller file.`,
    });
  }
  if (rules.minSize !== undefined && file.size < rules.minSize) {
    errors.push({
      code: 'file-too-small',
      message: `${file.name} is ${file.size === 0 ? 'empty' : sizes(file.size, rules.minSize)[0]}; this uploader takes files of at least ${sizes(file.size, rules.minSize)[1]}. Choose a larger file.`,
    });
  }
  return errors;
}

function tooManyFiles(count: number, rules: FileRules & { readonly multiple?: boolean | undefined }, already: number): FileError | undefined {
  if (rules.multiple === false && count > 1) {
    return { code: 'too-many-files', message: `${count} files were chosen; this uploader takes one file at a time. Choose a single file.` };
  }
  const max = rules.maxFiles;
  if (max === undefined || max < 1 || count + already <= max) return undefined;
  const held = already > 0 ? ` and ${already} ${already === 1 ? 'is' : 'are'} already in the list` : '';
  return {
    code: 'too-many-files',
    message: `${count} ${count === 1 ? 'file was' : 'files were'} chosen${held}; this uploader holds at most ${max} ${max === 1 ? 'file' : 'files'}. Remove some and choose again.`,
  };
}

/** The rules as short sentences for a drop area's instructions, e.g. "Up to 10 MB per file." */
export function describeRules(rules: FileRules & { readonly multiple?: boolean | undefined }): string[] {
  const accept = acceptList(rules.accept);
  const sentences: string[] = [];
  if (accept.length > 0) sentences.push(`Accepts ${accept.join(', ')}.`);
  if (rules.maxSize !== undefined && rules.minSize !== undefined) {
    sentences.push(`From ${formatBytes(rules.minSize)} to ${formatBytes(rules.maxSize)} per file.`);
  } else if (rules.maxSize !== undefined) {
    sentences.push(`Up to ${formatBytes(rules.maxSize)} per file.`);
  } else if (rules.minSize !== undefined) {
    sentences.push(`At least ${formatBytes(rules.minSize)} per file.`);
  }
  if (rules.multiple === false) sentences.push('One file at a time.');
  else if (rules.maxFiles !== undefined && rules.maxFiles > 0) sentences.push(`At most ${rules.maxFiles} ${rules.maxFiles === 1 ? 'file' : 'files'}.`);
  return sentences;
}

/** Both sizes as people read them, or in exact bytes when rounding would make them look the same. */
function sizes(size: number, limit: number): [string, string] {
  const [shown, limitShown] = [formatBytes(size), formatBytes(limit)];
  return shown === limitShown ? [`${size} bytes`, `${limit} bytes`] : [shown, limitShown];
}
