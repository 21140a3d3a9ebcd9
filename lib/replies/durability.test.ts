import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import { expect } from 'vitest';
import { openDatabase } from '../db/client';
import { parseConfig } from '../env';
import { describeEachDatabase } from '../testing/each-database';
import { insertReader } from '../testing/factories';
import { onWriterLines } from '../testing/writer-output';
import { renderReply } from './render';

/*
 * SECURITY P24: an acknowledged reply is durable. A child process (lib/testing/reply-writer.ts)
 * posts replies through service.postReply, four at a time, and prints `ack <id> <sha256(body)>`
 * only after postReply resolved, i.e. after COMMIT returned (the server action answers success
 * only then). Mid-stream it gets SIGKILL: no finally blocks, no pool shutdown, no SQLite
 * checkpoint, transactions cut wherever they were. The database is then opened afresh, as a
 * restarted server would, and must hold every acknowledged reply whole, published, and nothing
 * partial: every row is a complete reply (its text ends as written, its stored rendering is that
 * text's rendering) — at most the few in flight at the kill committed without their ack.
 *
 * What this proves: a process crash (kill -9, OOM kill, a panic) loses no acknowledged reply and
 * leaves no torn one, and a SQLite file left with a hot WAL recovers and passes integrity_check.
 * What it doesn't: power loss or a kernel crash, where the OS page cache is lost too. That rests on
 * fsync: SQLite's synchronous=FULL (lib/db/client.ts, docs/decisions/006-data-layer.md) and
 * PostgreSQL's fsync/synchronous_commit defaults, which this test neither checks nor exercises.
 * It drives the service, not the Next server action around it, which awaits the same call.
 */

const ROOT = path.resolve(import.meta.dirname, '../..');
const WRITER = path.join(ROOT, 'lib/testing/reply-writer.ts');
/** Kill after this many acks, or this long after the writer is ready, whichever comes first. */
const KILL_AFTER_ACKS = 150;
const KILL_AFTER_MS = 1_500;
/** Replies the writer keeps in flight (IN_FLIGHT in reply-writer.ts). */
const IN_FLIGHT = 4;

type Run = { acks: Map<string, string>; signal: NodeJS.Signals | null; code: number | null; stderr: string };

/** Runs the writer until it has acknowledged enough replies, then kills it with SIGKILL. */
function writeThenKill(url: string, userId: string, article: string): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', WRITER, url, userId, article], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const acks = new Map<string, string>();
    let stderr = '';
    let killTimer: NodeJS.Timeout | undefined;
    const kill = () => {
      clearTimeout(killTimer);
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    };
    // Starting tsx and the pool takes a second or two; a writer that never gets going fails the test.
    const startTimer = setTimeout(kill, 8_000);
    onWriterLines(child.stdout, (word, id, hash) => {
      if (word === 'ready') {
        clearTimeout(startTimer);
        killTimer = setTimeout(kill, KILL_AFTER_MS);
      } else if (word === 'ack' && id && hash) {
        acks.set(id, hash);
        if (acks.size >= KILL_AFTER_ACKS) kill();
      }
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', reject);
    // 'close', not 'exit': every ack the writer got into the pipe before it died is read first.
    child.on('close', (code, signal) => {
      clearTimeout(startTimer);
      clearTimeout(killTimer);
      resolve({ acks, signal, code, stderr });
    });
  });
}

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

describeEachDatabase('reply durability', ({ testDb, test: maybe }) => {
  maybe(
    'kill -9 mid-stream loses no acknowledged reply and leaves no partial one',
    async () => {
      const { db, url } = testDb();
      const reader = await insertReader(db, { name: 'Writer' });
      const article = `durability-${Date.now().toString(36)}`;
      const target = parseConfig({ ...process.env, DATABASE_URL: url }).database;
      const file = target.dialect === 'sqlite' ? target.file : null;
      // SQLite: the writer must be the file's only user, as a server is, so that reopening it below
      // recovers the hot WAL the crash leaves behind. (A clean close would have checkpointed it.)
      if (file) await db.destroy();

      const run = await writeThenKill(url, reader.id, article);
      expect(run.stderr).toBe('');
      expect(run.signal).toBe('SIGKILL');
      expect(run.acks.size).toBeGreaterThanOrEqual(20);

      if (file) {
        // The crash left a hot WAL (a clean close checkpoints and removes it); the first connection
        // recovers it. The file as the crash left it must pass SQLite's own consistency check.
        expect(statSync(`${file}-wal`).size).toBeGreaterThan(0);
        const raw = new SQLite(file, { fileMustExist: true });
        try {
          expect(raw.pragma('integrity_check', { simple: true })).toBe('ok');
        } finally {
          raw.close();
        }
      }

      const reopened = openDatabase(target, 2);
      try {
        const after = await reopened.ready;
        const rows = await after
          .selectFrom('replies')
          .select(['id', 'article', 'author_id', 'body', 'rendered', 'dedupe_key', 'status'])
          .execute();
        const byId = new Map(rows.map((row) => [row.id, row]));

        // Every acknowledged reply is there, whole and published.
        for (const [id, hash] of run.acks) {
          const row = byId.get(id);
          expect(row, `acknowledged reply ${id}`).toBeDefined();
          expect(sha256(row!.body), `body of ${id}`).toBe(hash);
          expect(row).toMatchObject({ article, author_id: reader.id, status: 'published' });
        }

        // No row is partial, acknowledged or not: the text ends as written, the stored rendering is
        // that text's, the dedupe key is set.
        for (const row of rows) {
          expect(row.body).toMatch(/^Reply #(\d+),[\s\S]*\nend of #\1\.$/);
          expect(JSON.parse(row.rendered)).toEqual(renderReply(row.body).blocks);
          expect(row.dedupe_key).toMatch(/^[\w-]{43}$/);
          expect(row).toMatchObject({ article, author_id: reader.id, status: 'published' });
        }

        // Committed but not yet acknowledged when the kill came: only the replies then in flight.
        expect(rows.length).toBeGreaterThanOrEqual(run.acks.size);
        expect(rows.length).toBeLessThanOrEqual(run.acks.size + IN_FLIGHT);
      } finally {
        await reopened.db.destroy();
      }
      // Recovered and checkpointed: the last connection's clean close removed the WAL.
      if (file) expect(existsSync(`${file}-wal`)).toBe(false);
    },
    15_000,
  );
});
