// `npm run test:multi`: the multi-instance suite — two `next start` instances sharing one
// PostgreSQL database and Redis. Needs both servers; without them it says why and skips, unless
// REQUIRE_POSTGRES / REQUIRE_REDIS are set (CI), where their absence fails.
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, rmSync } from 'node:fs';
import pg from 'pg';
import { SHARED_CONTENT_DIR } from '../../playwright.multi.config';

const admin = process.env.DATABASE_URL_TEST ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const required = process.env.REQUIRE_POSTGRES === '1' || process.env.REQUIRE_REDIS === '1';

function redisUp(): boolean {
  try {
    return (
      execFileSync('redis-cli', ['-h', '127.0.0.1', '-p', '6379', 'ping'], { encoding: 'utf8' }).trim() ===
      'PONG'
    );
  } catch {
    return false;
  }
}

async function main(): Promise<number> {
  const client = new pg.Client({ connectionString: admin, connectionTimeoutMillis: 2000 });
  const pgUp = await client.connect().then(
    () => true,
    () => false,
  );
  if (!pgUp || !redisUp()) {
    const why = `multi-instance suite skipped: ${!pgUp ? `no PostgreSQL at ${admin}` : 'no Redis at 127.0.0.1:6379'}`;
    if (required) {
      console.error(why.replace('skipped', 'cannot run'));
      return 1;
    }
    console.log(why);
    return 0;
  }
  // A fresh copy of the sample content for the instances that share one folder.
  rmSync(SHARED_CONTENT_DIR, { recursive: true, force: true });
  cpSync('content', SHARED_CONTENT_DIR, { recursive: true });
  const name = `dispatch_multi_${Date.now().toString(36)}`;
  await client.query(`create database ${name}`);
  const url = new URL(admin);
  url.pathname = `/${name}`;
  const result = spawnSync('npx', ['playwright', 'test', '-c', 'playwright.multi.config.ts'], {
    stdio: 'inherit',
    env: { ...process.env, E2E_DATABASE_URL: url.toString() },
  });
  await client.query(`drop database if exists ${name} with (force)`);
  await client.end();
  return result.status ?? 1;
}

// No top-level await: tsx runs scripts/ as CommonJS (package.json has no "type").
main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
