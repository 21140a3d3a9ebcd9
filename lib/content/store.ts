import { createHash } from 'node:crypto';
import { readdir, realpath } from 'node:fs/promises';
import path from 'node:path';
import type { FSWatcher } from 'chokidar';
import { log } from '../log';
import { contentErrors, contentErrorsFound } from '../metrics/metrics';
import { assemble, duplicateError, emptySnapshot, referenceError, type Snapshot } from './assemble';
import {
  contentLimits,
  kindOf,
  listContentFiles,
  loadContentFile,
  mayHoldContent,
  parseContent,
  tooManyFilesReason,
  type ContentError,
  type ContentLimits,
  type LoadResult,
  type ParsedFile,
} from './load';
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
  /** Bounds on depth, file count and file size (load.ts); tests lower them. */
  limits?: Partial<ContentLimits>;
  /** How often a watching store lists the whole tree for what the watcher missed (0: never). */
  rescanMs?: number;
};

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
  /** What a folder walk left out (too deep, too many files, unreadable), keyed by folder and reason. */
  private folderErrors = new Map<string, ContentError>();
  private hashes = new Map<string, string>();
  private visible = new Map<string, Article>();
  private liveTopics = new Set<string>();
  private listeners = new Set<(changes: ContentChange[]) => void>();
  private swapListeners = new Set<() => void>();
  private watcher: FSWatcher | null = null;
  private timer: NodeJS.Timeout | null = null;
  private pending = new Set<string>();
  private flushTimer: NodeJS.Timeout | null = null;
  private rescanTimer: NodeJS.Timeout | null = null;
  private newFolders = new Set<string>();
  private folderTimer: NodeJS.Timeout | null = null;
  /** Folder scans under way, with how many of their passes are still to start. */
  private scans = new Set<{ dir: string; left: number }>();
  /** realpath(CONTENT_DIR), resolved at load: CONTENT_DIR may be a link (content -> /srv/content/current). */
  private realDir: string | null = null;
  private readonly limits: ContentLimits;
  private applying: Promise<unknown> = Promise.resolve();
  private loggedErrors = new Set<string>();

  constructor(readonly options: StoreOptions) {
    this.limits = { ...contentLimits, ...options.limits };
  }

  /** True when a reader may see the article now: published, and not a draft outside development. */
  isVisible(article: Article, now = Date.now()) {
    return article.published <= now;
  }

  /** The article a reader may see now under `slug`, or undefined. */
  visibleArticle(slug: string, now = Date.now()): Article | undefined {
    const article = this.snapshot.articles.get(slug);
    return article && this.isVisible(article, now) ? article : undefined;
  }

  /**
   * Judges a file's text exactly as content:check would among the files there now (SPEC §2): its
   * own rules, then a slug no other file claims and topics and authors that exist. The desk
   * writes nothing this refuses.
   */
  check(relPath: string, source: string): LoadResult {
    const result = parseContent(relPath, source);
    if (!result.ok) return result;
    const f = result.file;
    const owner = this.snapshot.claims.get(`${f.kind}:${f.slug}`);
    if (owner && owner !== f.file) return { ok: false, error: duplicateError(f, owner) };
    if (f.kind === 'article') {
      const unknown = referenceError(f, this.snapshot.topics, this.snapshot.authors);
      if (unknown) return { ok: false, error: unknown };
    }
    return result;
  }

  /** Every file that parsed (drafts and scheduled articles included), for the desk's list. */
  *parsedFiles(): Iterable<ParsedFile> {
    for (const result of this.results.values()) if (result.ok) yield result.file;
  }

  /** Reads every file. Resolves once the first snapshot is in place. */
  async load(): Promise<void> {
    const dir = await this.resolveDir(true);
    const { files, errors } = await listContentFiles(dir, { limits: this.limits });
    const results = await mapLimit(files, 16, (rel) => this.read(rel));
    this.results = new Map();
    files.forEach((rel, i) => {
      const result = results[i]!;
      if (result !== 'none' && result !== 'unchanged') this.results.set(rel, result);
    });
    this.folderErrors = new Map();
    this.noteFolderErrors(errors);
    this.rebuild();
    log.info(
      'content',
      `loaded ${this.snapshot.articles.size} articles, ${this.snapshot.topics.size} topics, ${this.snapshot.errors.length} errors from ${this.options.dir}`,
    );
  }

  /** Re-reads the given files (relative paths; missing ones count as deleted) and swaps in the result. */
  async apply(relPaths: Iterable<string>): Promise<ContentChange[]> {
    const run = this.applying.then(async () => {
      for (const rel of relPaths) {
        if (!kindOf(rel) && !mayHoldContent(rel)) continue;
        const result = await this.read(rel);
        if (result === 'unchanged') continue; // a rescan or a touch: nothing to announce
        if (result === 'none') {
          this.results.delete(rel);
          this.hashes.delete(rel);
        } else if (!this.results.has(rel) && this.results.size >= this.limits.maxFiles) {
          this.hashes.delete(rel);
          this.refuseOverLimit(rel);
        } else this.results.set(rel, result);
      }
      return this.rebuild();
    });
    this.applying = run.catch(() => undefined);
    return run;
  }

  private async resolveDir(fresh = false): Promise<string> {
    if (this.realDir && !fresh) return this.realDir;
    const dir = path.resolve(this.options.dir);
    this.realDir = await realpath(dir).catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') return dir; // a missing folder is empty
      throw error;
    });
    return this.realDir;
  }

  private async read(rel: string) {
    const dir = await this.resolveDir();
    return loadContentFile(dir, rel, this.remember(rel), { realDir: dir, limits: this.limits });
  }

  /** One error for files beyond the limit, not one each: the error list must stay bounded too. */
  private refuseOverLimit(rel: string) {
    const reason = tooManyFilesReason(this.limits.maxFiles);
    if ([...this.folderErrors.values()].some((e) => e.reason === reason)) return;
    this.noteFolderErrors([{ file: path.posix.dirname(rel), line: 1, reason }]);
  }

  /** Keeps a walk's errors; true when one is new. */
  private noteFolderErrors(errors: readonly ContentError[]) {
    let added = false;
    for (const e of errors) {
      const key = `${e.file}\0${e.reason}`; // NUL is in no path
      if (!this.folderErrors.has(key)) added = true;
      this.folderErrors.set(key, e);
    }
    return added;
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

  /** Drops every file under a deleted folder, and what its walk left out. */
  private forgetFolder(relDir: string) {
    const prefix = relDir.endsWith('/') ? relDir : relDir + '/';
    const within = (p: string) => p === relDir || p.startsWith(prefix);
    for (const [key, e] of this.folderErrors) if (within(e.file)) this.folderErrors.delete(key);
    return this.apply([...this.results.keys()].filter(within));
  }

  /** Calls `listener` with the changes readers can see (created, updated, deleted, topic ended). */
  subscribe(listener: (changes: ContentChange[]) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Calls `listener` on every swap of the snapshot, visible to readers or not (a topic's title, an error). */
  onSwap(listener: () => void): () => void {
    this.swapListeners.add(listener);
    return () => this.swapListeners.delete(listener);
  }

  private rebuild(): ContentChange[] {
    const results =
      this.folderErrors.size === 0
        ? this.results
        : new Map<string, LoadResult>([
            ...this.results,
            ...[...this.folderErrors].map(([key, error]) => [key, { ok: false, error }] as const),
          ]);
    this.snapshot = assemble(results, { includeDrafts: this.options.includeDrafts });
    this.search.sync(this.snapshot.articles);
    this.logNewErrors(this.snapshot.errors);
    return this.publish();
  }

  /** Tells swap listeners (pages re-render), announces visible differences, re-arms the timer. */
  private publish(): ContentChange[] {
    for (const listener of this.swapListeners) listener();
    const now = Date.now();
    const next = new Map<string, Article>();
    for (const a of this.snapshot.byDate) if (this.isVisible(a, now)) next.set(a.slug, a);
    const changes: ContentChange[] = [];
    for (const [slug, before] of this.visible) {
      const after = next.get(slug);
      if (!after) changes.push({ type: 'content.deleted', slug, topics: before.topics });
      else if (after !== before)
        changes.push({
          type: 'content.updated',
          slug,
          topics: [...new Set([...before.topics, ...after.topics])],
        });
    }
    for (const [slug, after] of next) {
      if (!this.visible.has(slug)) changes.push({ type: 'content.created', slug, topics: after.topics });
    }
    this.visible = next;
    const live = new Set(this.snapshot.topicList.filter((t) => t.live).map((t) => t.slug));
    for (const slug of this.liveTopics)
      if (!live.has(slug)) changes.push({ type: 'topic.ended', slug, topics: [slug] });
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
      if (this.loggedErrors.has(key)) continue;
      log.error('content', `${key} (file left out)`);
      contentErrorsFound.inc();
    }
    this.loggedErrors = current;
    contentErrors.set(errors.length);
  }

  /** Watches CONTENT_DIR and applies added, changed and deleted files as they happen. */
  async watch(): Promise<void> {
    if (this.watcher) return;
    const { watch } = await import('chokidar');
    const dir = await this.resolveDir();
    const toRel = (p: string) => path.relative(dir, p).split(path.sep).join('/');
    this.watcher = watch(dir, {
      ignoreInitial: true,
      // Links are not followed (a link can point anywhere on the host, or loop): chokidar reports a
      // link as an 'add' of its own path, which loadContentFile refuses, as the start-up walk does.
      followSymlinks: false,
      depth: this.limits.maxDepth,
      // Only where content can be: not .git or .trash, not other folders (relative, so a dot in
      // CONTENT_DIR's own path does not count).
      ignored: (p: string) => {
        const rel = toRel(p);
        if (rel === '' || rel === '..' || rel.startsWith('../')) return false; // the root, or above it
        return kindOf(rel) === null && !mayHoldContent(rel);
      },
      // Wait until an editor's write settles, so a half-written file isn't reported as broken.
      awaitWriteFinish: { stabilityThreshold: 60, pollInterval: 15 },
    });
    this.watcher
      .on('add', (p, stats) => {
        const rel = toRel(p);
        // A real folder comes as addDir; a folder as 'add' is a link to one.
        if (kindOf(rel) || (stats?.isDirectory() && mayHoldContent(rel))) this.queue(rel);
      })
      .on('change', (p) => {
        const rel = toRel(p);
        if (kindOf(rel)) this.queue(rel);
      })
      .on('unlink', (p) => {
        const rel = toRel(p);
        if (kindOf(rel) || this.results.has(rel)) this.queue(rel); // the latter: a removed link
      })
      .on('unlinkDir', (p) => void this.forgetFolder(toRel(p)))
      // A folder that appears with files already in it (mkdir then write, or a copied folder):
      // the watcher may set up after the files landed and never report them, so look inside.
      .on('addDir', (p) => this.folderAdded(toRel(p)))
      .on('error', (error) => log.error('content', `watcher: ${String(error)}`));
    await new Promise<void>((resolve) => this.watcher!.once('ready', () => resolve()));
    const every = this.options.rescanMs ?? 60_000;
    if (every > 0) this.rescanAfter(every);
  }

  /** One rescan at a time: the next is armed when this one is done, however long it took. */
  private rescanAfter(ms: number) {
    this.rescanTimer = setTimeout(() => {
      this.reconcile()
        .catch((error) => log.error('content', `rescan: ${String(error)}`))
        .finally(() => {
          if (this.watcher) this.rescanAfter(ms);
        });
    }, ms);
    this.rescanTimer.unref();
  }

  /**
   * Collects new folders for one debounce window and scans only the top-most: a copied tree
   * reports every nested folder, and scanning each would list the same subtree over and over.
   * A folder that a scan under way will still look at (its own or an ancestor's) is not scanned.
   */
  private folderAdded(relDir: string) {
    this.newFolders.add(relDir);
    if (this.folderTimer) clearTimeout(this.folderTimer);
    this.folderTimer = setTimeout(() => {
      this.folderTimer = null;
      const folders = topMost(this.newFolders).filter((f) => !this.willBeScanned(f));
      this.newFolders.clear();
      for (const folder of folders) void this.scanFolder(folder);
    }, this.options.debounceMs ?? 20);
  }

  private willBeScanned(relDir: string) {
    for (const scan of this.scans) {
      if (scan.left > 0 && (relDir === scan.dir || relDir.startsWith(scan.dir + '/'))) return true;
    }
    return false;
  }

  private async scanFolder(relDir: string) {
    // Files can land between the scan and the new folder's watch starting: look again shortly.
    // Unchanged files are skipped by their fingerprint, so rescans announce nothing twice.
    const delays = [0, 250, 1_000];
    const scan = { dir: relDir, left: delays.length };
    this.scans.add(scan);
    try {
      for (const delay of delays) {
        if (delay) await new Promise((r) => setTimeout(r, delay));
        if (!this.watcher) return; // closed meanwhile
        scan.left--;
        const dir = await this.resolveDir();
        const { files, errors } = await listContentFiles(dir, { from: relDir, limits: this.limits });
        if (this.noteFolderErrors(errors)) this.schedule();
        for (const rel of files) this.queue(rel);
      }
    } catch (error) {
      log.error('content', `scanning ${relDir}: ${String(error)}`);
    } finally {
      this.scans.delete(scan);
    }
  }

  private queue(rel: string) {
    this.pending.add(rel);
    this.schedule();
  }

  /** Applies what is pending (possibly nothing: a new folder error still needs a new snapshot). */
  private schedule() {
    if (this.flushTimer) clearTimeout(this.flushTimer);
    this.flushTimer = setTimeout(() => {
      this.flushTimer = null;
      const batch = [...this.pending];
      this.pending.clear();
      this.withVanished(batch)
        .then((all) => this.apply(all))
        .catch((error) => log.error('content', `applying ${batch.join(', ')}: ${String(error)}`));
    }, this.options.debounceMs ?? 20);
  }

  /**
   * The batch plus the known files of its folders that are no longer there. The watcher can drop an
   * unlink (chokidar does, around awaitWriteFinish, when files come and go quickly), and a deleted
   * article must not stay published: each folder a batch touches is listed again (one readdir).
   */
  private async withVanished(batch: string[]): Promise<string[]> {
    const folders = new Set(batch.filter((rel) => kindOf(rel)).map((rel) => path.posix.dirname(rel)));
    if (folders.size === 0) return batch;
    const dir = await this.resolveDir();
    const present = new Map<string, Set<string>>();
    for (const folder of folders) {
      const names = await readdir(path.join(dir, folder)).catch(() => [] as string[]);
      present.set(folder, new Set(names));
    }
    const all = new Set(batch);
    for (const rel of this.results.keys()) {
      const names = present.get(path.posix.dirname(rel));
      if (names && !names.has(path.posix.basename(rel))) all.add(rel);
    }
    return [...all];
  }

  /**
   * Lists the whole tree and applies what the watcher missed: files that are gone, and files it
   * never reported. A safety net run every `rescanMs`; unchanged files are skipped by fingerprint
   * only when read, so this reads nothing but the differences.
   */
  async reconcile(): Promise<void> {
    const dir = await this.resolveDir();
    const { files } = await listContentFiles(dir, { limits: this.limits });
    const listed = new Set(files);
    const differences = files.filter((rel) => !this.results.has(rel));
    for (const rel of this.results.keys()) if (kindOf(rel) && !listed.has(rel)) differences.push(rel);
    if (differences.length === 0) return;
    log.warn('content', `the watcher missed ${differences.length} file(s); applied on rescan`);
    await this.apply(differences);
  }

  async close() {
    if (this.timer) clearTimeout(this.timer);
    if (this.flushTimer) clearTimeout(this.flushTimer);
    if (this.folderTimer) clearTimeout(this.folderTimer);
    if (this.rescanTimer) clearTimeout(this.rescanTimer);
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

/** The folders none of whose ancestors is also in the set. */
function topMost(folders: ReadonlySet<string>): string[] {
  return [...folders].filter((f) => {
    for (let i = f.lastIndexOf('/'); i > 0; i = f.lastIndexOf('/', i - 1)) {
      if (folders.has(f.slice(0, i))) return false;
    }
    return true;
  });
}
