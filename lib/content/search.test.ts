import { describe, expect, it } from 'vitest';
import type { Article } from './model';
import { SearchIndex, snippet } from './search';

const article = (slug: string, fields: Partial<Article>): Article =>
  ({ slug, title: '', summary: '', text: '', published: 0, ...fields }) as Article;

describe('SearchIndex', () => {
  it('ranks title matches above body matches and supports prefixes', () => {
    const index = new SearchIndex();
    const inBody = article('body', { title: 'Council news', text: 'The river flooded the lower town.' });
    const inTitle = article('title', { title: 'River flooding closes bridge', text: 'Closed.' });
    index.sync(
      new Map([
        ['body', inBody],
        ['title', inTitle],
      ]),
    );
    expect(index.search('river', () => true).map((h) => h.article.slug)).toEqual(['title', 'body']);
    expect(index.search('flood', () => true)).toHaveLength(2);
    expect(index.search('nothing-like-this', () => true)).toEqual([]);
  });

  it('updates only what changed', () => {
    const index = new SearchIndex();
    const a = article('a', { title: 'Alpha' });
    const b = article('b', { title: 'Bravo' });
    expect(
      index.sync(
        new Map([
          ['a', a],
          ['b', b],
        ]),
      ),
    ).toBe(2);
    expect(
      index.sync(
        new Map([
          ['a', a],
          ['b', b],
        ]),
      ),
    ).toBe(0);
    const b2 = article('b', { title: 'Charlie' });
    expect(
      index.sync(
        new Map([
          ['a', a],
          ['b', b2],
        ]),
      ),
    ).toBe(2); // one removed, one added
    expect(index.search('bravo', () => true)).toEqual([]);
    expect(index.search('charlie', () => true)[0]?.article).toBe(b2);
    index.sync(new Map([['a', a]]));
    expect(index.size).toBe(1);
  });

  it('filters hits by visibility', () => {
    const index = new SearchIndex();
    index.sync(new Map([['s', article('s', { title: 'Scheduled piece', published: 10 })]]));
    expect(index.search('scheduled', (x) => x.published <= 5)).toEqual([]);
  });
});

describe('snippet', () => {
  it('cuts a window around the first match and flags the matches', () => {
    const text = `${'filler '.repeat(40)}the river Auden rose fast ${'more '.repeat(40)}`;
    const parts = snippet(text, ['auden']);
    expect(parts.filter((p) => p.match).map((p) => p.text)).toEqual(['Auden']);
    expect(parts[0]!.text.startsWith('…')).toBe(true);
    expect(parts.at(-1)!.text.endsWith('…')).toBe(true);
  });

  it('treats terms as text, not patterns', () => {
    expect(snippet('a (b) c', ['(b)']).find((p) => p.match)?.text).toBe('(b)');
  });
});
