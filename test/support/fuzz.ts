// Seeded fuzzing for the tests of what backends answer: a small PRNG, so every case replays, and
// mutations of JSON values (a field dropped, renamed, given another type, emptied, truncated,
// uppercased, base64-encoded; a base64 policy's conditions edited without signing again).

/** mulberry32: a small seeded PRNG, so that every case replays. */
export function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type Path = ReadonlyArray<string | number>;

export const pick = <T>(next: () => number, items: readonly T[]): T => items[Math.floor(next() * items.length)] as T;

/** Every place in the tree that holds a value, the root excluded. */
function paths(value: Json, at: Path = []): Path[] {
  if (value === null || typeof value !== 'object') return [];
  const entries: Array<[string | number, Json]> = Array.isArray(value) ? value.map((item, index) => [index, item]) : Object.entries(value);
  return entries.flatMap(([key, child]) => [[...at, key], ...paths(child, [...at, key])]);
}

function parentOf(root: Json, path: Path): { parent: Json[] | { [key: string]: Json }; key: string | number } {
  let parent = root as Json[] | { [key: string]: Json };
  for (const key of path.slice(0, -1)) parent = (parent as Record<string | number, Json>)[key] as Json[] | { [key: string]: Json };
  return { parent, key: path.at(-1) as string | number };
}

const STRANGE: readonly Json[] = [
  null,
  0,
  -1,
  1e21,
  true,
  '',
  ' ',
  [],
  {},
  'javascript:alert(1)',
  'ftp://photos.example/',
  '<html><body>502 Bad Gateway</body></html>',
  'A'.repeat(5000),
  '\u0000\u202e\u0007',
  'AKIAIOSFODNN7EXAMPLE/20130806/us-east-1/s3/aws4_request',
  'eyJub3QiOiJhIHBvbGljeSJ9',
];

/** One mutation, applied in place; returns what it did, for the failure message. */
export function mutate(root: Json, next: () => number): string {
  const places = paths(root);
  if (places.length === 0) return 'nothing to mutate';
  const path = pick(next, places);
  const { parent, key } = parentOf(root, path);
  const here = (parent as Record<string | number, Json>)[key] as Json;
  const where = path.join('.');
  switch (Math.floor(next() * 8)) {
    case 0:
      if (Array.isArray(parent)) parent.splice(key as number, 1);
      else delete parent[key as string];
      return `drop ${where}`;
    case 1: {
      const value = structuredClone(pick(next, STRANGE));
      (parent as Record<string | number, Json>)[key] = value;
      return `${where} = ${JSON.stringify(value).slice(0, 40)}`;
    }
    case 2:
      if (typeof here === 'string') {
        (parent as Record<string | number, Json>)[key] = here.toUpperCase();
        return `uppercase ${where}`;
      }
      return `uppercase ${where} (not a string)`;
    case 3:
      if (typeof here === 'string') {
        (parent as Record<string | number, Json>)[key] = here.slice(0, Math.floor(next() * here.length));
        return `truncate ${where}`;
      }
      return `truncate ${where} (not a string)`;
    case 4:
      if (!Array.isArray(parent) && typeof key === 'string') {
        const renamed = pick(next, ['AWSAccessKeyId', 'Signature', 'signature', 'X-AMZ-SIGNATURE', 'Policy', key.toUpperCase(), `${key}_`]);
        delete parent[key];
        parent[renamed] = here;
        return `rename ${where} to ${renamed}`;
      }
      return `rename ${where} (an array item)`;
    case 5:
      if (typeof here === 'string') {
        (parent as Record<string | number, Json>)[key] = Buffer.from(here).toString('base64');
        return `base64 ${where}`;
      }
      return `base64 ${where} (not a string)`;
    case 6: {
      // The policy edited without signing again: S3 (the emulator) refuses the signature.
      if (typeof here !== 'string' || !/^eyJ/.test(here)) return `edit policy at ${where} (not a policy)`;
      let document: { expiration: string; conditions: Json[] };
      try {
        document = JSON.parse(Buffer.from(here, 'base64').toString('utf8')) as typeof document;
      } catch {
        return `edit policy at ${where} (an earlier mutation broke it)`;
      }
      if (!Array.isArray(document.conditions)) return `edit policy at ${where} (no conditions)`;
      const edit = pick(next, ['expire', 'drop-condition', 'add-condition'] as const);
      if (edit === 'expire') document.expiration = '2001-01-01T00:00:00.000Z';
      else if (edit === 'drop-condition') document.conditions.splice(Math.floor(next() * document.conditions.length), 1);
      else document.conditions.push({ 'x-amz-meta-unsent': 'value' });
      (parent as Record<string | number, Json>)[key] = Buffer.from(JSON.stringify(document)).toString('base64');
      return `policy ${edit} at ${where}`;
    }
    default: {
      const value = structuredClone(pick(next, STRANGE));
      if (Array.isArray(here)) here.push(value);
      else if (here !== null && typeof here === 'object') here[pick(next, ['extra', 'url', 'fields', 'Signature'])] = value;
      else (parent as Record<string | number, Json>)[key] = [here];
      return `add to ${where}`;
    }
  }
}

