// `npm run test:multi`: the multi-instance suite — `next start` instances behind nginx (deploy/nginx
// as-is), sharing one PostgreSQL database and one Redis. The suite runs its own PostgreSQL, Redis
// and nginx on private ports (e2e/multi/services.ts), because it stops them to test outages: it
// never stops a server it did not start. Without the binaries it says why and skips, unless
// REQUIRE_POSTGRES / REQUIRE_REDIS are set (CI), where their absence fails.
import { spawnSync } from 'node:child_process';
import { cpSync, rmSync } from 'node:fs';
import pg from 'pg';
import { INSTANCES, SHARED_CONTENT_DIR } from '../../playwright.multi.config';
import {
  missingServices,
  POSTGRES_ADMIN_URL,
  REDIS_URL,
  removePostgres,
  startNginx,
  startPostgres,
  startRedis,
  stopNginx,
  stopPostgres,
  stopRedis,
} from '../../e2e/multi/services';

const required = process.env.REQUIRE_POSTGRES === '1' || process.env.REQUIRE_REDIS === '1';

async function main(): Promise<number> {
  const missing = missingServices();
  if (missing.length) {
    const why = `multi-instance suite skipped: ${missing.join(', ')} not installed`;
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
  try {
    await startPostgres();
    await startRedis();
    await startNginx([INSTANCES.a.port, INSTANCES.b.port]);
    const client = new pg.Client({ connectionString: POSTGRES_ADMIN_URL });
    await client.connect();
    await client.query('create database dispatch_multi');
    await client.end();
    const url = new URL(POSTGRES_ADMIN_URL);
    url.pathname = '/dispatch_multi';
    const result = spawnSync(
      'npx',
      ['playwright', 'test', '-c', 'playwright.multi.config.ts', ...process.argv.slice(2)],
      {
        stdio: 'inherit',
        env: { ...process.env, E2E_DATABASE_URL: url.toString(), E2E_REDIS_URL: REDIS_URL },
      },
    );
    return result.status ?? 1;
  } finally {
    await stopNginx().catch((e: unknown) => console.error(e));
    await stopRedis().catch((e: unknown) => console.error(e));
    await stopPostgres().catch((e: unknown) => console.error(e));
    removePostgres();
  }
}

// No top-level await: tsx runs scripts/ as CommonJS (package.json has no "type").
main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
