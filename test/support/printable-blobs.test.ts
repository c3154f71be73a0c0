// The set-up of printable-blobs.ts is in force: printing a big File costs what a small one does.
import { format } from '@vitest/pretty-format';
import { describe, expect, it } from 'vitest';

const MIB = 1024 * 1024;

describe('Files in test output', () => {
  it('print by name and type, not byte by byte', () => {
    const file = new File([new Uint8Array(4 * MIB)], 'movie.mp4', { type: 'video/mp4' });
    expect(Reflect.ownKeys(file).map(String)).toEqual(['type', 'lastModified', 'name']);
    expect(format({ file }).length).toBeLessThan(200);
  });

  it('keep their bytes, size and class', async () => {
    const blob = new Blob([new Uint8Array([1, 2, 3])], { type: 'application/octet-stream' });
    const file = new File([blob, 'ab'], 'x.bin');
    expect(file).toBeInstanceOf(Blob);
    expect(file).toBeInstanceOf(File);
    expect(file.constructor.name).toBe('File');
    expect(file.size).toBe(5);
    expect([...new Uint8Array(await file.arrayBuffer())]).toEqual([1, 2, 3, 97, 98]);
    expect(await file.slice(3).text()).toBe('ab');
    expect(await new Response(file).text()).toBe('\u0001\u0002\u0003ab');
  });
});
