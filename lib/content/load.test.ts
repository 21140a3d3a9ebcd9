import { describe, expect, it } from 'vitest';
import { buildArticleMdx, topicMdx } from '../testing/content';
import { kindOf, parseContent } from './load';

const error = (rel: string, source: string) => {
  const r = parseContent(rel, source);
  if (r.ok) throw new Error('expected a content error');
  return r.error;
};

describe('kindOf', () => {
  it('maps folders to kinds and ignores the rest', () => {
    expect(kindOf('topics/a.mdx')).toBe('topic');
    expect(kindOf('authors/a.mdx')).toBe('author');
    expect(kindOf('articles/2026/11/a.mdx')).toBe('article');
    expect(kindOf('articles/a.md')).toBeNull();
    expect(kindOf('topics/nested/a.mdx')).toBeNull();
    expect(kindOf('articles/.draft.mdx')).toBeNull();
    expect(kindOf('readme.mdx')).toBeNull();
  });
});

describe('parseContent', () => {
  it('parses an article with defaults', () => {
    const a = buildArticleMdx({ slug: 'hello-world', body: 'First paragraph.\n\nSecond.' });
    const r = parseContent('articles/hello-world.mdx', a.source);
    expect(r.ok).toBe(true);
    if (!r.ok || r.file.kind !== 'article') return;
    expect(r.file.slug).toBe('hello-world');
    expect(r.file.meta).toMatchObject({ kind: 'article', replies: 'open', draft: false, pinned: false, keyEvent: false });
    expect(r.file.body.firstParagraph).toBe('First paragraph.');
    expect(r.file.lines.topics).toBe(3);
  });

  it('parses a topic with its intro', () => {
    const r = parseContent('topics/storm.mdx', topicMdx('Storm', 'live: true\norder: 2\n'));
    expect(r.ok && r.file.kind === 'topic' && r.file.meta).toMatchObject({ title: 'Storm', live: true, order: 2 });
  });

  it('refuses a bad slug', () => {
    expect(error('articles/Bad_Name.mdx', buildArticleMdx().source).reason).toMatch(/not a valid slug/);
  });

  it('refuses a missing or unclosed frontmatter block', () => {
    expect(error('articles/a.mdx', 'Just text').reason).toMatch(/missing frontmatter/);
    expect(error('articles/a.mdx', '---\ntitle: x\n').reason).toMatch(/not closed/);
  });

  it('names the line of bad YAML', () => {
    const e = error('articles/a.mdx', '---\ntitle: ok\ntopics: [a\npublishedAt: x\n---\nBody');
    expect(e.reason).toMatch(/bad YAML/);
    expect(e.line).toBeGreaterThanOrEqual(3);
  });

  it('names the field and line of a schema error', () => {
    const source = '---\ntitle: ok\ntopics: [a]\npublishedAt: "2026-11-25 14:30"\n---\nBody';
    expect(error('articles/a.mdx', source)).toEqual({
      file: 'articles/a.mdx',
      line: 4,
      reason: expect.stringMatching(/publishedAt must be ISO 8601 with an offset/),
    });
  });

  it('requires fields and refuses unknown ones', () => {
    expect(error('articles/a.mdx', '---\ntopics: [a]\npublishedAt: "2026-11-25T14:30:00Z"\n---\nB').reason).toBe('title is required');
    expect(error('articles/a.mdx', buildArticleMdx({ extra: 'publishAt: x\n' }).source).reason).toBe('unknown field "publishAt"');
  });

  it('checks every rule of the article frontmatter', () => {
    const bad = (extra: string) => error('articles/a.mdx', buildArticleMdx({ extra }).source).reason;
    expect(bad(`summary: "${'x'.repeat(401)}"\n`)).toMatch(/summary/);
    expect(bad('updatedAt: "2000-01-01T00:00:00Z"\n')).toMatch(/updatedAt must not be before publishedAt/);
    expect(bad('image:\n  src: /images/a.svg\n')).toMatch(/image.alt/);
    expect(bad('image:\n  src: https://x.example/a.png\n  alt: A\n')).toMatch(/image.src/);
    expect(bad('replies: maybe\n')).toMatch(/replies/);
    expect(error('articles/a.mdx', buildArticleMdx({ kind: 'video' as never }).source).reason).toMatch(/kind/);
    expect(bad('draft: "yes"\n')).toMatch(/draft/);
    expect(error('articles/a.mdx', buildArticleMdx({ title: '' }).source).reason).toMatch(/title/);
    expect(error('articles/a.mdx', buildArticleMdx({ topics: [] }).source).reason).toMatch(/at least one topic/);
  });

  it('refuses a body that runs code, with the line in the file', () => {
    const a = buildArticleMdx({ body: 'Fine.\n\n{process.exit(1)}' });
    const e = error('articles/a.mdx', a.source);
    expect(e.reason).toMatch(/JavaScript expressions/);
    expect(a.source.split('\n')[e.line - 1]).toBe('{process.exit(1)}');
  });
});
