// Describes what a backend returned without its values: names and types only, so an error can show
// the shape it received without leaking a signature or a session token into logs.

const MAX_DEPTH = 2;
const MAX_KEYS = 20;

export function describeShape(value: unknown, depth = 0): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return value.length === 0 ? '[]' : `array(${value.length})`;
  if (typeof value === 'string') return value === '' ? 'empty string' : looksLikeHtml(value) ? 'an HTML page' : 'string';
  if (typeof value !== 'object') return typeof value;
  const entries = Object.entries(value);
  if (entries.length === 0) return '{}';
  if (depth >= MAX_DEPTH) return '{...}';
  const shown = entries.slice(0, MAX_KEYS).map(([name, inner]) => {
    const described = describeShape(inner, depth + 1);
    return described === 'string' ? name : `${name}: ${described}`;
  });
  if (entries.length > MAX_KEYS) shown.push(`... ${entries.length - MAX_KEYS} more`);
  return `{ ${shown.join(', ')} }`;
}

export function looksLikeHtml(text: string): boolean {
  return /^\s*<(!doctype html|html|head|body)\b/i.test(text);
}
