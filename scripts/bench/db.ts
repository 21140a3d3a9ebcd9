// `npm run bench:db`: small-row inserts from concurrent callers, each in its own transaction (as
// a reply will be), on SQLite and on PostgreSQL. Prints rows/s and latency percentiles.
import { randomUUID } from 'node:crypto';
import os from 'node:os';
import { sql, type Kysely } from 'kysely';
import {
  createPostgresTestDb,
  createSqliteTestDb,
  postgresUnavailable,
  type TestDb,
} from '../../lib/testing/db';

const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 50);
const DURATION_MS = Number(process.env.BENCH_DURATION ?? 10) * 1000;

type Row = { id: string; article: string; body: string; created_at: number };

async function run(t: TestDb) {
  const db = t.db as unknown as Kysely<{ bench_rows: Row }>;
  await db.schema
    .createTable('bench_rows')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('article', 'text', (c) => c.notNull())
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();
  const latencies: number[] = [];
  const until = performance.now() + DURATION_MS;
  const worker = async () => {
    while (performance.now() < until) {
      const started = performance.now();
      await db.transaction().execute((tx) =>
        tx
          .insertInto('bench_rows')
          .values({
            id: randomUUID(),
            article: 'bench-article',
            body: 'A short reply of about sixty characters, like most replies.',
            created_at: Date.now(),
          })
          .execute(),
      );
      latencies.push(performance.now() - started);
    }
  };
  const started = performance.now();
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  const seconds = (performance.now() - started) / 1000;
  const count = Number(
    (await sql<{ n: number }>`select count(*) as n from bench_rows`.execute(db)).rows[0]!.n,
  );
  latencies.sort((a, b) => a - b);
  const pct = (p: number) =>
    latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))]!.toFixed(1);
  return {
    dialect: t.dialect,
    rows: count,
    rowsPerSecond: Math.round(count / seconds),
    p50: pct(50),
    p99: pct(99),
    max: latencies.at(-1)!.toFixed(1),
  };
}

async function main() {
  const results = [];
  const sqlite = await createSqliteTestDb();
  try {
    results.push(await run(sqlite));
  } finally {
    await sqlite.cleanup();
  }
  const reason = await postgresUnavailable();
  if (reason) console.warn(`PostgreSQL skipped: ${reason}`);
  else {
    const pgDb = await createPostgresTestDb();
    try {
      results.push(await run(pgDb));
    } finally {
      await pgDb.cleanup();
    }
  }
  console.log(
    `\nbench:db — ${new Date().toISOString().slice(0, 10)}, ${os.cpus().length} cores, ${CONCURRENCY} concurrent callers, ${DURATION_MS / 1000} s each, one transaction per insert\n`,
  );
  console.log('| database | rows | rows/s | p50 ms | p99 ms | max ms |');
  console.log('| --- | --- | --- | --- | --- | --- |');
  for (const r of results)
    console.log(`| ${r.dialect} | ${r.rows} | ${r.rowsPerSecond} | ${r.p50} | ${r.p99} | ${r.max} |`);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
