import { describe, expect, it } from 'vitest';
import { parseContent } from '../content/load';
import {
  articlePath,
  composeSource,
  fingerprintOf,
  headlineFrom,
  patchSource,
  slugFrom,
  splitSource,
} from './source';

describe('desk sources', () => {
  it('composes a file content:check accepts, fields in SPEC order, defaults left out', () => {
    const source = composeSource(
      {
        pinned: undefined,
        keyEvent: true,
        title: 'Airport reopens: "first flights" at 6',
        topics: ['kabul'],
        kind: 'update',
        publishedAt: '2026-12-03T10:00:00Z',
        authors: [],
      },
      'Flights resume **today**.\r\n\r\n',
    );
    expect(source).toBe(
      '---\ntitle: \'Airport reopens: "first flights" at 6\'\nkind: update\ntopics:\n  - kabul\npublishedAt: 2026-12-03T10:00:00Z\nkeyEvent: true\n---\n\nFlights resume **today**.\n',
    );
    const parsed = parseContent('articles/2026/12/airport-reopens.mdx', source);
    expect(parsed.ok && parsed.file.kind === 'article' && parsed.file.meta).toMatchObject({
      title: 'Airport reopens: "first flights" at 6',
      keyEvent: true,
      kind: 'update',
    });
  });

  it('patches one field and keeps the rest of a hand-written file, comments included', () => {
    const source =
      '---\n# filed by the night desk\ntitle: Storm\ntopics: [weather]\npublishedAt: 2026-12-01T08:00:00Z\n---\n\nBody *stays*.\n';
    const pinned = patchSource(source, { pinned: true })!;
    expect(pinned).toContain('# filed by the night desk');
    expect(pinned).toContain('pinned: true');
    expect(pinned.endsWith('\n---\n\nBody *stays*.\n')).toBe(true);
    expect(patchSource(pinned, { pinned: undefined })).toBe(source);
    expect(patchSource('no frontmatter', { pinned: true })).toBeNull();
  });

  it('reads back what it wrote', () => {
    const source = composeSource({ title: 'T', topics: ['a'], publishedAt: '2026-12-01T08:00:00Z' }, 'Hello');
    expect(splitSource(source)).toEqual({
      meta: { title: 'T', topics: ['a'], publishedAt: '2026-12-01T08:00:00Z' },
      body: 'Hello\n',
    });
    expect(splitSource('---\ntitle: [\n---\nx')).toBeNull();
  });

  it('makes a headline from the first line that says something, without Markdown', () => {
    expect(headlineFrom('\n## **Breaking:** [Kabul airport](https://x.test) reopens\nmore')).toBe(
      'Breaking: Kabul airport reopens',
    );
    expect(headlineFrom('<Figure src="/a.svg" alt="x" />\n\n> Quote here')).toBe('Quote here');
    const long = headlineFrom('word '.repeat(40));
    expect(long.length).toBeLessThanOrEqual(80);
    expect(long.endsWith('…')).toBe(true);
  });

  it('makes slugs from any headline', () => {
    expect(slugFrom('Évacuation de Kaboul : 1 200 personnes')).toBe('evacuation-de-kaboul-1-200-personnes');
    expect(slugFrom("Minister's statement")).toBe('ministers-statement');
    expect(slugFrom('!!!')).toBe('update');
    expect(slugFrom('a'.repeat(300)).length).toBe(80);
  });

  it('files articles by year and month of publication, in UTC', () => {
    expect(articlePath('x', '2026-01-01T00:30:00+02:00')).toBe('articles/2025/12/x.mdx');
  });

  it('fingerprints content', () => {
    expect(fingerprintOf('a')).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(fingerprintOf('a')).not.toBe(fingerprintOf('b'));
  });
});
