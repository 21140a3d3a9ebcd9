import { describe, expect, it } from 'vitest';
import { safeCallbackUrl } from './callback-url';

const site = 'https://news.example';

describe('safeCallbackUrl', () => {
  it.each([
    ['/topics/storm?page=2#top', '/topics/storm?page=2#top'],
    ['https://news.example/articles/a', '/articles/a'],
    ['https://evil.example/', '/'],
    ['//evil.example/x', '/'],
    ['/\\evil.example', '/'],
    ['javascript:alert(1)', '/'],
    ['http://news.example/a', '/'], // other scheme, other origin
    ['/signin?callbackUrl=/x', '/'],
    ['', '/'],
    [undefined, '/'],
  ])('%s → %s', (input, expected) => {
    expect(safeCallbackUrl(input, site)).toBe(expected);
  });
});
