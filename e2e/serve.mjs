// Starts `next start` for the e2e suite on a fresh copy of the sample content, so tests can add
// and break files without touching content/. Needs a prior build (npm run test:e2e does it).
import { spawn } from 'node:child_process';
import { cpSync, rmSync } from 'node:fs';
import path from 'node:path';

const port = process.env.E2E_PORT ?? '3210';
const contentDir = path.resolve('.tmp/e2e-content');
rmSync(contentDir, { recursive: true, force: true });
cpSync(path.resolve('content'), contentDir, { recursive: true });

const child = spawn(
  process.execPath,
  ['node_modules/next/dist/bin/next', 'start', '-p', port, '-H', '127.0.0.1'],
  {
    stdio: 'inherit',
    env: {
      ...process.env,
      NODE_ENV: 'production',
      NEXT_TELEMETRY_DISABLED: '1',
      CONTENT_DIR: contentDir,
      SITE_URL: `http://127.0.0.1:${port}`,
    },
  },
);
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
child.on('exit', (code) => process.exit(code ?? 0));
