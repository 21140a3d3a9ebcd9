import { describe, expect, it } from 'vitest';
import type { Article } from './model';
import { topicIndex } from './topic-index';

const at = (published: number) => ({ slug: `a${published}`, published }) as Article;

describe('topicIndex', () => {
  const index = topicIndex(new Map(), new Map(), (a) => a.published <= 10);

  it('finds where the visible articles of a newest-first list start', () => {
    expect(index.firstVisible([at(30), at(20), at(10), at(5)])).toBe(2);
    expect(index.firstVisible([at(9), at(1)])).toBe(0); // all out
    expect(index.firstVisible([at(12), at(11)])).toBe(2); // all scheduled
    expect(index.firstVisible([])).toBe(0);
  });
});
