import { constants, type Dirent } from 'node:fs';
import { lstat, open, opendir, realpath, stat, type FileHandle } from 'node:fs/promises';
import path from 'node:path';
import type { z } from 'zod';
import { readFrontmatter } from './frontmatter';
import { compileBody, type CompiledBody } from './mdx';
import { isSlug, SLUG_MAX_LENGTH } from '../links';
import {
  articleSchema,
  authorSchema,
  topicSchema,
  type ArticleMeta,
  type AuthorMeta,
  type TopicMeta,
} from './schema';

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

/** Bounds on what is read from CONTENT_DIR, so a huge or hostile tree cannot exhaust memory. */
export type ContentLimits = {
  /** Folders deeper than this below CONTENT_DIR are left out (articles/2026/11 is 3). */
  maxDepth: number;
  /** Content files kept at most. */
  maxFiles: number;
  /** Folders walked at most (a tree of empty folders costs memory too). */
  maxFolders: number;
  maxFileBytes: number;
};
const MAX_DEPTH = 16;
const MAX_FILES = 250_000;
const MAX_FOLDERS = 250_000;
const MAX_FILE_BYTES = 2 * 1024 * 1024;
export const contentLimits: Readonly<ContentLimits> = {
  maxDepth: MAX_DEPTH,
  maxFiles: MAX_FILES,
  maxFolders: MAX_FOLDERS,
  maxFileBytes: MAX_FILE_BYTES,
};

const LINK_REASON = 'is a symbolic link: links are not followed in CONTENT_DIR';
const UNDER_LINK_REASON = 'is under a symbolic link: links are not followed in CONTENT_DIR';
export const tooManyFilesReason = (limit: number) =>
  `too many content files (limit ${limit}): the rest are left out`;
const tooDeepReason = (limit: number) => `folder nested deeper than ${limit} levels: left out`;

/** Which kind a path under CONTENT_DIR holds, or null for files that aren't content. */
export function kindOf(relPath: string): ContentKind | null {
  const parts = relPath.split(/[\\/]/);
  if (!relPath.endsWith('.mdx') || parts.some((p) => p.startsWith('.'))) return null;
  if (parts[0] === 'topics' && parts.length === 2) return 'topic';
  if (parts[0] === 'authors' && parts.length === 2) return 'author';
  if (parts[0] === 'articles' && parts.length >= 2) return 'article';
  return null;
}

/**
 * True for a folder path that may hold content somewhere below it (the root, topics/, authors/,
 * articles/**). The walker and the watcher look nowhere else, and a symbolic link at such a path
 * is refused rather than silently skipped.
 */
export function mayHoldContent(relDir: string): boolean {
  if (relDir === '') return true;
  const parts = relDir.split(/[\\/]/);
  if (parts.some((p) => p.startsWith('.'))) return false;
  if (parts[0] === 'articles') return true;
  return parts.length === 1 && (parts[0] === 'topics' || parts[0] === 'authors');
}

const slugOf = (relPath: string) => path.basename(relPath, '.mdx');

const schemas = { topic: topicSchema, author: authorSchema, article: articleSchema } as const;

function zodReason(error: z.ZodError): { path: PropertyKey[]; reason: string } {
  const issue = error.issues[0]!;
  if (issue.code === 'unrecognized_keys') {
    return { path: [issue.keys[0]!], reason: `unknown field "${issue.keys[0]}"` };
  }
  const field = issue.path.map(String).join('.');
  const message =
    issue.code === 'invalid_type' && issue.input === undefined
      ? 'is required'
      : issue.message.replace(/^Invalid input: /, '');
  return { path: issue.path, reason: field ? `${field} ${message}` : message };
}

/** Parses one content file. Pure: no I/O, so tests and the benchmark call it directly. */
export function parseContent(relPath: string, source: string): LoadResult {
  const file = relPath.split(path.sep).join('/');
  const kind = kindOf(file);
  const fail = (line: number, reason: string): LoadResult => ({ ok: false, error: { file, line, reason } });
  if (!kind)
    return fail(
      1,
      'not a content file: expected topics/<slug>.mdx, authors/<slug>.mdx or articles/**/<slug>.mdx',
    );
  const slug = slugOf(file);
  if (!isSlug(slug))
    return fail(
      1,
      `file name "${slug}" is not a valid slug (lower-case letters, digits and single hyphens, at most ${SLUG_MAX_LENGTH} characters)`,
    );

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

/** What `loadContentFile` found when nothing at the path is content (missing, or a real folder). */
export type NoContent = 'none';

const errorCode = (error: unknown) => (error as NodeJS.ErrnoException).code ?? String(error);

/**
 * Reads and parses one file (unless `unchanged` says it is as before); a read failure is a content
 * error too. Links are never followed: a symbolic link at a content path, or at a folder path that
 * may hold content, is a content error, as is a file under a linked folder. `realDir` is
 * `realpath(dir)` when the caller has it (the store resolves it once).
 */
export async function loadContentFile(
  dir: string,
  relPath: string,
  unchanged?: (source: string) => boolean,
  options: { realDir?: string; limits?: Partial<ContentLimits> } = {},
): Promise<LoadResult | 'unchanged' | NoContent> {
  const rel = relPath.split(path.sep).join('/');
  const fail = (reason: string): LoadResult => ({ ok: false, error: { file: rel, line: 1, reason } });
  let root: string;
  try {
    root = options.realDir ?? (await realpath(dir));
  } catch (error) {
    if (errorCode(error) === 'ENOENT') return 'none';
    return fail(`cannot read file (${errorCode(error)})`);
  }
  const full = path.join(root, rel);
  if (!kindOf(rel)) return mayHoldContent(rel) ? linkedFolder(full, fail) : 'none';

  let handle: FileHandle;
  try {
    // O_NOFOLLOW refuses a link as the last component (ELOOP); O_NONBLOCK keeps a FIFO from hanging us.
    handle = await open(full, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
  } catch (error) {
    const code = errorCode(error);
    if (code === 'ENOENT') return 'none';
    return fail(code === 'ELOOP' ? LINK_REASON : `cannot read file (${code})`);
  }
  try {
    const [st, real] = await Promise.all([handle.stat(), realpath(full)]);
    // A linked folder on the way (articles/x -> /etc) passes O_NOFOLLOW; the real path gives it away.
    if (real !== full) return fail(UNDER_LINK_REASON);
    if (st.isDirectory()) return 'none'; // a folder named *.mdx: the walker looks inside it
    if (!st.isFile()) return fail('not a regular file');
    // The file we opened must still be the one at that path (no swap between open and realpath).
    const now = await lstat(full);
    if (now.ino !== st.ino || now.dev !== st.dev) return fail(UNDER_LINK_REASON);
    const maxBytes = options.limits?.maxFileBytes ?? MAX_FILE_BYTES;
    const bytes = await readAtMost(handle, st.size, maxBytes);
    if (!bytes) return fail(`file is larger than ${formatBytes(maxBytes)}`);
    const source = bytes.toString('utf8');
    return unchanged?.(source) ? 'unchanged' : parseContent(rel, source);
  } catch (error) {
    // Deleted after it was opened: as gone as a file that was never there.
    if (errorCode(error) === 'ENOENT') return 'none';
    return fail(`cannot read file (${errorCode(error)})`);
  } finally {
    await handle.close();
  }
}

/** A folder path: content only if it is a link to a folder, which is refused; anything else is none. */
async function linkedFolder(
  full: string,
  fail: (reason: string) => LoadResult,
): Promise<LoadResult | NoContent> {
  try {
    if (!(await lstat(full)).isSymbolicLink()) return 'none';
    // stat only learns whether the target is a folder; nothing behind the link is read.
    const target = await stat(full).catch(() => null);
    return target?.isDirectory() ? fail(LINK_REASON) : 'none';
  } catch (error) {
    if (errorCode(error) === 'ENOENT') return 'none';
    return fail(`cannot read file (${errorCode(error)})`);
  }
}

/** The file's bytes, or null when it has more than `max` (it may have grown since fstat). */
async function readAtMost(handle: FileHandle, size: number, max: number): Promise<Buffer | null> {
  if (size > max) return null;
  const chunks: Buffer[] = [];
  let total = 0;
  let chunkSize = size + 1; // room for a byte more than fstat said, to notice a file that grew
  for (;;) {
    const chunk = Buffer.allocUnsafe(Math.min(chunkSize, max + 1 - total));
    const { bytesRead } = await handle.read(chunk, 0, chunk.length, total);
    if (bytesRead === 0) break;
    chunks.push(chunk.subarray(0, bytesRead));
    total += bytesRead;
    if (total > max) return null;
    chunkSize = 64 * 1024;
  }
  return Buffer.concat(chunks, total);
}

const formatBytes = (n: number) => (n % (1024 * 1024) === 0 ? `${n / 1024 / 1024} MiB` : `${n} bytes`);

export type ContentListing = { files: string[]; errors: ContentError[] };

/**
 * Every content file under `dir` (or under its subfolder `from`), as sorted paths relative to
 * `dir`, plus the errors for what was left out. An explicit walk rather than a recursive readdir so
 * it can stay bounded: dot-folders (.git, .trash) and folders that cannot hold content are not
 * entered, links are not followed (a link at a content path is listed, for loadContentFile to
 * refuse), folders deeper than maxDepth are left out, and it stops at maxFiles. A missing
 * directory is empty.
 */
export async function listContentFiles(
  dir: string,
  options: { from?: string; limits?: Partial<ContentLimits> } = {},
): Promise<ContentListing> {
  const { maxDepth, maxFiles, maxFolders } = { ...contentLimits, ...options.limits };
  const from = options.from ?? '';
  const files: string[] = [];
  const errors: ContentError[] = [];
  const stack = [from];
  let folders = 0;
  const fail = (file: string, reason: string) => errors.push({ file: file || '.', line: 1, reason });
  while (stack.length > 0) {
    const folder = stack.pop()!;
    if (folder !== '' && folder.split('/').length > maxDepth) {
      fail(folder, tooDeepReason(maxDepth));
      continue;
    }
    const subfolders: string[] = [];
    try {
      // opendir streams the entries, so one folder with millions of them is not held at once.
      for await (const entry of await opendir(path.join(dir, folder))) {
        if (entry.name.startsWith('.')) continue; // .git, .trash, editors' temp files: never content
        const rel = folder ? `${folder}/${entry.name}` : entry.name;
        if (entry.isDirectory()) {
          if (!mayHoldContent(rel)) continue;
          if (++folders > maxFolders)
            return stop(folder, `too many folders (limit ${maxFolders}): the rest are left out`);
          subfolders.push(rel);
        } else if (await isCandidate(path.join(dir, rel), entry, rel)) {
          if (files.length >= maxFiles) return stop(folder, tooManyFilesReason(maxFiles));
          files.push(rel);
        }
      }
    } catch (error) {
      const code = errorCode(error);
      if (code === 'ENOENT') continue; // gone since it was listed (or CONTENT_DIR is missing): empty
      if (folder === from) throw error;
      fail(folder, `cannot read folder (${code})`);
      continue;
    }
    // Depth first, in name order; topics and authors first, as every article needs them.
    stack.push(...subfolders.sort(byRootOrder).reverse());
  }
  return { files: files.sort(), errors };

  function stop(folder: string, reason: string) {
    fail(folder, reason);
    return { files: files.sort(), errors };
  }
}

/**
 * A content file, or a link where content could be (refused when loaded): at a content path, or
 * to a folder at a folder path that may hold content (stat learns only that it is a folder).
 */
async function isCandidate(full: string, entry: Dirent, rel: string) {
  if (!entry.isSymbolicLink()) return entry.isFile() && kindOf(rel) !== null;
  if (kindOf(rel) !== null) return true;
  return mayHoldContent(rel) && (await stat(full).catch(() => null))?.isDirectory() === true;
}

const rootRank = (rel: string) => (rel === 'topics' ? 0 : rel === 'authors' ? 1 : 2);
const byRootOrder = (a: string, b: string) => rootRank(a) - rootRank(b) || (a < b ? -1 : a > b ? 1 : 0);
