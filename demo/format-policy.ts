// A signed policy as the S3 docs print one: one condition per line, so a visitor can read which field
// each condition pins. https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-HTTPPOSTConstructPolicy.html

/** The policy JSON with one condition per line, as the S3 docs print policies. */
export function formatPolicy(text: string): string {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return text;
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return text;
  const lines = Object.entries(parsed).map(([name, value]) => {
    if (name === 'conditions' && Array.isArray(value)) {
      const conditions = value.map((condition: unknown) => `    ${inline(condition)}`);
      return `  "conditions": [\n${conditions.join(',\n')}\n  ]`;
    }
    return `  ${JSON.stringify(name)}: ${JSON.stringify(value)}`;
  });
  return `{\n${lines.join(',\n')}\n}`;
}

/** One line, with a space after each comma and colon: ["starts-with", "$key", "uploads/"]. */
function inline(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map((item: unknown) => JSON.stringify(item)).join(', ')}]`;
  if (typeof value === 'object' && value !== null) {
    return `{${Object.entries(value).map(([name, item]) => `${JSON.stringify(name)}: ${JSON.stringify(item)}`).join(', ')}}`;
  }
  return JSON.stringify(value);
}
