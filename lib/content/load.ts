import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import type { z } from 'zod';
import { readFrontmatter } from './frontmatter';
import { compileBody, type CompiledBody } from './mdx';
import { articleSchema, authorSchema, slugPattern, topicSchema, type ArticleMeta, type AuthorMeta, type TopicMeta } from './schema';

export type ContentKind = 'topic' | 'author' | 'article';

/** A content error: the file is left out, the rest keeps serving (SPEC §2). */
export type ContentError = { file: string; line: number; reason: string };

type Base = { file: string; slug: string };
export type TopicFile = Base & { kind: 'topic'; meta: TopicMeta; body: CompiledBody | null };
export type AuthorFile = Base & { kind: 'author'; meta: AuthorMeta; body: CompiledBody | null };
export type ArticleFile = Base & {
  kind: 'article';
  meta: ArticleMeta;
  body: CompiledBody;
  /** Lines of the fields checked against other files, so those errors name the right line too. */
  lines: { topics: number; authors: number };
};
export type ParsedFile = TopicFile | AuthorFile | ArticleFile;
export type LoadResult = { ok: true; file: ParsedFile } | { ok: false; error: ContentError };

/** Which kind a path under CONTENT_DIR holds, or null for files that aren't content. */
export function kindOf(relPath: string): ContentKind | null {
  const parts = relPath.split(/[\\/]/);
  if (!relPath.endsWith('.mdx') || parts.some((p) => p.startsWith('.'))) return null;
  if (parts[0] === 'topics' && parts.length === 2) return 'topic';
  if (parts[0] === 'authors' && parts.length === 2) return 'author';
  if (parts[0] === 'articles' && parts.length >= 2) return 'article';
  return null;
}

export const slugOf = (relPath: string) => path.basename(relPath, '.mdx');

const schemas = { topic: topicSchema, author: authorSchema, article: articleSchema } as const;

function zodReason(error: z.ZodError): { path: PropertyKey[]; reason: string } {
  const issue = error.issues[0]!;
  if (issue.code === 'unrecognized_keys') {
    return { path: [issue.keys[0]!], reason: `unknown field "${issue.keys[0]}"` };
  }
  const field = issue.path.map(String).join('.');
  const message =
    issue.code === 'invalid_type' && issue.input === undefined ? 'is required' : issue.message.replace(/^Invalid input: /, '');
  return { path: issue.path, reason: field ? `${field} ${message}` : message };
}

/** Parses one content file. Pure: no I/O, so tests and the benchmark call it directly. */
export function parseContent(relPath: string, source: string): LoadResult {
  const file = relPath.split(path.sep).join('/');
  const kind = kindOf(file);
  const fail = (line: number, reason: string): LoadResult => ({ ok: false, error: { file, line, reason } });
  if (!kind) return fail(1, 'not a content file: expected topics/<slug>.mdx, authors/<slug>.mdx or articles/**/<slug>.mdx');
  const slug = slugOf(file);
  if (!slugPattern.test(slug)) return fail(1, `file name "${slug}" is not a valid slug (lower-case letters, digits and single hyphens)`);

  const fm = readFrontmatter(source);
  if (!fm.ok) return fail(fm.line, fm.reason);
  const meta = schemas[kind].safeParse(fm.data);
  if (!meta.success) {
    const { path: at, reason } = zodReason(meta.error);
    return fail(fm.lineOf(at), reason);
  }

  const hasBody = fm.body.trim().length > 0;
  let body: CompiledBody | null = null;
  if (hasBody || kind === 'article') {
    const compiled = compileBody(fm.body, fm.bodyLine - 1);
    if (!compiled.ok) return fail(compiled.line, compiled.reason);
    body = compiled.body;
  }
  switch (kind) {
    case 'topic':
      return { ok: true, file: { kind, file, slug, meta: meta.data as TopicMeta, body } };
    case 'author':
      return { ok: true, file: { kind, file, slug, meta: meta.data as AuthorMeta, body } };
    case 'article':
      return {
        ok: true,
        file: {
          kind,
          file,
          slug,
          meta: meta.data as ArticleMeta,
          body: body!,
          lines: { topics: fm.lineOf(['topics']), authors: fm.lineOf(['authors']) },
        },
      };
  }
}

/** Reads and parses one file (unless `unchanged` says it is as before); a read failure is a content error too. */
export async function loadContentFile(
  dir: string,
  relPath: string,
  unchanged?: (source: string) => boolean,
): Promise<LoadResult | 'unchanged'> {
  try {
    const source = await readFile(path.join(dir, relPath), 'utf8');
    return unchanged?.(source) ? 'unchanged' : parseContent(relPath, source);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? String(error);
    return { ok: false, error: { file: relPath, line: 1, reason: `cannot read file (${code})` } };
  }
}

/** Every content file under `dir`, as paths relative to it. A missing directory is empty. */
export async function listContentFiles(dir: string): Promise<string[]> {
  try {
    const entries = await readdir(dir, { recursive: true, withFileTypes: true });
    return entries
      .filter((e) => e.isFile())
      .map((e) => path.relative(dir, path.join(e.parentPath, e.name)).split(path.sep).join('/'))
      .filter((rel) => kindOf(rel) !== null)
      .sort();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
}
