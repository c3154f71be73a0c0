import { describe, expect, it } from 'vitest';
import { RateMeter } from '../../../src/core/queue/rate-meter';

describe('RateMeter', () => {
  it('measures over the last seconds, so a burst at the start stops inflating the rate', () => {
    const meter = new RateMeter(0);
    // 4 MB "sent" at once into socket buffers, then a steady 1 MB/s.
    expect(meter.sample(100, 4_000_000)).toBe(40_000_000);
    let rate = 0;
    for (let second = 1; second <= 8; second++) rate = meter.sample(second * 1000, 4_000_000 + second * 1_000_000);
    expect(rate).toBe(1_000_000);
  });

  it('reads 0 before any time has passed', () => {
    expect(new RateMeter(500).sample(500, 10)).toBe(0);
  });
});
