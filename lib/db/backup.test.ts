import { spawn } from 'node:child_process';
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../env';
import { createPostgresTestDb, createSqliteTestDb, type TestDb } from '../testing/db';
import { describeEachDatabase } from '../testing/each-database';
import { insertReader } from '../testing/factories';
import { onWriterLines } from '../testing/writer-output';
import { backupDatabase, defaultBackupFile } from './backup';
import { openDatabase, type Db } from './client';

/*
 * Issue 14: a backup taken while replies are being written restores with every reply acknowledged
 * before the backup started. A child process (lib/testing/reply-writer.ts, as in
 * lib/replies/durability.test.ts) posts replies through the reply service four at a time and
 * prints `ack <id> <sha256(body)>` once each is committed. While it writes, `npm run backup` runs
 * (scripts/backup.ts, its own process, as an operator or a timer would run it); then `npm run
 * restore` puts the backup into a fresh database, which the app must open (migrations check) and
 * which must hold every reply acknowledged before the backup was started, whole.
 */

const ROOT = path.resolve(import.meta.dirname, '../..');
const WRITER = path.join(ROOT, 'lib/testing/reply-writer.ts');

type Ran = { code: number | null; stdout: string; stderr: string };

/** Runs `npm run backup` / `npm run restore` (the script itself, without npm's banner) on `url`. */
function cli(
  script: 'backup' | 'restore',
  url: string,
  args: string[],
  env: Record<string, string> = {},
): Promise<Ran> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', path.join(ROOT, `scripts/${script}.ts`), ...args],
      {
        cwd: ROOT,
        env: { ...process.env, DATABASE_URL: url, ...env },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** The reply writer, running until stopped; `acks` fills as replies are acknowledged. */
function startWriter(url: string, userId: string, article: string) {
  const child = spawn(process.execPath, ['--import', 'tsx', WRITER, url, userId, article], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const acks = new Map<string, string>();
  const waiting: Array<{ n: number; resolve: () => void }> = [];
  let stderr = '';
  const closed = new Promise<void>((resolve) => child.on('close', () => resolve()));
  onWriterLines(child.stdout, (word, id, hash) => {
    if (word === 'ack' && id && hash) acks.set(id, hash);
    for (const w of waiting.filter((w) => acks.size >= w.n)) {
      waiting.splice(waiting.indexOf(w), 1);
      w.resolve();
    }
  });
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  return {
    acks,
    /** Resolves once `n` replies in all were acknowledged; fails if the writer dies first. */
    acked: (n: number) =>
      Promise.race([
        new Promise<void>((resolve) => (acks.size >= n ? resolve() : waiting.push({ n, resolve }))),
        closed.then(() => {
          throw new Error(`reply writer stopped after ${acks.size} acks: ${stderr}`);
        }),
      ]),
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await closed;
      return stderr;
    },
  };
}

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
const targetOf = (url: string) => parseConfig({ ...process.env, DATABASE_URL: url }).database;
/**
 * Older replies, ~6 MB of them, so that copying the database takes long enough (tens to hundreds
 * of milliseconds) for the writer to commit replies while it runs.
 */
async function insertFiller(db: Db, authorId: string) {
  const now = Date.now() - 86_400_000;
  for (let batch = 0; batch < 8; batch++) {
    const rows = Array.from({ length: 200 }, (_, i) => {
      const id = randomUUID();
      const body = randomBytes(2_000).toString('hex');
      return {
        id,
        article: 'backup-filler',
        depth: 0,
        author_id: authorId,
        body,
        rendered: JSON.stringify([{ type: 'paragraph', children: [{ type: 'text', value: body }] }]),
        dedupe_key: id,
        status: 'published' as const,
        created_at: now + batch * 200 + i,
        updated_at: now,
      };
    });
    await db.insertInto('replies').values(rows).execute();
  }
}

const freshDb = (dialect: TestDb['dialect']) =>
  dialect === 'sqlite' ? createSqliteTestDb() : createPostgresTestDb();

describeEachDatabase('backup and restore', ({ testDb, test: maybe }) => {
  let dir = '';
  beforeAll(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'dispatch-backup-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  maybe(
    'a backup taken while replies are written restores every reply acknowledged before it started',
    async () => {
      const { db, url, dialect } = testDb();
      const reader = await insertReader(db, { name: 'Writer' });
      const article = `backup-${Date.now().toString(36)}`;
      const file = path.join(dir, `during-writes.${dialect === 'sqlite' ? 'db' : 'dump'}`);

      await insertFiller(db, reader.id);

      const writer = startWriter(url, reader.id, article);
      let fresh: TestDb | null = null;
      try {
        await writer.acked(40);
        // Acknowledged before the backup started: these must all come back.
        const before = new Map(writer.acks);
        const started = Date.now();
        expect(await backupDatabase(targetOf(url), file)).toBe(file);
        const finished = Date.now();
        // The writer goes on past the backup, so anything the backup caught has been acknowledged.
        await writer.acked(writer.acks.size + 8);
        expect(await writer.stop()).toBe('');

        // Replies were being written while the backup ran (postReply takes created_at as it begins).
        const during = await db
          .selectFrom('replies')
          .select(db.fn.countAll().as('n'))
          .where('article', '=', article)
          .where('created_at', '>', started)
          .where('created_at', '<', finished)
          .executeTakeFirstOrThrow();
        expect(
          Number(during.n),
          `replies written during the ${finished - started} ms backup`,
        ).toBeGreaterThan(0);
        expect(statSync(file).mode & 0o777).toBe(0o600);
        expect(existsSync(`${file}.partial`)).toBe(false);

        // A fresh database, not in use. SQLite: a migrated file, which the restore keeps aside.
        // PostgreSQL: an empty database, as in the README's "restore into a new database".
        fresh = await freshDb(dialect);
        if (dialect === 'postgres')
          await sql`drop schema public cascade; create schema public`.execute(fresh.db);
        await fresh.db.destroy();
        const restore = await cli('restore', fresh.url, [file]);
        expect(restore.stderr).toBe('');
        expect(restore.code).toBe(0);
        const previous = /kept at (\S+)$/m.exec(restore.stdout)?.[1];
        expect(previous && existsSync(previous), restore.stdout).toBe(true);

        const target = targetOf(fresh.url);
        if (target.dialect === 'sqlite') {
          const raw = new SQLite(target.file, { readonly: true, fileMustExist: true });
          try {
            expect(raw.pragma('integrity_check', { simple: true })).toBe('ok');
          } finally {
            raw.close();
          }
        }
        // The app opens it (its migrator refuses a database with migrations it doesn't know), and
        // finds the source's migrations, nothing left to apply.
        const names = (d: Db) =>
          sql<{ name: string }>`select name from kysely_migration order by name`
            .execute(d)
            .then((r) => r.rows.map((row) => row.name));
        const reopened = openDatabase(target, 2);
        try {
          const restored = await reopened.ready;
          expect(await names(restored)).toEqual(await names(db));
          const rows = await restored
            .selectFrom('replies')
            .select(['id', 'article', 'author_id', 'body', 'status'])
            .where('article', '=', article)
            .execute();
          const byId = new Map(rows.map((row) => [row.id, row]));
          for (const [id, hash] of before) {
            const row = byId.get(id);
            expect(row, `reply ${id}, acknowledged before the backup`).toBeDefined();
            expect(sha256(row!.body), `body of ${id}`).toBe(hash);
            expect(row).toMatchObject({ author_id: reader.id, status: 'published' });
          }
          // Nothing torn or invented: every row is a whole reply the writer acknowledged.
          for (const row of rows) {
            expect(row.body).toMatch(/^Reply #(\d+),[\s\S]*\nend of #\1\.$/);
            expect(writer.acks.get(row.id), `restored reply ${row.id}`).toBe(sha256(row.body));
          }
          expect(rows.length).toBeGreaterThanOrEqual(before.size);
          expect(rows.length).toBeLessThanOrEqual(writer.acks.size);
          // And the reader who wrote them came back too.
          const user = await restored
            .selectFrom('users')
            .select('name')
            .where('id', '=', reader.id)
            .executeTakeFirst();
          expect(user?.name).toBe('Writer');
        } finally {
          await reopened.db.destroy();
        }
      } finally {
        await writer.stop();
        await fresh?.cleanup();
      }
    },
    120_000,
  );

  maybe(
    'restore refuses while the server has the database open, and changes nothing',
    async () => {
      const { db, url, dialect } = testDb();
      // `npm run backup -- <directory>`: a default name inside it.
      const backup = await cli('backup', url, [dir]);
      expect(backup.stderr).toBe('');
      expect(backup.code).toBe(0);
      const file = /written to (\S+)$/m.exec(backup.stdout)?.[1] ?? '';
      expect(path.basename(file)).toMatch(/^dispatch-\d{8}T\d{6}Z\.(db|dump)$/);
      expect(path.dirname(file)).toBe(dir);
      // The test's own handle stands for the server: SQLite holds the file open, and PostgreSQL
      // has a pooled connection named 'dispatch' once a query ran.
      await sql`select 1`.execute(db);
      const replies = await db
        .selectFrom('replies')
        .select(db.fn.countAll().as('n'))
        .executeTakeFirstOrThrow();

      const restore = await cli('restore', url, [file]);
      expect(restore.code).toBe(1);
      expect(restore.stderr.trim()).toMatch(
        dialect === 'sqlite'
          ? /^restore: \S+ is in use \(is the server running\?\): stop it, then restore$/
          : /^restore: the database has \d+ connection\(s\) from Dispatch \(is the server running\?\)/,
      );
      expect(restore.stderr.trim().split('\n')).toHaveLength(1);
      const after = await db.selectFrom('replies').select(db.fn.countAll().as('n')).executeTakeFirstOrThrow();
      expect(Number(after.n)).toBe(Number(replies.n));
      const target = targetOf(url);
      if (target.dialect === 'sqlite')
        expect(readdirSync(path.dirname(target.file)).filter((name) => /restor/.test(name))).toEqual([]);
    },
    60_000,
  );
});

describe('backup and restore commands', () => {
  let dir = '';
  let sqlite: TestDb;
  let good = '';
  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'dispatch-backup-'));
    sqlite = await createSqliteTestDb();
    good = await backupDatabase(targetOf(sqlite.url), path.join(dir, 'good.db'));
  });
  afterAll(async () => {
    await sqlite.cleanup();
    rmSync(dir, { recursive: true, force: true });
  });

  it('names default backups by UTC time under ./backups/', () => {
    const now = new Date('2025-01-31T02:03:04.567Z');
    expect(defaultBackupFile({ dialect: 'sqlite', file: '/x.db' }, now)).toBe(
      path.resolve('backups/dispatch-20250131T020304Z.db'),
    );
    expect(defaultBackupFile({ dialect: 'postgres', url: 'postgres://h/d' }, now, '/b')).toBe(
      '/b/dispatch-20250131T020304Z.dump',
    );
  });

  it('restore refuses without a backup path (exit 2)', async () => {
    const ran = await cli('restore', sqlite.url, []);
    expect(ran.code).toBe(2);
    expect(ran.stderr).toMatch(/^usage: npm run restore -- <backup file>/);
  });

  it('refuses a damaged backup and leaves the database as it was', async () => {
    const damaged = path.join(dir, 'damaged.db');
    const bytes = readFileSync(good);
    // Keep the header (page 1) so it still looks like SQLite; scribble over the pages after it.
    bytes.fill(0x5a, 4096, 4096 * 8);
    writeFileSync(damaged, bytes);
    const reader = await insertReader(sqlite.db, { name: 'Still here' });
    await sqlite.db.destroy(); // the server is stopped
    const target = targetOf(sqlite.url);
    if (target.dialect !== 'sqlite') throw new Error('expected SQLite');
    const before = readFileSync(target.file);

    const ran = await cli('restore', sqlite.url, [damaged]);
    expect(ran.code).toBe(1);
    expect(ran.stderr).toContain(`restore: ${damaged} `);
    expect(ran.stderr.trim().split('\n')).toHaveLength(1);
    expect(readFileSync(target.file).equals(before)).toBe(true);
    const reopened = openDatabase(target, 1);
    try {
      const db = await reopened.ready;
      expect(
        await db.selectFrom('users').select('name').where('id', '=', reader.id).executeTakeFirst(),
      ).toEqual({
        name: 'Still here',
      });
    } finally {
      await reopened.db.destroy();
    }
  });

  it('restores where there was no database yet', async () => {
    const file = path.join(dir, 'new', 'dispatch.db');
    const ran = await cli('restore', `file:${file}`, [good]);
    expect(ran.stderr).toBe('');
    expect(ran.code).toBe(0);
    expect(ran.stdout.trim()).toBe(`restore: ${good} restored into ${file}`);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const reopened = openDatabase({ dialect: 'sqlite', file }, 1);
    await reopened.ready;
    await reopened.db.destroy();
  });

  it('refuses a backup of the other kind of database', async () => {
    const ran = await cli('restore', 'postgres://postgres@127.0.0.1:1/none', [good]);
    expect(ran.code).toBe(1);
    expect(ran.stderr.trim()).toBe(`restore: ${good} is a SQLite backup, but DATABASE_URL is PostgreSQL`);
  });

  it('says so when pg_dump is not installed', async () => {
    const ran = await cli('backup', 'postgres://postgres@127.0.0.1:1/none', [path.join(dir, 'x.dump')], {
      PATH: path.join(dir, 'no-such-dir'),
    });
    expect(ran.code).toBe(1);
    expect(ran.stderr.trim()).toMatch(
      /^backup: pg_dump not found on PATH: install PostgreSQL's client programs/,
    );
    expect(existsSync(path.join(dir, 'x.dump.partial'))).toBe(false);
  });
});
