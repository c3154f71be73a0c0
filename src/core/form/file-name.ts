// The file name the kit sends with the file part, which S3 substitutes for ${filename} in the key.
// Whatever a user's file is called, the key must stay inside the folder the policy allows, read the same
// on every browser, and not smuggle characters that disguise what it is.
// https://docs.aws.amazon.com/AmazonS3/latest/userguide/object-keys.html (safe characters, 1024-byte keys)

// C0 and C1 controls, DEL, and the bidirectional embeddings, overrides and isolates that make
// "invoice\u202Efdp.exe" display as "invoiceexe.pdf" (CVE-2021-42574, "Trojan Source").
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/gu;
// Path separators, and the double quote: the form's Content-Disposition quotes the name, so browsers
// send '"' as %22 (https://html.spec.whatwg.org/#multipart-form-data; older ones as \") and S3 stores
// whatever arrived, which would make the key differ from the name and between browsers.
const SEPARATORS = /[/\\"]/g;
const MAX_BYTES = 255;

export function safeFilename(name: string): string {
  // NFC: Safari on macOS hands over names in NFD, so "é" would make a different key than on Windows.
  const cleaned = name.normalize('NFC').replace(UNSAFE, '').replace(SEPARATORS, '_').trim();
  if (cleaned === '') return 'file';
  if (cleaned === '.' || cleaned === '..') return '_';
  return capBytes(cleaned);
}

/** At most MAX_BYTES of UTF-8, cut between characters, keeping the last extension. */
function capBytes(name: string): string {
  const encoder = new TextEncoder();
  if (encoder.encode(name).length <= MAX_BYTES) return name;
  const dot = name.lastIndexOf('.');
  const extension = dot > 0 && name.length - dot <= 16 ? name.slice(dot) : '';
  const budget = MAX_BYTES - encoder.encode(extension).length;
  let stem = '';
  let used = 0;
  for (const character of name.slice(0, name.length - extension.length)) {
    const size = encoder.encode(character).length;
    if (used + size > budget) break;
    stem += character;
    used += size;
  }
  return stem + extension;
}
