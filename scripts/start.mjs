#!/usr/bin/env node
// `npm start`: build when needed, then `next start` (SPEC §8). A build is reused while the source
// and the build-time settings it baked in are unchanged.
import { spawn } from 'node:child_process';
import { ensureBuild } from './build-if-needed.mjs';

process.env.NEXT_TELEMETRY_DISABLED ??= '1';
const status = ensureBuild();
if (status !== 0) process.exit(status);

const port = process.env.PORT ?? '3000';
// Loopback unless told otherwise: a reverse proxy is the way in (README, "Behind a proxy").
const host = process.env.HOST ?? '127.0.0.1';
const child = spawn(process.execPath, ['node_modules/next/dist/bin/next', 'start', '-p', port, '-H', host], {
  stdio: 'inherit',
  env: { ...process.env, NODE_ENV: 'production' },
});
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
