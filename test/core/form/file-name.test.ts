import { describe, expect, it } from 'vitest';
import { safeFilename } from '../../../src/core/form/file-name';

const utf8Length = (text: string) => new TextEncoder().encode(text).length;

describe('safeFilename: the name S3 substitutes for ${filename}', () => {
  it('keeps an ordinary name as it is', () => {
    expect(safeFilename('holiday photo (1).jpeg')).toBe('holiday photo (1).jpeg');
  });

  it('normalises to NFC, so a name typed on macOS (NFD) gives the same key as on Windows', () => {
    const nfd = 'Re\u0301sume\u0301.pdf';
    expect(safeFilename(nfd)).toBe('R\u00e9sum\u00e9.pdf');
    expect(safeFilename(nfd)).toBe(safeFilename('R\u00e9sum\u00e9.pdf'));
  });

  it('cannot leave its folder: separators become _, and . or .. alone are renamed', () => {
    expect(safeFilename('../../etc/passwd')).toBe('.._.._etc_passwd');
    expect(safeFilename('..\\..\\boot.ini')).toBe('.._.._boot.ini');
    expect(safeFilename('/absolute')).toBe('_absolute');
    expect(safeFilename('..')).toBe('_');
    expect(safeFilename('.')).toBe('_');
  });

  it('turns a double quote into _: browsers send it as %22 in the form (S3 then stores "%22"), older ones as \\"', () => {
    expect(safeFilename('say "hi" now.txt')).toBe('say _hi_ now.txt');
  });

  it('drops control characters and the bidirectional overrides used to disguise extensions', () => {
    expect(safeFilename('a\u0000b\u001fc\u007fd\u0085e.txt')).toBe('abcde.txt');
    expect(safeFilename('invoice\u202Efdp.exe')).toBe('invoicefdp.exe');
    expect(safeFilename('x\u2066y\u2069.png')).toBe('xy.png');
  });

  it('trims surrounding spaces, and names a nameless file', () => {
    expect(safeFilename('  notes.txt  ')).toBe('notes.txt');
    expect(safeFilename('')).toBe('file');
    expect(safeFilename('\u0000\u202E')).toBe('file');
  });

  it('caps the name at 255 UTF-8 bytes, keeping the extension and whole characters', () => {
    const long = `${'é'.repeat(300)}.tar.gz`;
    const safe = safeFilename(long);
    expect(utf8Length(safe)).toBeLessThanOrEqual(255);
    expect(safe.endsWith('.gz')).toBe(true);
    expect(safe.startsWith('éé')).toBe(true);
    expect(safe).not.toContain('\uFFFD');
    const emoji = `${'😀'.repeat(100)}.png`;
    expect(utf8Length(safeFilename(emoji))).toBeLessThanOrEqual(255);
    expect(safeFilename(emoji)).toMatch(/^(😀)+\.png$/u);
  });
});
