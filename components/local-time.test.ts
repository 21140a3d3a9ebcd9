import { describe, expect, it } from 'vitest';
import { describe as describeTime } from './local-time';

const at = Date.parse('2026-11-25T12:00:00Z');

describe('LocalTime text', () => {
  it('says "just now", minutes and hours within a day', () => {
    expect(describeTime('2026-11-25T11:59:40Z', at, 'en')).toBe('just now');
    expect(describeTime('2026-11-25T11:57:00Z', at, 'en')).toBe('3 min. ago');
    expect(describeTime('2026-11-25T09:00:00Z', at, 'en')).toBe('3 hr. ago');
  });

  it('gives the date beyond a day', () => {
    expect(describeTime('2026-11-20T12:00:00Z', at, 'en-GB')).toMatch(/20 Nov 2026/);
  });
});
