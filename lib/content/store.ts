import { createHash } from 'node:crypto';
import path from 'node:path';
import type { FSWatcher } from 'chokidar';
import { log } from '../log';
import { assemble, emptySnapshot, type Snapshot } from './assemble';
import { kindOf, listContentFiles, loadContentFile, type ContentError, type LoadResult } from './load';
import type { Article } from './model';
import { SearchIndex } from './search';

export type ContentChange = {
  type: 'content.created' | 'content.updated' | 'content.deleted' | 'topic.ended';
  /** The article's slug, or the topic's for topic.ended. */
  slug: string;
  topics: string[];
};

export type StoreOptions = {
  dir: string;
  /** Drafts are served in development only (SPEC §2). */
  includeDrafts: boolean;
  /** Pause after the last file event before applying a batch: editors' saves come in bursts. */
  debounceMs?: number;
};

const CHANGED_AT = Symbol.for('dispatch.content.changedAt'); // read by lib/cache/page-cache-handler.cjs
const MAX_TIMER_MS = 2 ** 31 - 1; // setTimeout's limit (~24.8 days); longer waits re-arm

/**
 * The content of CONTENT_DIR, parsed once and kept in memory. Each file is parsed when it is first
 * seen and again only when it changes; every change builds a new snapshot and swaps it in whole,
 * so a reader never sees half an update. Scheduled articles become visible by a timer at their
 * publishedAt. See docs/decisions/002-content-store.md.
 */
export class ContentStore {
  snapshot: Snapshot = emptySnapshot;
  readonly search = new SearchIndex();
  private results = new Map<string, LoadResult>();
  private hashes = new Map<string, string>();
  private visible = new Map<string, Article>();
  private liveTopics = new Set<string>();
  private listeners = new Set<(changes: ContentChange[]) => void>();
  private watcher: FSWatcher | null = null;
  private timer: NodeJS.Timeout | null = null;
  private pending = new Set<string>();
  private flushTimer: NodeJS.Timeout | null = null;
  private applying: Promise<unknown> = Promise.resolve();
  private loggedErrors = new Set<string>();

  constructor(readonly options: StoreOptions) {}

  /** True when a reader may see the article now: published, and not a draft outside development. */
  isVisible(article: Article, now = Date.now()) {
    return article.published <= now;
  }

  /** Reads every file. Resolves once the first snapshot is in place. */
  async load(): Promise<void> {
    const files = await listContentFiles(this.options.dir);
    const results = await mapLimit(files, 16, (rel) => loadContentFile(this.options.dir, rel, this.remember(rel)));
    this.results = new Map(files.map((rel, i) => [rel, results[i] as LoadResult]));
    this.rebuild();
    log.info('content', `loaded ${this.snapshot.articles.size} articles, ${this.snapshot.topics.size} topics, ${this.snapshot.errors.length} errors from ${this.options.dir}`);
  }

  /** Re-reads the given files (relative paths; missing ones count as deleted) and swaps in the result. */
  async apply(relPaths: Iterable<string>): Promise<ContentChange[]> {
    const run = this.applying.then(async () => {
      for (const rel of relPaths) {
        if (!kindOf(rel)) continue;
        const result = await loadContentFile(this.options.dir, rel, this.remember(rel));
        if (result === 'unchanged') continue; // a rescan or a touch: nothing to announce
        const missing = !result.ok && result.error.reason === 'cannot read file (ENOENT)';
        if (missing) {
          this.results.delete(rel);
          this.hashes.delete(rel);
        } else this.results.set(rel, result);
      }
      return this.rebuild();
    });
    this.applying = run.catch(() => undefined);
    return run;
  }

  /** Records a file's text fingerprint; true when it matches what was last loaded. */
  private remember(rel: string) {
    return (source: string) => {
      const hash = createHash('sha1').update(source).digest('base64');
      const same = this.hashes.get(rel) === hash && this.results.has(rel);
      this.hashes.set(rel, hash);
      return same;
    };
  }

  /** Drops every file under a deleted folder. */
  private forgetFolder(relDir: string) {
    const prefix = relDir.endsWith('/') ? relDir : relDir + '/';
    return this.apply([...this.results.keys()].filter((k) => k.startsWith(prefix)));
  }

  subscribe(listener: (changes: ContentChange[]) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private rebuild(): ContentChange[] {
    this.snapshot = assemble(this.results, { includeDrafts: this.options.includeDrafts });
    this.search.sync(this.snapshot.articles);
    this.logNewErrors(this.snapshot.errors);
    return this.publish();
  }

  /** Marks the content as changed (pages re-render), announces visible differences, re-arms the timer. */
  private publish(): ContentChange[] {
    (globalThis as Record<symbol, unknown>)[CHANGED_AT] = Date.now();
    const now = Date.now();
    const next = new Map<string, Article>();
    for (const a of this.snapshot.byDate) if (this.isVisible(a, now)) next.set(a.slug, a);
    const changes: ContentChange[] = [];
    for (const [slug, before] of this.visible) {
      const after = next.get(slug);
      if (!after) changes.push({ type: 'content.deleted', slug, topics: before.topics });
      else if (after !== before) changes.push({ type: 'content.updated', slug, topics: [...new Set([...before.topics, ...after.topics])] });
    }
    for (const [slug, after] of next) {
      if (!this.visible.has(slug)) changes.push({ type: 'content.created', slug, topics: after.topics });
    }
    this.visible = next;
    const live = new Set(this.snapshot.topicList.filter((t) => t.live).map((t) => t.slug));
    for (const slug of this.liveTopics) if (!live.has(slug)) changes.push({ type: 'topic.ended', slug, topics: [slug] });
    this.liveTopics = live;
    this.armScheduleTimer(now);
    if (changes.length > 0) for (const listener of this.listeners) listener(changes);
    return changes;
  }

  private armScheduleTimer(now: number) {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    let nextAt = Infinity;
    for (const a of this.snapshot.byDate) if (a.published > now && a.published < nextAt) nextAt = a.published;
    if (nextAt === Infinity) return;
    // +5 ms so the article is past its instant when the timer fires.
    this.timer = setTimeout(() => this.publish(), Math.min(nextAt - now + 5, MAX_TIMER_MS));
    this.timer.unref();
  }

  private logNewErrors(errors: readonly ContentError[]) {
    const current = new Set<string>();
    for (const e of errors) {
      const key = `${e.file}:${e.line} ${e.reason}`;
      current.add(key);
      if (!this.loggedErrors.has(key)) log.error('content', `${key} (file left out)`);
    }
    this.loggedErrors = current;
  }

  /** Watches CONTENT_DIR and applies added, changed and deleted files as they happen. */
  async watch(): Promise<void> {
    if (this.watcher) return;
    const { watch } = await import('chokidar');
    const dir = this.options.dir;
    const toRel = (p: string) => path.relative(dir, p).split(path.sep).join('/');
    this.watcher = watch(dir, {
      ignoreInitial: true,
      // Wait until an editor's write settles, so a half-written file isn't reported as broken.
      awaitWriteFinish: { stabilityThreshold: 60, pollInterval: 15 },
    });
    this.watcher
      .on('add', (p) => this.queue(toRel(p)))
      .on('change', (p) => this.queue(toRel(p)))
      .on('unlink', (p) => this.queue(toRel(p)))
      .on('unlinkDir', (p) => void this.forgetFolder(toRel(p)))
      // A folder that appears with files already in it (mkdir then write, or a copied folder):
      // the watcher may set up after the files landed and never report them, so look inside.
      .on('addDir', (p) => void this.scanFolder(toRel(p)))
      .on('error', (error) => log.error('content', `watcher: ${String(error)}`));
    await new Promise<void>((resolve) => this.watcher!.once('ready', () => resolve()));
  }

  private async scanFolder(relDir: string) {
    // Files can land between the scan and the new folder's watch starting: look again shortly.
    // Unchanged files are skipped by their fingerprint, so rescans announce nothing twice.
    for (const delay of [0, 250, 1_000]) {
      if (delay) await new Promise((r) => setTimeout(r, delay));
      const files = await listContentFiles(path.join(this.options.dir, relDir));
      for (const rel of files) this.queue(`${relDir}/${rel}`);
    }
  }

  private queue(rel: string) {
    if (!kindOf(rel)) return;
    this.pending.add(rel);
    if (this.flushTimer) clearTimeout(this.flushTimer);
    this.flushTimer = setTimeout(() => {
      const batch = [...this.pending];
      this.pending.clear();
      this.apply(batch).catch((error) => log.error('content', `applying ${batch.join(', ')}: ${String(error)}`));
    }, this.options.debounceMs ?? 20);
  }

  async close() {
    if (this.timer) clearTimeout(this.timer);
    if (this.flushTimer) clearTimeout(this.flushTimer);
    await this.watcher?.close();
    this.watcher = null;
  }
}

/** Runs `fn` over `items` with at most `limit` in flight, keeping order. */
async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}
