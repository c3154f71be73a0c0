// The README is the manual: every public export of the three entries (s3-direct-upload,
// s3-direct-upload/react, s3-direct-upload/msw) is named in it, in code, so that a new export cannot land
// without its example or its line in a "Types" list.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = join(__dirname, '..');
const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
/** Everything between backticks and in fenced code blocks: where an export counts as documented. */
const code = [...readme.matchAll(/```[^\n]*\n([^]*?)```|`([^`\n]+)`/g)].map((match) => match[1] ?? match[2] ?? '').join('\n');

/** The names an entry file exports: `export { a, b as c }`, `export type { ... }`, `export function x`. */
function exportedNames(file: string): string[] {
  const source = readFileSync(join(ROOT, file), 'utf8');
  const names = new Set<string>();
  for (const match of source.matchAll(/export\s+(?:type\s+)?\{([^}]*)\}/g)) {
    for (const part of (match[1] ?? '').split(',')) {
      const name = part.replace(/^\s*type\s+/, '').split(/\s+as\s+/).at(-1)?.trim();
      if (name) names.add(name);
    }
  }
  for (const match of source.matchAll(/export\s+(?:declare\s+)?(?:const|function|class|type|interface)\s+(\w+)/g)) {
    if (match[1]) names.add(match[1]);
  }
  return [...names].sort();
}

describe.each(['src/index.ts', 'src/react/index.ts', 'mocks/index.ts'])('README documents every export of %s', (entry) => {
  const names = exportedNames(entry);

  it('finds the exports', () => {
    expect(names.length).toBeGreaterThan(5);
  });

  it('names each one in code', () => {
    const missing = names.filter((name) => !new RegExp(`\\b${name}\\b`).test(code));
    expect(missing, `add these to README.md (an example, or the entry's "Types" list)`).toEqual([]);
  });
});
