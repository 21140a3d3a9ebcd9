// The multi-instance suite's own PostgreSQL, Redis and nginx, on private ports (issue 14): the
// suite stops and starts them to test outages, so it never touches a server it did not start.
// scripts/ci/test-multi.ts starts them before Playwright and stops them after; the specs stop and
// start them again through the same functions.
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { chownSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createConnection } from 'node:net';
import path from 'node:path';

const PORTS = { postgres: 5491, redis: 6391, nginx: 3240 } as const;
export const POSTGRES_ADMIN_URL = `postgres://postgres@127.0.0.1:${PORTS.postgres}/postgres`;
export const REDIS_URL = `redis://127.0.0.1:${PORTS.redis}`;
export const NGINX_URL = `http://127.0.0.1:${PORTS.nginx}`;

// Outside the checkout: PostgreSQL runs as its own user, which must be able to reach its folder.
const ROOT = '/tmp/dispatch-multi';
const PG_DIR = path.join(ROOT, 'postgres');
const NGINX_DIR = path.resolve('.tmp/multi-nginx');
const asRoot = process.getuid?.() === 0;

/** Where a PostgreSQL server binary is: on PATH, or Debian's versioned folder (the newest). */
function pgBin(tool: string): string | null {
  const onPath = spawnSync('sh', ['-c', `command -v ${tool}`], { encoding: 'utf8' }).stdout.trim();
  if (onPath) return onPath;
  const root = '/usr/lib/postgresql';
  const versions = existsSync(root) ? readdirSync(root).sort((a, b) => Number(b) - Number(a)) : [];
  const found = versions.map((v) => path.join(root, v, 'bin', tool)).find((p) => existsSync(p));
  return found ?? null;
}

/** Whether this machine can run the suite's own PostgreSQL, Redis and nginx. */
export function missingServices(): string[] {
  const has = (cmd: string, args: string[]) => spawnSync(cmd, args, { stdio: 'ignore' }).status === 0;
  return [
    !(pgBin('initdb') && pgBin('pg_ctl')) && 'PostgreSQL (initdb, pg_ctl)',
    !has('redis-server', ['--version']) && 'redis-server',
    !has('/usr/sbin/nginx', ['-v']) && !has('nginx', ['-v']) && 'nginx',
  ].filter((m): m is string => Boolean(m));
}

/** Runs a PostgreSQL binary, as the postgres user when we are root (PostgreSQL refuses root). */
function pgTool(tool: string, args: string[]) {
  const bin = pgBin(tool) ?? tool;
  const [cmd, argv] = asRoot ? ['runuser', ['-u', 'postgres', '--', bin, ...args]] : [bin, args];
  // cwd `/`: the postgres user may not enter the checkout's folder.
  execFileSync(cmd, argv, { stdio: ['ignore', 'ignore', 'inherit'], cwd: '/' });
}

function portOpen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ port, host: '127.0.0.1' });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

async function waitForPort(port: number, open: boolean, what: string, ms = 30_000) {
  const until = Date.now() + ms;
  while ((await portOpen(port)) !== open) {
    if (Date.now() > until) throw new Error(`${what} did not ${open ? 'start' : 'stop'} on port ${port}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** A fresh PostgreSQL cluster, on first start; started again (same data) afterwards. */
export async function startPostgres() {
  if (!existsSync(path.join(PG_DIR, 'PG_VERSION'))) {
    rmSync(PG_DIR, { recursive: true, force: true });
    mkdirSync(PG_DIR, { recursive: true });
    if (asRoot) {
      const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }));
      const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }));
      chownSync(ROOT, uid, gid);
      chownSync(PG_DIR, uid, gid);
    }
    pgTool('initdb', ['-D', PG_DIR, '-U', 'postgres', '-A', 'trust', '--no-sync', '-E', 'UTF8']);
  }
  const options = `-p ${PORTS.postgres} -k ${PG_DIR} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=100`;
  pgTool('pg_ctl', ['-D', PG_DIR, '-o', options, '-l', path.join(PG_DIR, 'server.log'), '-w', 'start']);
  await waitForPort(PORTS.postgres, true, 'PostgreSQL');
}

export async function stopPostgres() {
  if (!existsSync(path.join(PG_DIR, 'postmaster.pid'))) return;
  pgTool('pg_ctl', ['-D', PG_DIR, '-m', 'fast', '-w', 'stop']);
  await waitForPort(PORTS.postgres, false, 'PostgreSQL');
}

/** Removes the cluster (after the suite). */
export function removePostgres() {
  rmSync(ROOT, { recursive: true, force: true });
}

export async function startRedis() {
  mkdirSync(ROOT, { recursive: true });
  execFileSync('redis-server', [
    '--daemonize',
    'yes',
    '--port',
    String(PORTS.redis),
    '--bind',
    '127.0.0.1',
    '--save',
    '',
    '--appendonly',
    'no',
    '--pidfile',
    path.join(ROOT, 'redis.pid'),
    '--logfile',
    path.join(ROOT, 'redis.log'),
  ]);
  await waitForPort(PORTS.redis, true, 'Redis');
}

export async function stopRedis() {
  const pidFile = path.join(ROOT, 'redis.pid');
  if (!existsSync(pidFile)) return;
  try {
    process.kill(Number(readFileSync(pidFile, 'utf8')), 'SIGKILL'); // an outage, not a clean stop
  } catch {
    // already gone
  }
  rmSync(pidFile, { force: true });
  await waitForPort(PORTS.redis, false, 'Redis');
}

/**
 * nginx in front of `upstreams` (127.0.0.1 ports), with deploy/nginx/dispatch.conf included as it
 * is; only the upstream list, the port and the paths differ from deploy/nginx.
 */
export async function startNginx(upstreams: number[]) {
  rmSync(NGINX_DIR, { recursive: true, force: true });
  mkdirSync(NGINX_DIR, { recursive: true });
  const conf = path.join(NGINX_DIR, 'nginx.conf');
  const temp = (name: string) => `${name}_temp_path ${path.join(NGINX_DIR, name)};`;
  writeFileSync(
    conf,
    `${asRoot ? 'user root root;\n' : ''}worker_processes 1;
pid ${path.join(NGINX_DIR, 'nginx.pid')};
error_log ${path.join(NGINX_DIR, 'error.log')} warn;
events { worker_connections 4096; }
http {
  access_log ${path.join(NGINX_DIR, 'access.log')};
  ${['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi'].map(temp).join('\n  ')}
  proxy_cache_path ${path.join(NGINX_DIR, 'cache')} levels=1:2 keys_zone=dispatch_pages:4m max_size=64m inactive=10m use_temp_path=off;
  include ${path.resolve('deploy/nginx/cache.conf')};
  upstream dispatch {
    least_conn;
    zone dispatch 64k;
${upstreams.map((port) => `    server 127.0.0.1:${port} max_fails=1 fail_timeout=5s;`).join('\n')}
  }
  server {
    listen 127.0.0.1:${PORTS.nginx};
    include ${path.resolve('deploy/nginx/dispatch.conf')};
  }
}
`,
  );
  const nginx = existsSync('/usr/sbin/nginx') ? '/usr/sbin/nginx' : 'nginx';
  execFileSync(nginx, ['-e', path.join(NGINX_DIR, 'error.log'), '-p', NGINX_DIR, '-c', conf], {
    stdio: 'inherit',
  });
  await waitForPort(PORTS.nginx, true, 'nginx');
}

export async function stopNginx() {
  const pidFile = path.join(NGINX_DIR, 'nginx.pid');
  if (!existsSync(pidFile)) return;
  try {
    process.kill(Number(readFileSync(pidFile, 'utf8')), 'SIGQUIT');
  } catch {
    return;
  }
  await waitForPort(PORTS.nginx, false, 'nginx');
}

/** Starts `node e2e/serve.mjs` for an instance again (after the suite stopped it), detached from the test. */
export function spawnInstance(env: Record<string, string>) {
  const child = spawn(process.execPath, ['e2e/serve.mjs'], {
    env: { ...process.env, ...env },
    stdio: 'ignore',
  });
  return child;
}
