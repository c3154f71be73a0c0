// The files of a drop, folders included: DataTransferItem.webkitGetAsEntry (supported by every current
// browser, https://wicg.github.io/entries-api/) gives a tree to walk. Where it is missing, the flat
// `files` list is all there is, and a dropped folder is left out by the browser.

export function filesFromDataTransfer(dataTransfer: DataTransfer | null): Promise<File[]> {
  if (!dataTransfer) return Promise.resolve([]);
  // Entries must be taken synchronously, during the drop event: afterwards the list is emptied.
  const entries: FileSystemEntry[] = [];
  for (const item of Array.from(dataTransfer.items ?? [])) {
    if (item.kind !== 'file' || typeof item.webkitGetAsEntry !== 'function') continue;
    const entry = item.webkitGetAsEntry();
    if (entry) entries.push(entry);
  }
  const flat = Array.from(dataTransfer.files ?? []);
  if (entries.length === 0) return Promise.resolve(flat);
  return Promise.all(entries.map(walk)).then((lists) => lists.flat());
}

async function walk(entry: FileSystemEntry): Promise<File[]> {
  if (isFile(entry)) return [await new Promise<File>((resolve, reject) => entry.file(resolve, reject))];
  if (!isDirectory(entry)) return [];
  const reader = entry.createReader();
  const files: File[] = [];
  // readEntries hands out a directory in batches (100 at a time in Chrome) until it returns none.
  for (;;) {
    const batch = await new Promise<FileSystemEntry[]>((resolve, reject) => reader.readEntries(resolve, reject));
    if (batch.length === 0) return files;
    for (const list of await Promise.all(batch.map(walk))) files.push(...list);
  }
}

function isFile(entry: FileSystemEntry): entry is FileSystemFileEntry {
  return entry.isFile;
}

function isDirectory(entry: FileSystemEntry): entry is FileSystemDirectoryEntry {
  return entry.isDirectory;
}
