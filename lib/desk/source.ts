import { createHash } from 'node:crypto';
import { isMap, parseDocument, stringify } from 'yaml';
import { SLUG_MAX_LENGTH } from '../links';

// The desk writes MDX files an editor could have written by hand (ADR 015): YAML frontmatter,
// a blank line, the body. Pure functions over text; lib/desk/files.ts does the I/O.

/** What identifies a file's content as an editor loaded it: a save with another one is a conflict. */
export const fingerprintOf = (source: string) => createHash('sha256').update(source).digest('base64url');

/** Frontmatter fields in the order SPEC §2 lists them, so files read the same however they were made. */
const FIELD_ORDER = [
  'title',
  'description',
  'live',
  'order',
  'kind',
  'topics',
  'publishedAt',
  'updatedAt',
  'summary',
  'authors',
  'image',
  'keyEvent',
  'pinned',
  'draft',
  'replies',
  'correction',
];

/** A file from frontmatter fields and a body; fields that are undefined or false-by-default are left out. */
export function composeSource(meta: Record<string, unknown>, body: string): string {
  const ordered: Record<string, unknown> = {};
  const keys = [...FIELD_ORDER, ...Object.keys(meta).filter((k) => !FIELD_ORDER.includes(k))];
  for (const key of keys) {
    const value = meta[key];
    if (value === undefined || value === null || value === '') continue;
    if (Array.isArray(value) && value.length === 0) continue;
    ordered[key] = value;
  }
  const yaml = stringify(ordered, { lineWidth: 0 }).trimEnd();
  return `---\n${yaml}\n---\n\n${normalizeBody(body)}`;
}

/** Line endings as \n, no trailing blanks, one final newline. */
const normalizeBody = (body: string) => body.replace(/\r\n?/g, '\n').replace(/\s+$/, '') + '\n';

export type SplitSource = { meta: Record<string, unknown>; body: string };

/** The frontmatter fields (as plain data) and the body of a file the desk reads back; null if it has none. */
export function splitSource(source: string): SplitSource | null {
  const match = /^\uFEFF?---[ \t]*\r?\n([\s\S]*?)\r?\n---[ \t]*(?:\r?\n|$)/.exec(source);
  if (!match) return null;
  const doc = parseDocument(match[1]!);
  if (doc.errors.length > 0 || !isMap(doc.contents)) return null;
  return {
    meta: doc.toJS() as Record<string, unknown>,
    body: source.slice(match[0].length).replace(/^\r?\n/, ''),
  };
}

/**
 * Sets (or, with undefined, removes) frontmatter fields and keeps the rest of the file as it was,
 * comments and formatting included: Pin on a file written by hand changes one line.
 */
export function patchSource(source: string, patch: Record<string, unknown>): string | null {
  const match = /^(\uFEFF?---[ \t]*\r?\n)([\s\S]*?\r?\n)(---[ \t]*(?:\r?\n|$)[\s\S]*)$/.exec(source);
  if (!match) return null;
  const doc = parseDocument(match[2]!);
  if (doc.errors.length > 0 || !isMap(doc.contents)) return null;
  for (const [key, value] of Object.entries(patch)) {
    if (value === undefined) doc.delete(key);
    else doc.set(key, value);
  }
  return match[1]! + doc.toString({ flowCollectionPadding: false, lineWidth: 0 }) + match[3]!;
}

/** Text of a body's first line that says something, without Markdown marks: the default headline. */
export function headlineFrom(body: string, max = 80): string {
  const line =
    body
      .split(/\r?\n/)
      .map((l) =>
        l
          .replace(/<[^>]*>/g, ' ')
          .replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1')
          .replace(/^\s{0,3}(?:#{1,6}\s+|>\s*|[-*+]\s+|\d+[.)]\s+)+/, '')
          .replace(/[*_~`]+/g, '')
          .replace(/\s+/g, ' ')
          .trim(),
      )
      .find((l) => /[\p{L}\p{N}]/u.test(l)) ?? '';
  if (line.length <= max) return line;
  const cut = line.slice(0, max - 1);
  const space = cut.lastIndexOf(' ');
  return (space > max / 2 ? cut.slice(0, space) : cut).replace(/[\s,;:.-]+$/, '') + '…';
}

/** A file-name slug from a headline: ASCII letters and digits joined by single hyphens. */
export function slugFrom(title: string, max = 80): string {
  const slug = title
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/['’]/g, '')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, Math.min(max, SLUG_MAX_LENGTH))
    .replace(/-+$/g, '');
  return slug || 'update';
}

/** `articles/<yyyy>/<mm>/<slug>.mdx` for a publication instant (UTC), as SPEC §9 files them. */
export function articlePath(slug: string, publishedAt: string): string {
  const d = new Date(publishedAt);
  const yyyy = String(d.getUTCFullYear()).padStart(4, '0');
  const mm = String(d.getUTCMonth() + 1).padStart(2, '0');
  return `articles/${yyyy}/${mm}/${slug}.mdx`;
}
