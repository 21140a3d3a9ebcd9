import { describe, expect, it } from 'vitest';
import type { Article, Author, Topic } from '../content/model';
import { buildFeed } from './build';

const topic: Topic = {
  slug: 'storm',
  file: '',
  title: 'Storm & Sea',
  description: 'Live <coverage>',
  live: true,
  order: 1,
  intro: null,
};
const author: Author = { slug: 'ann', file: '', name: 'Ann Editor', role: null, avatar: null, bio: null };
const article = {
  slug: 'river-rises',
  title: 'River rises <fast> & high',
  summary: 'The river rose.',
  publishedAt: '2026-11-25T10:00:00Z',
  updatedAt: '2026-11-25T11:00:00Z',
  authors: ['ann'],
  topics: ['storm'],
  kind: 'update',
  text: 'Full text of the update.',
  image: { src: '/images/a.svg', alt: 'A' },
} as unknown as Article;
const input = { topic, articles: [article], authors: new Map([['ann', author]]) };

describe('buildFeed', () => {
  it('builds RSS 2.0 with absolute URLs and escaped text', () => {
    const xml = buildFeed(input, 'rss');
    expect(xml).toMatch(/<rss version="2.0"/);
    expect(xml).toContain('<link>http://localhost:3000/articles/river-rises</link>');
    expect(xml).toContain('<title><![CDATA[River rises <fast> & high]]></title>');
    expect(xml).toContain('http://localhost:3000/topics/storm/rss.xml');
  });

  it('builds Atom 1.0', () => {
    const xml = buildFeed(input, 'atom');
    expect(xml).toContain('xmlns="http://www.w3.org/2005/Atom"');
    expect(xml).toContain('<name>Ann Editor</name>');
    expect(xml).toContain('<updated>2026-11-25T11:00:00.000Z</updated>');
  });

  it('builds JSON Feed 1.1', () => {
    const feed = JSON.parse(buildFeed(input, 'json'));
    expect(feed.version).toBe('https://jsonfeed.org/version/1.1');
    expect(feed.title).toBe('Storm & Sea · Dispatch');
    expect(feed.items[0]).toMatchObject({
      id: 'http://localhost:3000/articles/river-rises',
      url: 'http://localhost:3000/articles/river-rises',
      title: 'River rises <fast> & high',
      date_published: '2026-11-25T10:00:00.000Z',
      date_modified: '2026-11-25T11:00:00.000Z',
      authors: [{ name: 'Ann Editor', url: 'http://localhost:3000/authors/ann' }],
      image: 'http://localhost:3000/images/a.svg',
    });
    expect(JSON.stringify(feed)).not.toContain('@');
  });
});
