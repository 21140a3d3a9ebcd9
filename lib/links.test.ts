import { describe, expect, it } from 'vitest';
import { canModerate } from './auth/permissions';
import { isSafeAbsoluteLink, isSafeLink, isSlug, SLUG_MAX_LENGTH } from './links';

describe('the one link and slug rules', () => {
  it('allows http, https and mailto links, and relative links in MDX', () => {
    expect(isSafeAbsoluteLink('https://example.org/a')).toBe(true);
    expect(isSafeAbsoluteLink('mailto:desk@example.org')).toBe(true);
    expect(isSafeAbsoluteLink('/relative')).toBe(false); // replies keep absolute links only
    expect(isSafeAbsoluteLink('javascript:alert(1)')).toBe(false);
    expect(isSafeAbsoluteLink('data:text/html,<b>x</b>')).toBe(false);
    expect(isSafeAbsoluteLink(42)).toBe(false);
    for (const ok of ['/topics/x', '#notes', 'other-article', 'HTTPS://EXAMPLE.ORG', ' mailto:a@b.c'])
      expect(isSafeLink(ok)).toBe(true);
    // Browsers drop tabs and newlines inside a scheme: any colon that isn't an allowed scheme is refused.
    for (const bad of ['javascript:alert(1)', 'java\nscript:alert(1)', 'vbscript:x', 'data:x', 'folder/a:b'])
      expect(isSafeLink(bad), bad).toBe(false);
  });

  it('has one slug pattern and one length limit', () => {
    expect(isSlug('northport-flood-updates')).toBe(true);
    expect(isSlug('a'.repeat(SLUG_MAX_LENGTH))).toBe(true);
    expect(isSlug('a'.repeat(SLUG_MAX_LENGTH + 1))).toBe(false);
    for (const bad of ['', 'Upper', 'double--hyphen', '-lead', 'trail-', 'under_score', 'dot.ted'])
      expect(isSlug(bad), bad).toBe(false);
  });

  it('decides moderation in one predicate', () => {
    expect(['reader', 'moderator', 'admin', undefined].map(canModerate)).toEqual([false, true, true, false]);
  });
});
