#!/usr/bin/env node
// @ts-check
// `npm start`: build when needed, then `next start` (SPEC §8). A build is reused while the source
// and the build-time settings it baked in are unchanged. Plain JavaScript, unlike the rest of
// scripts/: `npm start` must run without devDependencies (tsx), so ensureBuild() lives here and
// scripts/ci/build-if-needed.ts (e2e) and scripts/bench/server.ts import it from this file.
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const SOURCES = [
  'app',
  'components',
  'lib',
  'pages',
  'public',
  'instrumentation.ts',
  'next.config.ts',
  'package-lock.json',
  'tsconfig.json',
];
// Settings read at build time (security headers depend on SITE_URL being https).
const BUILD_ENV = ['SITE_URL', 'SITE_NAME'];

function fingerprint() {
  const hash = createHash('sha256');
  /** @param {string} p */
  const walk = (p) => {
    const full = path.join(root, p);
    if (!existsSync(full)) return;
    const stat = statSync(full);
    if (stat.isDirectory()) {
      for (const name of readdirSync(full).sort()) if (!name.endsWith('.test.ts')) walk(path.join(p, name));
    } else {
      hash.update(p).update(readFileSync(full));
    }
  };
  SOURCES.forEach(walk);
  for (const key of BUILD_ENV) hash.update(`${key}=${process.env[key] ?? ''}`);
  return hash.digest('hex');
}

/**
 * Builds the app unless .next holds a build of exactly this source and these build-time settings.
 * @returns {number} the build's exit status (0 when no build was needed)
 */
export function ensureBuild() {
  const stamp = path.join(root, '.next', 'dispatch-build-stamp');
  const want = fingerprint();
  if (
    existsSync(path.join(root, '.next', 'BUILD_ID')) &&
    existsSync(stamp) &&
    readFileSync(stamp, 'utf8') === want
  )
    return 0;
  console.log('> Building Dispatch (source or build settings changed)…');
  const result = spawnSync(process.execPath, ['node_modules/next/dist/bin/next', 'build'], {
    cwd: root,
    stdio: 'inherit',
    env: { ...process.env, NEXT_TELEMETRY_DISABLED: '1', NODE_ENV: 'production' },
  });
  if (result.status === 0) writeFileSync(stamp, want);
  return result.status ?? 1;
}

function start() {
  process.env.NEXT_TELEMETRY_DISABLED ??= '1';
  const status = ensureBuild();
  if (status !== 0) process.exit(status);

  const port = process.env.PORT ?? '3000';
  // Loopback unless told otherwise: a reverse proxy is the way in (README, "Behind a proxy").
  const host = process.env.HOST ?? '127.0.0.1';
  const child = spawn(
    process.execPath,
    ['node_modules/next/dist/bin/next', 'start', '-p', port, '-H', host],
    {
      stdio: 'inherit',
      env: { ...process.env, NODE_ENV: 'production' },
    },
  );
  for (const signal of /** @type {const} */ (['SIGINT', 'SIGTERM']))
    process.on(signal, () => child.kill(signal));
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
}

// Run only as `node scripts/start.mjs`, not when imported for ensureBuild().
if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) start();
