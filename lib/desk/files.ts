import { execFile } from 'node:child_process';
import { constants } from 'node:fs';
import { lstat, mkdir, open, readdir, realpath, rename, stat, unlink } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { AppError } from '../errors';
import { log } from '../log';
import { fingerprintOf, splitSource } from './source';

const run = promisify(execFile);

/** Where the desk keeps its lock and temporary files: a dot-folder, so the content loader skips it. */
const WORK = '.desk';
/** Deleted files, under the path they had (SPEC §9): restorable, never lost. */
const TRASH = '.trash';
const LOCK_STALE_MS = 30_000;
const LOCK_WAIT_MS = 10_000;

/** A content path the desk may touch: under topics/ or articles/, safe segments, an .mdx file. */
const CONTENT_PATH = /^(?:topics\/[a-z0-9-]+|articles(?:\/[a-z0-9][a-z0-9._-]*)*\/[a-z0-9-]+)\.mdx$/;

export type FileVersion = { source: string; fingerprint: string };
export type TrashedFile = { path: string; original: string; deletedAt: number };
export type HistoryEntry = { commit: string; author: string; at: string; message: string };
export type Editor = { id: string; name: string };

/**
 * The desk's file operations in CONTENT_DIR (ADR 015): every path checked and confined, every
 * write atomic (temp file + fsync + rename + fsync of the folder), every change under one lock
 * that instances sharing the folder also respect, so a fingerprint check and the write that
 * follows it can't interleave with another editor's. When the folder is a git repository, each
 * change is a commit by the editor.
 */
export class DeskFiles {
  private queue: Promise<unknown> = Promise.resolve();

  constructor(readonly dir: string) {}

  /** The file's text and fingerprint, or null when there is none. */
  async read(rel: string): Promise<FileVersion | null> {
    const full = await this.resolve(rel);
    const source = await readNoFollow(full);
    return source === null ? null : { source, fingerprint: fingerprintOf(source) };
  }

  /**
   * Runs `change` alone: within this process (a queue) and across instances sharing CONTENT_DIR
   * (an exclusive lock file; one left by a crashed process expires after 30 s).
   */
  exclusive<T>(change: () => Promise<T>): Promise<T> {
    const next = this.queue.then(async () => {
      const release = await this.lock();
      try {
        return await change();
      } finally {
        await release();
      }
    });
    this.queue = next.catch(() => undefined);
    return next;
  }

  /**
   * Writes `source` at `rel` if the file is still as the editor loaded it: `expected` is its
   * fingerprint then, or null for a file that must not exist yet. Call inside `exclusive`.
   */
  async write(rel: string, source: string, expected: string | null): Promise<FileVersion> {
    const full = await this.resolve(rel, { create: true });
    const current = await readNoFollow(full);
    if (expected === null && current !== null) throw new AppError('conflict', `${rel} already exists.`);
    if (expected !== null && current === null)
      throw new AppError('not_found', 'That item was deleted meanwhile; nothing was saved.');
    if (expected !== null && fingerprintOf(current!) !== expected) throw new ConflictError(current!);
    await this.atomicWrite(full, source);
    return { source, fingerprint: fingerprintOf(source) };
  }

  /** Moves a file to the trash under its own path (another copy already there keeps its name). Call inside `exclusive`. */
  async trash(rel: string): Promise<string> {
    const from = await this.resolve(rel);
    if ((await readNoFollow(from)) === null) throw new AppError('not_found', 'That item is already gone.');
    let target = `${TRASH}/${rel}`;
    if (await exists(await this.resolve(target, { create: true, trash: true })))
      target = `${TRASH}/${rel.replace(/\.mdx$/, '')}.${Date.now()}.mdx`;
    const to = await this.resolve(target, { create: true, trash: true });
    await rename(from, to);
    await Promise.all([syncDir(path.dirname(from)), syncDir(path.dirname(to))]);
    return target;
  }

  /** A trashed file's text. */
  async readTrashed(trashed: string): Promise<string | null> {
    return readNoFollow(await this.resolve(trashed, { trash: true }));
  }

  /** Moves a trashed file back where it was; a file there now is a conflict. Call inside `exclusive`. */
  async restore(trashed: string): Promise<string> {
    const original = originalOf(trashed);
    if (!original) throw new AppError('not_found', 'Nothing in the trash by that name.');
    const from = await this.resolve(trashed, { trash: true });
    if ((await readNoFollow(from)) === null)
      throw new AppError('not_found', 'Nothing in the trash by that name.');
    const to = await this.resolve(original, { create: true });
    if (await exists(to))
      throw new AppError('conflict', `${original} exists again; rename or delete it first.`);
    await rename(from, to);
    await Promise.all([syncDir(path.dirname(from)), syncDir(path.dirname(to))]);
    return original;
  }

  /** What the trash holds, newest first. */
  async listTrash(): Promise<TrashedFile[]> {
    const root = path.join(await this.root(), TRASH);
    const found: TrashedFile[] = [];
    const walk = async (dir: string, depth: number): Promise<void> => {
      if (depth > 16) return;
      const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
      for (const entry of entries) {
        const full = path.join(dir, entry.name);
        if (entry.isDirectory()) await walk(full, depth + 1);
        else if (entry.isFile() && entry.name.endsWith('.mdx')) {
          const rel = `${TRASH}/${path.relative(root, full).split(path.sep).join('/')}`;
          const original = originalOf(rel);
          if (original) found.push({ path: rel, original, deletedAt: (await stat(full)).mtimeMs });
        }
      }
    };
    await walk(root, 0);
    return found.sort((a, b) => b.deletedAt - a.deletedAt);
  }

  /** Commits `paths` as one change by `editor`, when CONTENT_DIR is a git repository; a failure is logged, not thrown. */
  async commit(paths: string[], message: string, editor: Editor): Promise<void> {
    const root = await this.root();
    if (!(await exists(path.join(root, '.git')))) return;
    const env = {
      ...process.env,
      GIT_AUTHOR_NAME: editor.name,
      GIT_AUTHOR_EMAIL: `${editor.id}@desk.invalid`, // an account id, never the editor's address
      GIT_COMMITTER_NAME: 'Dispatch desk',
      GIT_COMMITTER_EMAIL: 'desk@dispatch.invalid',
    };
    try {
      await run('git', ['-C', root, 'add', '-A', '--', ...paths], { env });
      await run('git', ['-C', root, 'commit', '--quiet', '-m', message, '--', ...paths], { env });
    } catch (error) {
      log.error('desk', `git commit "${message}" failed: ${String((error as Error).message).split('\n')[0]}`);
    }
  }

  /** A file's commits, newest first (empty without git). */
  async history(rel: string, limit = 50): Promise<HistoryEntry[]> {
    await this.resolve(rel);
    const root = await this.root();
    if (!(await exists(path.join(root, '.git')))) return [];
    try {
      const { stdout } = await run('git', [
        '-C',
        root,
        'log',
        `-n${limit}`,
        '--follow',
        '--format=%H%x1f%an%x1f%aI%x1f%s',
        '--',
        rel,
      ]);
      return stdout
        .split('\n')
        .filter(Boolean)
        .map((line) => {
          const [commit, author, at, message] = line.split('\x1f') as [string, string, string, string];
          return { commit, author, at, message };
        });
    } catch {
      return [];
    }
  }

  private async root() {
    return realpath(this.dir); // CONTENT_DIR itself may be a link (content -> /srv/content/current)
  }

  /**
   * The absolute path of a content (or, with `trash`, a trashed) path: checked against the shapes
   * the desk writes, confined to CONTENT_DIR, with no symbolic link on the way.
   */
  private async resolve(rel: string, options: { create?: boolean; trash?: boolean } = {}): Promise<string> {
    const inner = options.trash ? (rel.startsWith(`${TRASH}/`) ? rel.slice(TRASH.length + 1) : '') : rel;
    const shape = options.trash ? inner.replace(/\.\d+\.mdx$/, '.mdx') : inner;
    if (!CONTENT_PATH.test(shape) || shape.split('/').some((s) => s === '..' || s === '.'))
      throw new AppError('invalid', 'Not a content file the desk can write.');
    const root = await this.root();
    const full = path.join(root, rel);
    if (!full.startsWith(root + path.sep))
      throw new AppError('invalid', 'Not a content file the desk can write.');
    // Every folder on the way must be a real folder, not a link out of the tree.
    let at = root;
    for (const part of rel.split('/').slice(0, -1)) {
      at = path.join(at, part);
      const info = await lstat(at).catch(() => null);
      if (!info) {
        if (!options.create) return full; // the file can't exist either
        await mkdir(at).catch((e: NodeJS.ErrnoException) => {
          if (e.code !== 'EEXIST') throw e;
        });
        const made = await lstat(at);
        if (!made.isDirectory())
          throw new AppError('invalid', `${rel}: a folder on the way is not a folder.`);
      } else if (info.isSymbolicLink() || !info.isDirectory())
        throw new AppError('invalid', `${rel}: a folder on the way is a link or not a folder.`);
    }
    return full;
  }

  private async atomicWrite(full: string, source: string) {
    const work = await this.workDir();
    const temp = path.join(work, `${process.pid}-${Date.now()}-${Math.random().toString(36).slice(2)}.tmp`);
    const handle = await open(
      temp,
      constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW,
      0o644,
    );
    try {
      await handle.writeFile(source);
      await handle.sync();
    } finally {
      await handle.close();
    }
    try {
      // A link placed at the target is replaced, not followed: rename swaps the directory entry.
      await rename(temp, full);
    } catch (error) {
      await unlink(temp).catch(() => undefined);
      throw error;
    }
    await syncDir(path.dirname(full));
  }

  private async workDir() {
    const work = path.join(await this.root(), WORK);
    await mkdir(work, { recursive: true });
    const info = await lstat(work);
    if (info.isSymbolicLink() || !info.isDirectory()) throw new Error(`${work} must be a folder`);
    return work;
  }

  private async lock(): Promise<() => Promise<void>> {
    const file = path.join(await this.workDir(), 'lock');
    const started = Date.now();
    for (;;) {
      try {
        const handle = await open(file, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL, 0o644);
        await handle.writeFile(`${process.pid}\n`);
        await handle.close();
        return () => unlink(file).catch(() => undefined);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
        const held = await stat(file).catch(() => null);
        if (held && Date.now() - held.mtimeMs > LOCK_STALE_MS) {
          log.warn(
            'desk',
            `removing a stale desk lock (${Math.round((Date.now() - held.mtimeMs) / 1000)} s old)`,
          );
          await unlink(file).catch(() => undefined);
          continue;
        }
        if (Date.now() - started > LOCK_WAIT_MS)
          throw new AppError('unavailable', 'Another change is being saved; please try again in a moment.');
        await new Promise((r) => setTimeout(r, 15));
      }
    }
  }
}

/** A save refused because the file changed since the editor loaded it; carries the version on disk. */
export class ConflictError extends AppError {
  constructor(source: string) {
    const split = splitSource(source);
    super(
      'conflict',
      'Conflict: this item was changed by someone else since you opened it. Your text is kept; compare it with their version to resolve the conflict.',
      undefined,
      {
        headline: String(split?.meta.title ?? ''),
        body: split?.body ?? source,
        fingerprint: fingerprintOf(source),
      },
    );
  }
}

/** `.trash/<path>` (or `.trash/<path without .mdx>.<ms>.mdx`) → the path it came from. */
function originalOf(trashed: string): string | null {
  if (!trashed.startsWith(`${TRASH}/`)) return null;
  const rel = trashed.slice(TRASH.length + 1).replace(/\.\d+\.mdx$/, '.mdx');
  return CONTENT_PATH.test(rel) ? rel : null;
}

async function readNoFollow(full: string): Promise<string | null> {
  try {
    const handle = await open(full, constants.O_RDONLY | constants.O_NOFOLLOW);
    try {
      return await handle.readFile('utf8');
    } finally {
      await handle.close();
    }
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return null;
    if (code === 'ELOOP')
      throw new AppError('invalid', 'That content file is a link; the desk does not follow links.');
    throw error;
  }
}

const exists = (full: string) =>
  lstat(full).then(
    () => true,
    () => false,
  );

async function syncDir(dir: string) {
  const handle = await open(dir, constants.O_RDONLY).catch(() => null);
  if (!handle) return;
  await handle.sync().catch(() => undefined);
  await handle.close();
}
