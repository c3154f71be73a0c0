// @vitest-environment node
// How the page prints sizes, speeds and signed policies.
import { describe, expect, it } from 'vitest';
import { formatBytes, formatRate } from '../../demo/format';
import { formatPolicy } from '../../demo/format-policy';

describe('formatBytes and formatRate', () => {
  it('prints binary sizes with the units file pickers use', () => {
    expect(formatBytes(512)).toBe('512 B');
    expect(formatBytes(1536)).toBe('1.5 KB');
    expect(formatBytes(10 * 1024 * 1024)).toBe('10 MB');
  });

  it('prints speeds in KB/s or MB/s, and nothing before the first progress event', () => {
    expect(formatRate(0)).toBe('');
    expect(formatRate(512)).toBe('0.5 KB/s');
    expect(formatRate(300 * 1024)).toBe('300 KB/s');
    expect(formatRate(2.9 * 1024 * 1024)).toBe('2.9 MB/s');
  });
});

describe('formatPolicy', () => {
  it('puts one condition per line', () => {
    const text = JSON.stringify({ expiration: '2030-01-01T00:00:00.000Z', conditions: [{ bucket: 'b' }, ['starts-with', '$key', 'uploads/']] });
    expect(formatPolicy(text)).toBe(
      '{\n  "expiration": "2030-01-01T00:00:00.000Z",\n  "conditions": [\n    {"bucket": "b"},\n    ["starts-with", "$key", "uploads/"]\n  ]\n}',
    );
  });

  it('shows text that is not a JSON object as it is', () => {
    expect(formatPolicy('not json')).toBe('not json');
  });
});
