import { execFileSync } from 'node:child_process';
import { mkdir, symlink } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildArticleMdx, makeContentDir, topicMdx } from '../testing/content';
import { kindOf, listContentFiles, loadContentFile, mayHoldContent, parseContent } from './load';

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

  it('knows which folders may hold content', () => {
    expect(['', 'topics', 'authors', 'articles', 'articles/2026/11'].map(mayHoldContent)).toEqual([
      true,
      true,
      true,
      true,
      true,
    ]);
    expect(
      ['topics/nested', 'images', 'articles/.trash', '.git', 'articles/../..'].map(mayHoldContent),
    ).toEqual([false, false, false, false, false]);
  });
});

describe('listContentFiles and loadContentFile', () => {
  let content: Awaited<ReturnType<typeof makeContentDir>>;
  let outside: Awaited<ReturnType<typeof makeContentDir>>;
  beforeEach(async () => {
    [content, outside] = await Promise.all([makeContentDir(), makeContentDir()]);
  });
  afterEach(() => Promise.all([content.cleanup(), outside.cleanup()]));

  const link = (target: string, rel: string) => symlink(target, path.join(content.dir, rel));
  const reason = async (rel: string, options?: Parameters<typeof loadContentFile>[3]) => {
    const r = await loadContentFile(content.dir, rel, undefined, options);
    return typeof r === 'object' && !r.ok ? r.error.reason : r;
  };

  it('walks only where content can be, lists links there and follows none', async () => {
    const a = await content.writeArticle({ folder: 'articles/2026' });
    await content.write('articles/notes.txt', 'not content');
    await content.write('images/a.mdx', 'not content either');
    await content.write('.git/articles/b.mdx', 'a dot-folder');
    await content.write('articles/.trash/c.mdx', 'a dot-folder');
    await content.write('outside.png', 'png');
    await link(path.join(outside.dir, 'topics/test-topic.mdx'), 'articles/linked.mdx');
    await link(path.join(outside.dir, 'articles-missing.mdx'), 'articles/dangling.mdx');
    await link(outside.dir, 'articles/linked-folder');
    await link('..', 'articles/2026/loop');
    await link(path.join(content.dir, 'outside.png'), 'articles/photo.png'); // a link, but not to content
    expect(await listContentFiles(content.dir)).toEqual({
      files: [
        'articles/2026/loop',
        a.rel,
        'articles/dangling.mdx',
        'articles/linked-folder',
        'articles/linked.mdx',
        'authors/test-author.mdx',
        'topics/test-topic.mdx',
      ],
      errors: [],
    });
    expect(await listContentFiles(path.join(content.dir, 'missing'))).toEqual({ files: [], errors: [] });
  });

  it('bounds the walk by depth and by number of files', async () => {
    await content.writeArticle({ folder: 'articles/a/b' });
    const shallow = await content.writeArticle({ folder: 'articles/a' });
    expect(await listContentFiles(content.dir, { limits: { maxDepth: 2 } })).toEqual({
      files: [shallow.rel, 'authors/test-author.mdx', 'topics/test-topic.mdx'],
      errors: [{ file: 'articles/a/b', line: 1, reason: 'folder nested deeper than 2 levels: left out' }],
    });
    expect(await listContentFiles(content.dir, { limits: { maxFiles: 2 } })).toEqual({
      files: ['authors/test-author.mdx', 'topics/test-topic.mdx'],
      errors: [
        { file: 'articles/a', line: 1, reason: 'too many content files (limit 2): the rest are left out' },
      ],
    });
    expect((await listContentFiles(content.dir, { from: 'articles/a' })).files).toEqual([
      expect.stringMatching(/^articles\/a\/b\//),
      shallow.rel,
    ]);
    expect((await listContentFiles(content.dir, { limits: { maxFolders: 3 } })).errors).toEqual([
      { file: 'articles', line: 1, reason: 'too many folders (limit 3): the rest are left out' },
    ]);
  });

  it('refuses links, files under a linked folder and files over the size limit', async () => {
    await mkdir(path.join(content.dir, 'articles'));
    await link(path.join(outside.dir, 'topics/test-topic.mdx'), 'articles/linked.mdx');
    await link(path.join(outside.dir, 'nothing.mdx'), 'articles/dangling.mdx');
    await link(path.join(outside.dir, 'topics'), 'articles/folder');
    await link(path.join(outside.dir, 'topics'), 'articles/folder.mdx');
    expect(await reason('articles/linked.mdx')).toBe(
      'is a symbolic link: links are not followed in CONTENT_DIR',
    );
    expect(await reason('articles/dangling.mdx')).toMatch(/is a symbolic link/);
    expect(await reason('articles/folder.mdx')).toMatch(/is a symbolic link/);
    expect(await reason('articles/folder')).toMatch(/is a symbolic link/);
    expect(await reason('articles/folder/test-topic.mdx')).toBe(
      'is under a symbolic link: links are not followed in CONTENT_DIR',
    );
    expect(await reason('topics/test-topic.mdx', { limits: { maxFileBytes: 10 } })).toBe(
      'file is larger than 10 bytes',
    );
    expect(await reason('articles/missing.mdx')).toBe('none');
  });

  it('reads through a CONTENT_DIR that is itself a link', async () => {
    const current = path.join(outside.dir, 'current');
    await symlink(content.dir, current);
    const r = await loadContentFile(current, 'topics/test-topic.mdx');
    expect(typeof r === 'object' && r.ok && r.file.slug).toBe('test-topic');
  });

  it.skipIf(process.platform === 'win32')('refuses a FIFO without waiting for a writer', async () => {
    await mkdir(path.join(content.dir, 'articles'));
    execFileSync('mkfifo', [path.join(content.dir, 'articles/pipe.mdx')]);
    expect(await reason('articles/pipe.mdx')).toBe('not a regular file');
  });
});

describe('parseContent', () => {
  it('parses an article with defaults', () => {
    const a = buildArticleMdx({ slug: 'hello-world', body: 'First paragraph.\n\nSecond.' });
    const r = parseContent('articles/hello-world.mdx', a.source);
    expect(r.ok).toBe(true);
    if (!r.ok || r.file.kind !== 'article') return;
    expect(r.file.slug).toBe('hello-world');
    expect(r.file.meta).toMatchObject({
      kind: 'article',
      replies: 'open',
      draft: false,
      pinned: false,
      keyEvent: false,
    });
    expect(r.file.body.firstParagraph).toBe('First paragraph.');
    expect(r.file.lines.topics).toBe(3);
  });

  it('parses a topic with its intro', () => {
    const r = parseContent('topics/storm.mdx', topicMdx('Storm', 'live: true\norder: 2\n'));
    expect(r.ok && r.file.kind === 'topic' && r.file.meta).toMatchObject({
      title: 'Storm',
      live: true,
      order: 2,
    });
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
    expect(
      error('articles/a.mdx', '---\ntopics: [a]\npublishedAt: "2026-11-25T14:30:00Z"\n---\nB').reason,
    ).toBe('title is required');
    expect(error('articles/a.mdx', buildArticleMdx({ extra: 'publishAt: x\n' }).source).reason).toBe(
      'unknown field "publishAt"',
    );
  });

  it('checks every rule of the article frontmatter', () => {
    const bad = (extra: string) => error('articles/a.mdx', buildArticleMdx({ extra }).source).reason;
    expect(bad(`summary: "${'x'.repeat(401)}"\n`)).toMatch(/summary/);
    expect(bad('updatedAt: "2000-01-01T00:00:00Z"\n')).toMatch(/updatedAt must not be before publishedAt/);
    expect(bad('image:\n  src: /images/a.svg\n')).toMatch(/image.alt/);
    expect(bad('image:\n  src: https://x.example/a.png\n  alt: A\n')).toMatch(/image.src/);
    expect(bad('replies: maybe\n')).toMatch(/replies/);
    expect(error('articles/a.mdx', buildArticleMdx({ kind: 'video' as never }).source).reason).toMatch(
      /kind/,
    );
    expect(bad('draft: "yes"\n')).toMatch(/draft/);
    expect(error('articles/a.mdx', buildArticleMdx({ title: '' }).source).reason).toMatch(/title/);
    expect(error('articles/a.mdx', buildArticleMdx({ topics: [] }).source).reason).toMatch(
      /at least one topic/,
    );
  });

  it('refuses a body that runs code, with the line in the file', () => {
    const a = buildArticleMdx({ body: 'Fine.\n\n{process.exit(1)}' });
    const e = error('articles/a.mdx', a.source);
    expect(e.reason).toMatch(/JavaScript expressions/);
    expect(a.source.split('\n')[e.line - 1]).toBe('{process.exit(1)}');
  });
});
