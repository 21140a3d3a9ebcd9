import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { openDatabase, type Db } from '../db/client';

/**
 * The databases the integration suite runs on: SQLite always, PostgreSQL when one answers at
 * DATABASE_URL_TEST (default postgres://postgres@127.0.0.1:5432/postgres). CI sets
 * REQUIRE_POSTGRES=1, so a missing server fails there instead of being skipped.
 */
const ADMIN_URL = process.env.DATABASE_URL_TEST ?? 'postgres://postgres@127.0.0.1:5432/postgres';

export type TestDb = { db: Db; dialect: 'sqlite' | 'postgres'; url: string; cleanup: () => Promise<void> };

async function postgresAnswers(): Promise<string | null> {
  const client = new pg.Client({ connectionString: ADMIN_URL, connectionTimeoutMillis: 2_000 });
  try {
    await client.connect();
    await client.query('select 1');
    return null;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  } finally {
    await client.end().catch(() => undefined);
  }
}

let pgReason: Promise<string | null> | null = null;

/** Why PostgreSQL tests don't run (printed), or null when they do. Throws in CI when it must run. */
export async function postgresUnavailable(): Promise<string | null> {
  pgReason ??= postgresAnswers();
  const reason = await pgReason;
  if (reason && process.env.REQUIRE_POSTGRES === '1')
    throw new Error(
      `PostgreSQL is required (REQUIRE_POSTGRES=1) but does not answer at ${ADMIN_URL}: ${reason}`,
    );
  return reason;
}

export async function createSqliteTestDb(): Promise<TestDb> {
  const dir = mkdtempSync(path.join(tmpdir(), 'dispatch-db-'));
  const { db, ready } = openDatabase({ dialect: 'sqlite', file: path.join(dir, 'test.db') }, 1);
  await ready;
  return {
    db,
    dialect: 'sqlite',
    url: `file:${path.join(dir, 'test.db')}`,
    cleanup: async () => (await db.destroy(), rmSync(dir, { recursive: true, force: true })),
  };
}

/** A fresh PostgreSQL database for one test file, dropped afterwards. */
export async function createPostgresTestDb(): Promise<TestDb> {
  const name = `dispatch_test_${process.pid}_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 6)}`;
  const admin = new pg.Client({ connectionString: ADMIN_URL });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = new URL(ADMIN_URL);
  url.pathname = `/${name}`;
  const { db, ready } = openDatabase({ dialect: 'postgres', url: url.toString() }, 5);
  await ready;
  return {
    db,
    dialect: 'postgres',
    url: url.toString(),
    cleanup: async () => {
      await db.destroy();
      const drop = new pg.Client({ connectionString: ADMIN_URL });
      await drop.connect();
      await drop.query(`drop database if exists ${name} with (force)`);
      await drop.end();
    },
  };
}

export const testDialects = ['sqlite', 'postgres'] as const;

/** Opens a test database of `dialect`; null (with the reason printed once) when PostgreSQL is absent. */
export async function openTestDb(dialect: (typeof testDialects)[number]): Promise<TestDb | null> {
  if (dialect === 'sqlite') return createSqliteTestDb();
  const reason = await postgresUnavailable();
  if (reason) {
    console.warn(
      `PostgreSQL tests skipped: no server at ${ADMIN_URL} (${reason}). Set DATABASE_URL_TEST or REQUIRE_POSTGRES=1.`,
    );
    return null;
  }
  return createPostgresTestDb();
}
