import { describe, expect, it } from 'vitest';
import { consume, createLimiter } from './limiter';

describe('createLimiter', () => {
  it('allows up to the limit, then says how long to wait, per key', async () => {
    const limiter = createLimiter({ key: `t-${Date.now()}`, points: 2, durationSeconds: 60 });
    expect(await consume(limiter, 'a')).toBe(0);
    expect(await consume(limiter, 'a')).toBe(0);
    const wait = await consume(limiter, 'a');
    expect(wait).toBeGreaterThan(0);
    expect(wait).toBeLessThanOrEqual(60);
    expect(await consume(limiter, 'b')).toBe(0); // another actor is not affected
  });
});
