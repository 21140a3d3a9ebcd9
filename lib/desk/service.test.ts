import { execFileSync } from 'node:child_process';
import { mkdtemp, readFile, rm, symlink, writeFile, readdir, mkdir } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, expect, vi } from 'vitest';
import type { ContentChange } from '../content/store';
import { ContentStore } from '../content/store';
import { AppError } from '../errors';
import { describeEachDatabase } from '../testing/each-database';
import { makeContentDir } from '../testing/content';
import { allowLoggedErrors } from '../testing/log-guard';
import { DeskFiles } from './files';
import { postUpdateSchema } from './schema';
import * as desk from './service';

const T0 = Date.parse('2026-12-03T10:00:00Z');

describeEachDatabase('the desk', ({ db, test }) => {
  let content: Awaited<ReturnType<typeof makeContentDir>>;
  let store: ContentStore;
  let files: DeskFiles;
  let changes: ContentChange[];
  let now = T0;
  const actor = { id: 'u-editor', name: 'Ed Itor', authorSlug: 'test-author' };
  const parts = () => ({ store, files, db: db(), now: () => now });
  const post = (input: Record<string, unknown>) =>
    desk.postUpdate(parts(), actor, postUpdateSchema.parse({ topic: 'test-topic', ...input }));
  const reject = async (p: Promise<unknown>) => {
    const error = await p.then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(AppError);
    return error as AppError;
  };
  const disk = async () => {
    const found: string[] = [];
    const walk = async (dir: string, rel: string): Promise<void> => {
      for (const e of await readdir(dir, { withFileTypes: true })) {
        if (e.name === '.desk' || e.name === '.git') continue;
        if (e.isDirectory()) await walk(path.join(dir, e.name), `${rel}${e.name}/`);
        else found.push(`${rel}${e.name}`);
      }
    };
    await walk(content.dir, '');
    return found.sort();
  };

  beforeEach(async () => {
    vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    now = T0;
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(T0);
    content = await makeContentDir();
    store = new ContentStore({ dir: content.dir, includeDrafts: false });
    await store.load();
    files = new DeskFiles(content.dir);
    changes = [];
    store.subscribe((c) => changes.push(...c));
  });
  afterEach(async () => {
    vi.useRealTimers();
    await store.close();
    await content.cleanup();
  });

  test('publishes an update as a file content:check accepts, visible at once, logged', async () => {
    const saved = await post({ body: '**Flights** resume at six.\n\nMore later.', keyEvent: true });
    expect(saved).toMatchObject({
      slug: 'flights-resume-at-six',
      status: 'published',
      file: 'articles/2026/12/flights-resume-at-six.mdx',
    });
    const source = await readFile(path.join(content.dir, saved.file), 'utf8');
    expect(source).toContain(
      'title: Flights resume at six.\nkind: update\ntopics:\n  - test-topic\npublishedAt: 2026-12-03T10:00:00Z\nauthors:\n  - test-author\nkeyEvent: true\n',
    );
    expect(store.visibleArticle(saved.slug)).toMatchObject({ keyEvent: true, authors: ['test-author'] });
    expect(changes).toEqual([{ type: 'content.created', slug: saved.slug, topics: ['test-topic'] }]);
    const log = await db().selectFrom('desk_log').selectAll().where('file', '=', saved.file).execute();
    expect(log).toMatchObject([{ user_id: 'u-editor', user_name: 'Ed Itor', action: 'publish' }]);
  });

  test('gives each new item its own slug', async () => {
    const a = await post({ body: 'Same words', headline: 'Same headline' });
    const b = await post({ body: 'Other words', headline: 'Same headline' });
    expect([a.slug, b.slug]).toEqual(['same-headline', 'same-headline-2']);
  });

  test('schedules for later and saves drafts, neither visible yet', async () => {
    const later = await post({ body: 'At noon', mode: 'schedule', publishAt: '2026-12-03T12:00:00Z' });
    const draft = await post({ body: 'Not yet', mode: 'draft' });
    expect([later.status, draft.status]).toEqual(['scheduled', 'draft']);
    expect(store.visibleArticle(later.slug)).toBeUndefined();
    expect(store.visibleArticle(draft.slug)).toBeUndefined();
    expect(desk.listEntries(store, {}, now).map((e) => [e.slug, e.status])).toEqual([
      [later.slug, 'scheduled'],
      [draft.slug, 'draft'],
    ]);
    expect(
      (await reject(post({ body: 'x', mode: 'schedule', publishAt: '2026-12-03T09:00:00Z' }))).code,
    ).toBe('invalid');
  });

  test('never writes what content:check would refuse, and says which line and why', async () => {
    allowLoggedErrors();
    const before = await disk();
    const code = await reject(post({ body: 'Two plus two is {2 + 2}.' }));
    expect(code.code).toBe('invalid');
    expect(code.message).toMatch(/expression|JavaScript/i);
    expect(code.message).toMatch(/line \d+/);
    const author = await reject(post({ body: 'Hello', authors: ['nobody-here'] }));
    expect(author.message).toContain('unknown author "nobody-here"');
    expect((await reject(post({ body: 'x', topic: 'no-such-topic' }))).code).toBe('not_found');
    expect(await disk()).toEqual(before);
  });

  test('edits in place: new text, updatedAt, a correction; a change made meanwhile is a conflict', async () => {
    const saved = await post({ body: 'Casualties: 12.' });
    const loaded = await desk.loadEntry(parts(), saved.slug);
    expect(loaded).toMatchObject({
      headline: 'Casualties: 12.',
      body: 'Casualties: 12.\n',
      fingerprint: saved.fingerprint,
    });
    now = T0 + 60_000;
    vi.setSystemTime(now);
    const edited = await desk.editEntry(parts(), actor, {
      slug: saved.slug,
      fingerprint: loaded.fingerprint,
      body: 'Casualties: 14.',
      headline: '',
      correction: 'An earlier version gave 12.',
    });
    expect(store.visibleArticle(saved.slug)).toMatchObject({
      title: 'Casualties: 14.',
      updatedAt: '2026-12-03T10:01:00Z',
      correction: 'An earlier version gave 12.',
    });
    expect(changes.at(-1)).toMatchObject({ type: 'content.updated', slug: saved.slug });

    // Someone edits the file by hand; the editor still holds the old fingerprint.
    const full = path.join(content.dir, saved.file);
    await writeFile(
      full,
      (await readFile(full, 'utf8')).replace('Casualties: 14.\n', 'Casualties: 15 (by hand).\n'),
    );
    const conflict = await reject(
      desk.editEntry(parts(), actor, {
        slug: saved.slug,
        fingerprint: edited.fingerprint,
        body: 'Mine',
        headline: '',
        correction: '',
      }),
    );
    expect(conflict.code).toBe('conflict');
    expect(conflict.message).toMatch(/^Conflict/);
    expect(conflict.current).toMatchObject({ body: 'Casualties: 15 (by hand).\n' });
    expect(await readFile(full, 'utf8')).toContain('Casualties: 15 (by hand).');
    // Having seen theirs, saving with their fingerprint goes through.
    await desk.editEntry(parts(), actor, {
      slug: saved.slug,
      fingerprint: conflict.current!.fingerprint!,
      body: 'Mine, merged: 15.',
      headline: '',
      correction: '',
    });
    expect(await readFile(full, 'utf8')).toContain('Mine, merged: 15.');
  });

  test('two editors saving the same version at once: one wins, the other gets a conflict', async () => {
    const saved = await post({ body: 'Original' });
    const edit = (body: string) =>
      desk.editEntry(parts(), actor, {
        slug: saved.slug,
        fingerprint: saved.fingerprint,
        body,
        headline: 'H',
        correction: '',
      });
    const results = await Promise.allSettled([edit('First editor'), edit('Second editor')]);
    expect(results.map((r) => r.status).sort()).toEqual(['fulfilled', 'rejected']);
    const refused = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
    expect((refused.reason as AppError).code).toBe('conflict');
  });

  test('pins, marks key events, deletes to the trash and restores', async () => {
    const saved = await post({ body: 'Pin me' });
    await desk.setFlag(parts(), actor, { slug: saved.slug, flag: 'pinned', value: true });
    await desk.setFlag(parts(), actor, { slug: saved.slug, flag: 'keyEvent', value: true });
    expect(store.visibleArticle(saved.slug)).toMatchObject({ pinned: true, keyEvent: true });
    await desk.setFlag(parts(), actor, { slug: saved.slug, flag: 'pinned', value: false });
    expect(await readFile(path.join(content.dir, saved.file), 'utf8')).not.toContain('pinned');

    const { trashed } = await desk.deleteEntry(parts(), actor, saved.slug);
    expect(trashed).toBe(`.trash/${saved.file}`);
    expect(existsSync(path.join(content.dir, saved.file))).toBe(false);
    expect(store.visibleArticle(saved.slug)).toBeUndefined();
    expect(changes.at(-1)).toMatchObject({ type: 'content.deleted', slug: saved.slug });
    expect((await files.listTrash()).map((t) => [t.path, t.original])).toEqual([[trashed, saved.file]]);

    await desk.restoreEntry(parts(), actor, trashed);
    expect(store.visibleArticle(saved.slug)).toMatchObject({ keyEvent: true });
    expect(await files.listTrash()).toEqual([]);
    const actions = await db()
      .selectFrom('desk_log')
      .select('action')
      .where('file', '=', saved.file)
      .orderBy('created_at')
      .execute();
    expect(actions.map((a) => a.action)).toEqual([
      'publish',
      'pin',
      'key-event',
      'unpin',
      'delete',
      'restore',
    ]);
  });

  test('a restore never overwrites: a file back at that path is a conflict', async () => {
    const saved = await post({ body: 'Deleted then replaced', headline: 'Twice' });
    const { trashed } = await desk.deleteEntry(parts(), actor, saved.slug);
    await post({ body: 'New one', headline: 'Twice' });
    expect((await reject(desk.restoreEntry(parts(), actor, trashed))).code).toBe('conflict');
    expect((await files.listTrash()).length).toBe(1);
    expect((await reject(desk.restoreEntry(parts(), actor, '.trash/../../etc/passwd'))).code).toBe(
      'not_found',
    );
  });

  test('writes only inside CONTENT_DIR: a linked folder is refused, nothing lands outside', async () => {
    allowLoggedErrors();
    const outside = await mkdtemp(path.join(tmpdir(), 'dispatch-outside-'));
    try {
      await mkdir(path.join(content.dir, 'articles'), { recursive: true });
      await symlink(outside, path.join(content.dir, 'articles', '2026'));
      const refused = await reject(post({ body: 'Escape attempt' }));
      expect(refused.code).toBe('invalid');
      expect(refused.message).toContain('a folder on the way is a link');
      expect(await readdir(outside)).toEqual([]);
    } finally {
      await rm(outside, { recursive: true, force: true });
    }
  });

  test('starts a topic, ends its live coverage and reopens it', async () => {
    const topic = await desk.createTopic(parts(), actor, {
      title: 'Election night',
      description: 'Results.',
      live: true,
    });
    expect(store.snapshot.topics.get(topic.slug)).toMatchObject({ live: true, title: 'Election night' });
    await desk.setTopicLive(parts(), actor, topic.slug, false);
    expect(changes.at(-1)).toEqual({ type: 'topic.ended', slug: topic.slug, topics: [topic.slug] });
    await desk.setTopicLive(parts(), actor, topic.slug, true);
    expect(store.snapshot.topics.get(topic.slug)?.live).toBe(true);
  });

  test('renders a preview with the published pipeline and refuses code', async () => {
    expect(desk.preview({ body: 'A **bold** claim', headline: '' })).toEqual({
      headline: 'A bold claim',
      html: '<p>A <strong>bold</strong> claim</p>',
    });
    expect(() => desk.preview({ body: '<script>alert(1)</script>', headline: '' })).toThrow(AppError);
  });

  test('commits each change to git with the editor as author, and lists a piece history', async () => {
    const git = (...args: string[]) =>
      execFileSync('git', ['-C', content.dir, ...args], { encoding: 'utf8' });
    git('init', '-q');
    git('-c', 'user.name=Setup', '-c', 'user.email=setup@example.invalid', 'add', '-A');
    git('-c', 'user.name=Setup', '-c', 'user.email=setup@example.invalid', 'commit', '-qm', 'content');
    const saved = await post({ body: 'Tracked' });
    await desk.setFlag(parts(), actor, { slug: saved.slug, flag: 'pinned', value: true });
    expect((await files.history(saved.file)).map((h) => [h.author, h.message])).toEqual([
      ['Ed Itor', `Pin ${saved.file}`],
      ['Ed Itor', `Publish ${saved.file}`],
    ]);
    await desk.deleteEntry(parts(), actor, saved.slug);
    const log = git('log', '--format=%an|%s').trim().split('\n');
    expect(log).toEqual([
      `Ed Itor|Delete ${saved.file}`,
      `Ed Itor|Pin ${saved.file}`,
      `Ed Itor|Publish ${saved.file}`,
      'Setup|content',
    ]);
    expect(git('status', '--porcelain').trim()).toBe('');
  });
});
