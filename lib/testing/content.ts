import { mkdtemp, mkdir, rm, unlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';

let counter = 0;
const unique = (prefix: string) => `${prefix}-${process.pid}-${Date.now().toString(36)}-${++counter}`;

export type ArticleMdx = {
  slug: string;
  title: string;
  topics: string[];
  publishedAt: string;
  kind: 'article' | 'update';
  body: string;
  extra: string;
  folder: string;
};

/** Frontmatter + body for an article, with unique values unless overridden. */
export function buildArticleMdx(overrides: Partial<ArticleMdx> = {}): ArticleMdx & { source: string } {
  const a: ArticleMdx = {
    slug: unique('test-article'),
    title: `Test article ${++counter}`,
    topics: ['test-topic'],
    publishedAt: new Date(Date.now() - 60_000).toISOString(),
    kind: 'article',
    body: 'A first paragraph with a searchable word: zanzibar.\n\nA second paragraph.',
    extra: '',
    folder: 'articles',
    ...overrides,
  };
  const source = `---
title: ${JSON.stringify(a.title)}
topics: [${a.topics.join(', ')}]
publishedAt: "${a.publishedAt}"
kind: ${a.kind}
${a.extra}---

${a.body}
`;
  return { ...a, source };
}

export const topicMdx = (title: string, extra = '') =>
  `---\ntitle: ${JSON.stringify(title)}\ndescription: "About ${title}."\n${extra}---\n\nIntro to ${title}.\n`;
const authorMdx = (name: string) => `---\nname: ${JSON.stringify(name)}\nrole: Reporter\n---\n`;

/** A temporary CONTENT_DIR with one topic ("test-topic") and one author ("test-author"). */
export async function makeContentDir() {
  const dir = await mkdtemp(path.join(tmpdir(), 'dispatch-content-'));
  const write = async (rel: string, source: string) => {
    await mkdir(path.dirname(path.join(dir, rel)), { recursive: true });
    await writeFile(path.join(dir, rel), source);
    return rel;
  };
  await write('topics/test-topic.mdx', topicMdx('Test Topic'));
  await write('authors/test-author.mdx', authorMdx('Test Author'));
  return {
    dir,
    write,
    remove: (rel: string) => unlink(path.join(dir, rel)),
    async writeArticle(overrides: Partial<ArticleMdx> = {}) {
      const a = buildArticleMdx(overrides);
      const rel = await write(`${a.folder}/${a.slug}.mdx`, a.source);
      return { ...a, rel };
    },
    cleanup: () => rm(dir, { recursive: true, force: true }),
  };
}
