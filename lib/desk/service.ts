import { randomUUID } from 'node:crypto';
import type { ContentStore } from '../content/store';
import type { ArticleFile, ContentError } from '../content/load';
import type { Db } from '../db/client';
import { AppError } from '../errors';
import { log } from '../log';
import { compileBody } from '../content/mdx';
import type { DeskEntry, EditableEntry, EntryStatus, SavedEntry } from './dto';
import { ConflictError, DeskFiles, type Editor } from './files';
import type { ArticleFormInput, EditEntryInput, PostUpdateInput } from './schema';
import { articlePath, composeSource, headlineFrom, patchSource, slugFrom, splitSource } from './source';

/**
 * The desk's rules (SPEC §9, ADR 015): what an editor's post, edit, flag, delete or restore does to
 * the files in CONTENT_DIR. Every file is validated exactly as content:check would before it is
 * written, every write is checked against the fingerprint the editor loaded, and every change is
 * logged and (in a git repository) committed. The store then reads the file like any other; this
 * instance applies it at once instead of waiting for its watcher, and every other instance's
 * watcher picks it up from the shared folder.
 */
export type Desk = { store: ContentStore; files: DeskFiles; db: Db; now?: () => number };
export type Actor = Editor & { authorSlug: string | null };

const iso = (ms: number) => new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');

/** The item's status now: a draft, scheduled (published in the future) or published. */
const statusOf = (meta: { draft: boolean; publishedAt: string }, now: number): EntryStatus =>
  meta.draft ? 'draft' : Date.parse(meta.publishedAt) > now ? 'scheduled' : 'published';

/** Posts an update from a topic page: now, at a time to come, or as a draft. */
export async function postUpdate(desk: Desk, actor: Actor, input: PostUpdateInput): Promise<SavedEntry> {
  const now = clock(desk);
  if (!desk.store.snapshot.topics.has(input.topic))
    throw new AppError('not_found', 'That topic no longer exists.');
  let published = now;
  if (input.mode === 'schedule') {
    if (!input.publishAt) throw new AppError('invalid', 'Choose when to publish.');
    published = Date.parse(input.publishAt);
    if (published <= now) throw new AppError('invalid', 'Choose a time in the future to schedule.');
  }
  const title = input.headline || headlineFrom(input.body);
  if (!title) throw new AppError('invalid', 'Write the update first.');
  const authors = input.authors.length > 0 ? input.authors : actor.authorSlug ? [actor.authorSlug] : [];
  const meta = {
    title,
    kind: 'update',
    topics: [input.topic],
    publishedAt: iso(published),
    authors,
    keyEvent: input.keyEvent || undefined,
    pinned: input.pinned || undefined,
    draft: input.mode === 'draft' || undefined,
  };
  const action = input.mode === 'publish' ? 'publish' : input.mode;
  return create(desk, actor, meta, input.body, action);
}

/** A new article from /desk's form, or an edit of one (checked against the fingerprint loaded). */
export async function saveArticle(desk: Desk, actor: Actor, input: ArticleFormInput): Promise<SavedEntry> {
  const image = input.image?.src
    ? {
        src: input.image.src,
        alt: input.image.alt,
        caption: input.image.caption || undefined,
        credit: input.image.credit || undefined,
      }
    : undefined;
  const meta = {
    title: input.title,
    kind: input.kind,
    topics: input.topics,
    publishedAt: input.publishedAt,
    summary: input.summary || undefined,
    authors: input.authors.length > 0 ? input.authors : actor.authorSlug ? [actor.authorSlug] : [],
    image,
    keyEvent: input.keyEvent || undefined,
    pinned: input.pinned || undefined,
    draft: input.draft || undefined,
    replies: input.replies === 'closed' ? 'closed' : undefined,
    correction: input.correction || undefined,
  };
  if (!input.slug) return create(desk, actor, meta, input.body, input.draft ? 'draft' : 'save');
  if (!input.fingerprint) throw new AppError('invalid', 'Reload the article before saving it.');
  // An edited file keeps its path (and its URL) even when its date changes: the path is only filing.
  const file = fileOf(desk, input.slug);
  return replace(desk, actor, file, input.fingerprint, 'save', () => {
    const now = clock(desk);
    const out = !input.draft && Date.parse(input.publishedAt) <= now;
    return composeSource({ ...meta, updatedAt: out ? iso(now) : undefined }, input.body);
  });
}

/** Edit in place: new text (and headline), `updatedAt` now, an optional correction for readers. */
export async function editEntry(desk: Desk, actor: Actor, input: EditEntryInput): Promise<SavedEntry> {
  const file = fileOf(desk, input.slug);
  return replace(desk, actor, file, input.fingerprint, 'edit', (current) => {
    const split = splitSource(current);
    if (!split)
      throw new AppError('invalid', `${file} has no frontmatter the desk can read; fix it by hand.`);
    const now = clock(desk);
    const title = input.headline || headlineFrom(input.body);
    if (!title) throw new AppError('invalid', 'The update cannot be empty.');
    const published = Date.parse(String(split.meta.publishedAt));
    return composeSource(
      {
        ...split.meta,
        title,
        // A published item says when it changed; a draft or a scheduled one has nothing to tell yet.
        updatedAt:
          !split.meta.draft && published <= now ? iso(Math.max(now, published)) : split.meta.updatedAt,
        correction: input.correction || split.meta.correction,
      },
      input.body,
    );
  });
}

/** Pin/Unpin, Key event on/off: one frontmatter line, the rest of the file as it was. */
export async function setFlag(
  desk: Desk,
  actor: Actor,
  input: { slug: string; flag: 'pinned' | 'keyEvent'; value: boolean },
): Promise<SavedEntry> {
  const file = fileOf(desk, input.slug);
  const action =
    input.flag === 'pinned' ? (input.value ? 'pin' : 'unpin') : input.value ? 'key-event' : 'not-key-event';
  return desk.files.exclusive(async () => {
    const current = await desk.files.read(file);
    if (!current) throw new AppError('not_found', 'That item was deleted meanwhile.');
    const next = patchSource(current.source, { [input.flag]: input.value ? true : undefined });
    if (next === null)
      throw new AppError('invalid', `${file} has no frontmatter the desk can read; fix it by hand.`);
    return commitWrite(desk, actor, file, next, current.fingerprint, action);
  });
}

/** Moves the item's file to the trash (restorable from /desk). */
export async function deleteEntry(desk: Desk, actor: Actor, slug: string): Promise<{ trashed: string }> {
  const file = fileOf(desk, slug);
  const trashed = await desk.files.exclusive(async () => {
    const to = await desk.files.trash(file);
    await desk.store.apply([file]);
    await record(desk, actor, 'delete', file, to);
    await desk.files.commit([file, to], `Delete ${file}`, actor);
    return to;
  });
  return { trashed };
}

/** Puts a trashed file back where it was, if nothing took its place or its slug meanwhile. */
export async function restoreEntry(desk: Desk, actor: Actor, trashed: string): Promise<{ file: string }> {
  const listed = (await desk.files.listTrash()).find((t) => t.path === trashed);
  if (!listed) throw new AppError('not_found', 'Nothing in the trash by that name.');
  const version = await desk.files.read(listed.original).catch(() => null);
  if (version) throw new AppError('conflict', `${listed.original} exists again; nothing was restored.`);
  return desk.files.exclusive(async () => {
    const source = await desk.files.readTrashed(trashed);
    if (source === null) throw new AppError('not_found', 'Nothing in the trash by that name.');
    const verdict = desk.store.check(listed.original, source);
    if (!verdict.ok) throw contentError(verdict.error);
    const file = await desk.files.restore(trashed);
    await desk.store.apply([file]);
    await record(desk, actor, 'restore', file, trashed);
    await desk.files.commit([trashed, file], `Restore ${file}`, actor);
    return { file };
  });
}

/** A new topic (live coverage starting, or not). */
export async function createTopic(
  desk: Desk,
  actor: Actor,
  input: { title: string; description: string; live: boolean },
): Promise<{ slug: string; file: string }> {
  const base = slugFrom(input.title, 60);
  let slug = base;
  for (let n = 2; desk.store.snapshot.claims.has(`topic:${slug}`); n++) slug = `${base}-${n}`;
  const file = `topics/${slug}.mdx`;
  const source = composeSource(
    { title: input.title, description: input.description, live: input.live || undefined },
    '',
  );
  await desk.files.exclusive(() => commitWrite(desk, actor, file, source, null, 'topic'));
  return { slug, file };
}

/** Ends live coverage of a topic (`live: false`), or reopens it. */
export async function setTopicLive(desk: Desk, actor: Actor, topic: string, live: boolean): Promise<void> {
  const file = desk.store.snapshot.claims.get(`topic:${topic}`);
  if (!file) throw new AppError('not_found', 'That topic no longer exists.');
  await desk.files.exclusive(async () => {
    const current = await desk.files.read(file);
    if (!current) throw new AppError('not_found', 'That topic no longer exists.');
    const next = patchSource(current.source, { live });
    if (next === null)
      throw new AppError('invalid', `${file} has no frontmatter the desk can read; fix it by hand.`);
    return commitWrite(desk, actor, file, next, current.fingerprint, live ? 'reopen' : 'end-live');
  });
}

/** The item as its edit form needs it, with the fingerprint of the file as read now. */
export async function loadEntry(desk: Desk, slug: string): Promise<EditableEntry> {
  const file = fileOf(desk, slug);
  const version = await desk.files.read(file);
  if (!version) throw new AppError('not_found', 'That item no longer exists.');
  const split = splitSource(version.source);
  if (!split) throw new AppError('invalid', `${file} has no frontmatter the desk can read; fix it by hand.`);
  const m = split.meta;
  return {
    slug,
    file,
    kind: m.kind === 'update' ? 'update' : 'article',
    headline: String(m.title ?? ''),
    body: split.body,
    keyEvent: m.keyEvent === true,
    pinned: m.pinned === true,
    correction: typeof m.correction === 'string' ? m.correction : '',
    fingerprint: version.fingerprint,
  };
}

/** The body (and headline) rendered by the published page's own pipeline (lib/content/mdx.ts); nothing is written. */
export function preview(input: { body: string; headline: string }): { headline: string; html: string } {
  const compiled = compileBody(input.body);
  if (!compiled.ok) throw new AppError('invalid', `Line ${compiled.line}: ${compiled.reason}`);
  return { headline: input.headline || headlineFrom(input.body), html: compiled.body.html };
}

/** Every article and update (drafts and scheduled ones too), newest first, for /desk. */
export function listEntries(
  store: ContentStore,
  filters: { topic?: string; author?: string; status?: EntryStatus },
  now: number,
): DeskEntry[] {
  const entries: DeskEntry[] = [];
  for (const f of store.parsedFiles()) {
    if (f.kind !== 'article') continue;
    const m = (f as ArticleFile).meta;
    const status = statusOf(m, now);
    if (filters.topic && !m.topics.includes(filters.topic)) continue;
    if (filters.author && !(m.authors ?? []).includes(filters.author)) continue;
    if (filters.status && filters.status !== status) continue;
    entries.push({
      slug: f.slug,
      file: f.file,
      title: m.title,
      kind: m.kind,
      topics: m.topics,
      authors: m.authors ?? [],
      status,
      publishedAt: m.publishedAt,
      updatedAt: m.updatedAt ?? null,
      pinned: m.pinned,
      keyEvent: m.keyEvent,
    });
  }
  return entries.sort(
    (a, b) => Date.parse(b.publishedAt) - Date.parse(a.publishedAt) || a.slug.localeCompare(b.slug),
  );
}

// ——— the one way every change is made ———

async function create(
  desk: Desk,
  actor: Actor,
  meta: Record<string, unknown>,
  body: string,
  action: string,
): Promise<SavedEntry> {
  const title = String(meta.title);
  const base = slugFrom(title);
  return desk.files.exclusive(async () => {
    let slug = base;
    for (let n = 2; desk.store.snapshot.claims.has(`article:${slug}`) || (await taken(desk, slug, meta)); n++)
      slug = `${base}-${n}`;
    const file = articlePath(slug, String(meta.publishedAt));
    const source = composeSource(meta, body);
    return commitWrite(desk, actor, file, source, null, action);
  });
}

/** A file of that slug on disk that the store doesn't claim yet (another instance's, just written). */
async function taken(desk: Desk, slug: string, meta: Record<string, unknown>) {
  return (await desk.files.read(articlePath(slug, String(meta.publishedAt)))) !== null;
}

function replace(
  desk: Desk,
  actor: Actor,
  file: string,
  expected: string,
  action: string,
  next: (current: string) => string,
): Promise<SavedEntry> {
  return desk.files.exclusive(async () => {
    const current = await desk.files.read(file);
    if (!current) throw new AppError('not_found', 'That item was deleted meanwhile; nothing was saved.');
    if (current.fingerprint !== expected) throw new ConflictError(current.source);
    return commitWrite(desk, actor, file, next(current.source), expected, action);
  });
}

/** Validates as content:check would, writes atomically, applies, logs, commits. Inside `exclusive`. */
async function commitWrite(
  desk: Desk,
  actor: Actor,
  file: string,
  source: string,
  expected: string | null,
  action: string,
): Promise<SavedEntry> {
  const verdict = desk.store.check(file, source);
  if (!verdict.ok) throw contentError(verdict.error);
  const written = await desk.files.write(file, source, expected);
  await desk.store.apply([file]);
  await record(desk, actor, action, file);
  await desk.files.commit([file], `${capitalize(action)} ${file}`, actor);
  const f = verdict.file;
  const meta = f.kind === 'article' ? (f as ArticleFile).meta : null;
  return {
    slug: f.slug,
    file,
    status: meta ? statusOf(meta, clock(desk)) : 'published',
    publishedAt: meta?.publishedAt ?? '',
    fingerprint: written.fingerprint,
  };
}

/** Who did what to which file, for /desk and the logs (SPEC §9). */
async function record(desk: Desk, actor: Actor, action: string, file: string, detail = '') {
  log.info('desk', `${action} ${file}${detail ? ` (${detail})` : ''} by ${actor.id}`);
  await desk.db
    .insertInto('desk_log')
    .values({
      id: randomUUID(),
      user_id: actor.id,
      user_name: actor.name,
      action,
      file,
      detail,
      created_at: clock(desk),
    })
    .execute();
}

function fileOf(desk: Desk, slug: string): string {
  const file = desk.store.snapshot.claims.get(`article:${slug}`);
  if (!file) throw new AppError('not_found', 'That item no longer exists.');
  return file;
}

/** content:check's verdict as the editor's error: which field (or line) and why. */
function contentError(error: ContentError): AppError {
  return new AppError('invalid', `Not saved: ${error.reason} (${error.file}, line ${error.line}).`);
}

const clock = (desk: Desk) => desk.now?.() ?? Date.now();
const capitalize = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);
