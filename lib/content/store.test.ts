import { cp, mkdir, symlink, unlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { FSWatcher } from 'chokidar';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { makeContentDir, topicMdx } from '../testing/content';
import { allowLoggedErrors, loggedEntries } from '../testing/log-guard';
import { metricValue } from '../testing/metrics';
import { ContentStore, type ContentChange } from './store';

let content: Awaited<ReturnType<typeof makeContentDir>>;
let store: ContentStore;
let stderr: ReturnType<typeof vi.spyOn>;

beforeEach(async () => {
  content = await makeContentDir();
  store = new ContentStore({ dir: content.dir, includeDrafts: false, debounceMs: 5 });
  stderr = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
  allowLoggedErrors(); // broken files are this suite's subject: each is logged, and checked below
  vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
});
afterEach(async () => {
  await store.close();
  await content.cleanup();
  vi.restoreAllMocks();
  vi.useRealTimers();
});

const logged = (level: string, msg: RegExp) =>
  loggedEntries(stderr).some((e) => e.level === level && e.scope === 'content' && msg.test(e.msg));

describe('ContentStore', () => {
  it('loads every kind of file from nested folders', async () => {
    const a = await content.writeArticle({ folder: 'articles/2026/11' });
    await store.load();
    expect(store.snapshot.topics.get('test-topic')?.title).toBe('Test Topic');
    expect(store.snapshot.authors.get('test-author')?.name).toBe('Test Author');
    expect(store.snapshot.articles.get(a.slug)?.file).toBe(`articles/2026/11/${a.slug}.mdx`);
  });

  it('leaves a broken file out, logs file, line and reason, and keeps the rest', async () => {
    const good = await content.writeArticle();
    await content.write('articles/bad-yaml.mdx', '---\ntitle: [unclosed\n---\nBody');
    await content.write(
      'articles/bad-code.mdx',
      '---\ntitle: Code\ntopics: [test-topic]\npublishedAt: "2026-01-01T00:00:00Z"\n---\n\n{1 + 1}\n',
    );
    await content.writeArticle({ slug: 'unknown-topic', topics: ['nope'] });
    const found = await metricValue('dispatch_content_errors_total');
    await store.load();
    expect(await metricValue('dispatch_content_errors')).toBe(3); // left out now
    expect(await metricValue('dispatch_content_errors_total')).toBe(found + 3); // each found once
    expect([...store.snapshot.articles.keys()]).toEqual([good.slug]);
    expect(store.snapshot.errors.map((e) => [e.file, e.line])).toEqual([
      ['articles/bad-code.mdx', 7],
      ['articles/bad-yaml.mdx', 3], // YAML notices the unclosed [ where the block ends
      ['articles/unknown-topic.mdx', 3],
    ]);
    expect(store.snapshot.errors[2]!.reason).toMatch(/unknown topic "nope"/);
    expect(logged('error', /^articles\/bad-code\.mdx:7 JavaScript expressions/)).toBe(true);
  });

  it('reports a duplicate slug naming both files and keeps the first', async () => {
    const a = await content.writeArticle({ slug: 'same', folder: 'articles/a' });
    await content.writeArticle({ slug: 'same', folder: 'articles/b' });
    await store.load();
    expect(store.snapshot.articles.get('same')?.title).toBe(a.title);
    expect(store.snapshot.errors).toEqual([
      {
        file: 'articles/b/same.mdx',
        line: 1,
        reason: 'duplicate article slug "same": articles/a/same.mdx already uses it',
      },
    ]);
  });

  it('hides drafts unless asked to include them', async () => {
    const d = await content.writeArticle({ extra: 'draft: true\n' });
    await store.load();
    expect(store.snapshot.articles.has(d.slug)).toBe(false);
    const dev = new ContentStore({ dir: content.dir, includeDrafts: true });
    await dev.load();
    expect(dev.snapshot.articles.get(d.slug)?.draft).toBe(true);
  });

  it('applies added, changed and deleted files and announces them', async () => {
    await store.load();
    const changes: ContentChange[][] = [];
    store.subscribe((c) => changes.push(c));
    const a = await content.writeArticle({ title: 'First title' });
    await store.apply([a.rel]);
    await content.writeArticle({ ...a, title: 'Second title' });
    await store.apply([a.rel]);
    expect(store.snapshot.articles.get(a.slug)?.title).toBe('Second title');
    await content.remove(a.rel);
    await store.apply([a.rel]);
    expect(store.snapshot.articles.has(a.slug)).toBe(false);
    expect(changes).toEqual([
      [{ type: 'content.created', slug: a.slug, topics: ['test-topic'] }],
      [{ type: 'content.updated', slug: a.slug, topics: ['test-topic'] }],
      [{ type: 'content.deleted', slug: a.slug, topics: ['test-topic'] }],
    ]);
  });

  it('gives each article a version that changes with what its page shows, and only then', async () => {
    const a = await content.writeArticle({ title: 'Versioned', body: 'One.' });
    await store.load();
    const v1 = store.snapshot.articles.get(a.slug)!.version;
    expect(v1).toMatch(/^[\w-]{16}$/);
    const other = new ContentStore({ dir: content.dir, includeDrafts: false, debounceMs: 5 });
    await other.load(); // another instance computes the same
    expect(other.snapshot.articles.get(a.slug)!.version).toBe(v1);
    await other.close();
    await content.writeArticle({ ...a, title: 'Versioned', body: 'Two.' });
    await store.apply([a.rel]);
    const v2 = store.snapshot.articles.get(a.slug)!.version;
    expect(v2).not.toBe(v1);
    await content.writeArticle({ ...a, title: 'Versioned again', body: 'Two.' });
    await store.apply([a.rel]);
    expect(store.snapshot.articles.get(a.slug)!.version).not.toBe(v2);
  });

  it('announces nothing for a file rewritten with the same text', async () => {
    const a = await content.writeArticle();
    await store.load();
    const changes: ContentChange[][] = [];
    store.subscribe((c) => changes.push(c));
    await content.write(a.rel, a.source);
    expect(await store.apply([a.rel])).toEqual([]);
    expect(changes).toEqual([]);
  });

  it('re-checks articles when a topic they use disappears or comes back', async () => {
    const a = await content.writeArticle();
    await store.load();
    await content.remove('topics/test-topic.mdx');
    await store.apply(['topics/test-topic.mdx']);
    expect(store.snapshot.articles.has(a.slug)).toBe(false);
    expect(store.snapshot.errors[0]?.reason).toMatch(/unknown topic/);
    await content.write('topics/test-topic.mdx', topicMdx('Test Topic'));
    await store.apply(['topics/test-topic.mdx']);
    expect(store.snapshot.articles.has(a.slug)).toBe(true);
    expect(store.snapshot.errors).toEqual([]);
  });

  it('keeps serving the last good version while a file is broken', async () => {
    const a = await content.writeArticle({ title: 'Good' });
    await store.load();
    const before = store.snapshot;
    await content.write(a.rel, '---\ntitle: [broken\n---\n');
    await store.apply([a.rel]);
    // The broken file is left out of the new snapshot; the old snapshot object was never mutated.
    expect(store.snapshot.articles.has(a.slug)).toBe(false);
    expect(before.articles.get(a.slug)?.title).toBe('Good');
  });

  it('watches the folder: a new file is served without a reload', async () => {
    await store.load();
    await store.watch();
    const seen = new Promise<ContentChange[]>((resolve) => store.subscribe(resolve));
    const a = await content.writeArticle({ folder: 'articles/new-folder' });
    expect(await seen).toEqual([{ type: 'content.created', slug: a.slug, topics: ['test-topic'] }]);
    expect(store.snapshot.articles.has(a.slug)).toBe(true);
  });

  it('makes a scheduled article visible at its instant, by a timer', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    vi.setSystemTime(new Date('2026-11-25T10:00:00Z'));
    const later = await content.writeArticle({ publishedAt: '2026-11-25T10:05:00Z' });
    await store.load();
    const article = store.snapshot.articles.get(later.slug)!;
    expect(store.isVisible(article)).toBe(false);
    expect(store.search.search('zanzibar', (a) => store.isVisible(a))).toEqual([]);
    const changes: ContentChange[][] = [];
    store.subscribe((c) => changes.push(c));
    vi.advanceTimersByTime(4 * 60_000);
    expect(changes).toEqual([]);
    vi.advanceTimersByTime(60_000 + 10);
    expect(changes).toEqual([[{ type: 'content.created', slug: later.slug, topics: ['test-topic'] }]]);
    expect(store.isVisible(article)).toBe(true);
  });

  it('tells swap listeners on every swap, visible to readers or not', async () => {
    let swaps = 0;
    store.onSwap(() => swaps++);
    await store.load();
    expect(swaps).toBe(1);
    await store.apply([(await content.writeArticle()).rel]);
    expect(swaps).toBe(2);
    await writeFile(path.join(content.dir, 'articles/broken.mdx'), '---\ntitle: [\n---\n');
    await store.apply(['articles/broken.mdx']); // only an error: nothing a reader sees changed
    expect(swaps).toBe(3);
  });

  it('treats a missing content folder as empty', async () => {
    const empty = new ContentStore({ dir: `${content.dir}/missing`, includeDrafts: false });
    await empty.load();
    expect(empty.snapshot.articles.size).toBe(0);
  });
});

describe('ContentStore watching new folders', () => {
  it('serves files written into a folder the instant it is created', async () => {
    const content = await makeContentDir();
    const store = new ContentStore({ dir: content.dir, includeDrafts: false, debounceMs: 5 });
    vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    try {
      await store.load();
      await store.watch();
      const seen = new Set<string>();
      store.subscribe((changes) => changes.forEach((c) => seen.add(c.slug)));
      // mkdir and write back to back, as an editor's tool or a copy does.
      const written = await Promise.all(
        [1, 2, 3].map(() => content.writeArticle({ folder: `articles/new-${Date.now()}` })),
      );
      await vi.waitFor(() => expect([...seen].sort()).toEqual(written.map((a) => a.slug).sort()), {
        timeout: 3_000,
      });
    } finally {
      await store.close();
      await content.cleanup();
      vi.restoreAllMocks();
    }
  });
});

describe('ContentStore scanning new folders', () => {
  it('scans a copied tree once, from its top-most folder', async () => {
    const source = await makeContentDir();
    try {
      const written: { slug: string }[] = [];
      for (const folder of ['a', 'a/b', 'a/b/c', 'a/b/c/d', 'e']) {
        written.push(await source.writeArticle({ folder: `copy/${folder}` }));
      }
      await content.writeArticle();
      await store.load();
      const scanned: string[] = [];
      const spy = store as unknown as { scanFolder: (relDir: string) => Promise<void> };
      const scanFolder = spy.scanFolder.bind(store);
      spy.scanFolder = (relDir) => (scanned.push(relDir), scanFolder(relDir));
      await store.watch();
      await cp(path.join(source.dir, 'copy'), path.join(content.dir, 'articles/copy'), { recursive: true });
      await vi.waitFor(
        () => expect(written.filter((a) => !store.snapshot.articles.has(a.slug))).toEqual([]),
        {
          timeout: 3_000,
        },
      );
      await new Promise((r) => setTimeout(r, 300)); // any later scan would have started by now
      expect(scanned).toEqual(['articles/copy']);
    } finally {
      await source.cleanup();
    }
  });
});

describe('ContentStore links and bounds', () => {
  let outside: Awaited<ReturnType<typeof makeContentDir>>;
  beforeEach(async () => {
    outside = await makeContentDir();
  });
  afterEach(() => outside.cleanup());

  const watched = () => {
    const { watcher } = store as unknown as { watcher: FSWatcher };
    return Object.entries(watcher.getWatched()).flatMap(([folder, names]) => [
      folder,
      ...names.map((n) => `${folder}/${n}`),
    ]);
  };
  const linkError = (file: string) => ({ file, line: 1, reason: expect.stringMatching(/symbolic link/) });

  it('refuses a symlinked file that points outside CONTENT_DIR at start-up', async () => {
    const secret = await outside.writeArticle({ slug: 'secret' });
    const good = await content.writeArticle();
    await symlink(path.join(outside.dir, secret.rel), path.join(content.dir, 'articles/secret.mdx'));
    await store.load();
    expect([...store.snapshot.articles.keys()]).toEqual([good.slug]);
    expect(store.snapshot.errors).toEqual([linkError('articles/secret.mdx')]);
  });

  it('finishes loading through a folder link that loops, reporting the link once', async () => {
    const real = await Promise.all([
      content.writeArticle(),
      content.writeArticle({ folder: 'articles/2026' }),
    ]);
    await symlink('..', path.join(content.dir, 'articles/loop'));
    await symlink(content.dir, path.join(content.dir, 'articles/2026/root'));
    await store.load();
    expect(store.snapshot.articles.size).toBe(real.length);
    expect(store.snapshot.errors).toEqual([linkError('articles/2026/root'), linkError('articles/loop')]);
  });

  it('refuses a file under a linked folder even when asked for it by name', async () => {
    const secret = await outside.writeArticle({ slug: 'secret' });
    await mkdir(path.join(content.dir, 'articles'));
    await symlink(path.join(outside.dir, 'articles'), path.join(content.dir, 'articles/more'));
    await store.load();
    expect(store.snapshot.errors).toEqual([linkError('articles/more')]);
    await store.apply([`articles/more/${secret.slug}.mdx`]);
    expect(store.snapshot.articles.has('secret')).toBe(false);
    expect(store.snapshot.errors).toContainEqual(linkError('articles/more/secret.mdx'));
  });

  it('serves a CONTENT_DIR that is itself a link, and watches through it', async () => {
    const a = await content.writeArticle();
    const link = path.join(outside.dir, 'current');
    await symlink(content.dir, link);
    const linked = new ContentStore({ dir: link, includeDrafts: false, debounceMs: 5 });
    try {
      await linked.load();
      expect(linked.snapshot.articles.has(a.slug)).toBe(true);
      expect(linked.snapshot.errors).toEqual([]);
      await linked.watch();
      const b = await content.writeArticle({ folder: 'articles/later' });
      await vi.waitFor(() => expect(linked.snapshot.articles.has(b.slug)).toBe(true), { timeout: 3_000 });
    } finally {
      await linked.close();
    }
  });

  it('never publishes a symlinked file created while watching', async () => {
    const secret = await outside.writeArticle({ slug: 'secret' });
    await mkdir(path.join(content.dir, 'articles'));
    await store.load();
    await store.watch();
    const created: string[] = [];
    store.subscribe((changes) => created.push(...changes.map((c) => c.slug)));
    await symlink(path.join(outside.dir, secret.rel), path.join(content.dir, 'articles/secret.mdx'));
    await vi.waitFor(() => expect(store.snapshot.errors).toEqual([linkError('articles/secret.mdx')]), {
      timeout: 3_000,
    });
    const after = await content.writeArticle(); // once this is served, the link's events are long done
    await vi.waitFor(() => expect(store.snapshot.articles.has(after.slug)).toBe(true), { timeout: 3_000 });
    expect(created).toEqual([after.slug]);
    expect(store.snapshot.articles.has('secret')).toBe(false);
    await unlink(path.join(content.dir, 'articles/secret.mdx'));
    await vi.waitFor(() => expect(store.snapshot.errors).toEqual([]), { timeout: 3_000 });
  });

  it('reports a looping folder link created while watching, and watches a bounded number of paths', async () => {
    await content.writeArticle({ folder: 'articles/2026/11' });
    await store.load();
    await store.watch();
    const before = watched().length;
    await symlink(content.dir, path.join(content.dir, 'articles/loop'));
    await symlink('../..', path.join(content.dir, 'articles/2026/loop'));
    await vi.waitFor(
      () =>
        expect(store.snapshot.errors).toEqual([linkError('articles/2026/loop'), linkError('articles/loop')]),
      { timeout: 3_000 },
    );
    await new Promise((r) => setTimeout(r, 300)); // time for a followed link to be walked
    expect(watched().length).toBeLessThanOrEqual(before + 2);
    expect(watched().length).toBeLessThan(50);
    expect(store.snapshot.articles.size).toBe(1);
  });

  it('leaves out a file larger than 2 MiB', async () => {
    const big = await content.writeArticle({ body: `${'word '.repeat(420_000)}\n` });
    const small = await content.writeArticle();
    await store.load();
    expect([...store.snapshot.articles.keys()]).toEqual([small.slug]);
    expect(store.snapshot.errors).toEqual([{ file: big.rel, line: 1, reason: 'file is larger than 2 MiB' }]);
  });

  it('leaves out folders nested deeper than 16 levels', async () => {
    const folders = Array.from({ length: 17 }, (_, i) => `d${i + 1}`);
    const deepest = await content.writeArticle({ folder: ['articles', ...folders].join('/') }); // 18 folders
    const allowed = await content.writeArticle({ folder: ['articles', ...folders.slice(0, 15)].join('/') }); // 16
    await store.load();
    expect([...store.snapshot.articles.keys()]).toEqual([allowed.slug]);
    expect(store.snapshot.articles.has(deepest.slug)).toBe(false);
    expect(store.snapshot.errors).toEqual([
      {
        file: ['articles', ...folders.slice(0, 16)].join('/'),
        line: 1,
        reason: 'folder nested deeper than 16 levels: left out',
      },
    ]);
  });

  it('stops at the file-count limit, at start-up and for files added later', async () => {
    const limited = (n: number) =>
      new ContentStore({ dir: content.dir, includeDrafts: false, limits: { maxFiles: n } });
    const tooMany = {
      file: 'articles',
      line: 1,
      reason: 'too many content files (limit 5): the rest are left out',
    };
    await Promise.all([1, 2, 3].map(() => content.writeArticle())); // with the topic and the author: 5 files
    const atLimit = limited(5);
    await atLimit.load();
    expect(atLimit.snapshot.articles.size).toBe(3);
    expect(atLimit.snapshot.errors).toEqual([]);
    const extra = await content.writeArticle();
    await atLimit.apply([extra.rel]);
    expect(atLimit.snapshot.articles.has(extra.slug)).toBe(false);
    expect(atLimit.snapshot.errors).toEqual([tooMany]);
    await atLimit.apply([(await content.writeArticle()).rel]); // still one error, not one per file
    expect(atLimit.snapshot.errors).toEqual([tooMany]);

    const over = limited(5); // 7 files now: topics and authors come first, as articles need them
    await over.load();
    expect(over.snapshot.topics.size).toBe(1);
    expect(over.snapshot.authors.size).toBe(1);
    expect(over.snapshot.articles.size).toBe(3);
    expect(over.snapshot.errors).toEqual([tooMany]);
  });

  it('never reads or watches dot-folders such as .git and .trash', async () => {
    const good = await content.writeArticle();
    await content.writeArticle({ folder: '.trash/articles' });
    await content.writeArticle({ folder: 'articles/.trash' });
    await content.write('.git/objects/ab/cdef', 'blob');
    await store.load();
    expect([...store.snapshot.articles.keys()]).toEqual([good.slug]);
    expect(store.snapshot.errors).toEqual([]);
    await store.watch();
    expect(watched().filter((p) => /\/\.(git|trash)(\/|$)/.test(p))).toEqual([]);
    const created: string[] = [];
    store.subscribe((changes) => created.push(...changes.map((c) => c.slug)));
    await content.writeArticle({ folder: 'articles/.trash' });
    const after = await content.writeArticle();
    await vi.waitFor(() => expect(created).toEqual([after.slug]), { timeout: 3_000 });
  });
});

describe('ContentStore when the watcher misses an event', () => {
  const watcherOf = (s: ContentStore) => (s as unknown as { watcher: FSWatcher }).watcher;

  it('drops a deleted file whose unlink was lost once anything else happens in its folder', async () => {
    const gone = await content.writeArticle({ folder: 'articles/e2e' });
    const kept = await content.writeArticle({ folder: 'articles/e2e' });
    await store.load();
    await store.watch();
    watcherOf(store).removeAllListeners('unlink'); // as chokidar does when awaitWriteFinish swallows it
    await content.remove(gone.rel);
    await content.writeArticle({ slug: kept.slug, folder: 'articles/e2e', title: 'Kept, edited' });
    await vi.waitFor(() => expect(store.snapshot.articles.get(kept.slug)?.title).toBe('Kept, edited'), {
      timeout: 3_000,
    });
    expect(store.snapshot.articles.has(gone.slug)).toBe(false);
  });

  it('a rescan applies files that are gone and files never reported, and announces them', async () => {
    const gone = await content.writeArticle();
    await store.load();
    const changes: ContentChange[] = [];
    store.subscribe((c) => changes.push(...c));
    await content.remove(gone.rel); // nobody is watching: only the rescan can see these
    const added = await content.writeArticle();
    await store.reconcile();
    expect(store.snapshot.articles.has(gone.slug)).toBe(false);
    expect(store.snapshot.articles.has(added.slug)).toBe(true);
    expect(changes.map((c) => [c.type, c.slug]).sort()).toEqual(
      [
        ['content.created', added.slug],
        ['content.deleted', gone.slug],
      ].sort(),
    );
    expect(logged('warn', /^the watcher missed 2 file\(s\)/)).toBe(true);
    changes.length = 0;
    await store.reconcile(); // nothing left to do: nothing read, nothing announced
    expect(changes).toEqual([]);
  });

  it('rescans on its own while watching', async () => {
    const quick = new ContentStore({ dir: content.dir, includeDrafts: false, debounceMs: 5, rescanMs: 50 });
    try {
      const gone = await content.writeArticle();
      await quick.load();
      await quick.watch();
      watcherOf(quick).removeAllListeners('unlink');
      await content.remove(gone.rel);
      await vi.waitFor(() => expect(quick.snapshot.articles.has(gone.slug)).toBe(false), { timeout: 3_000 });
    } finally {
      await quick.close();
    }
  });
});
