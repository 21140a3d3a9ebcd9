// Starts the e2e server: a real SMTP peer that captures mail into .tmp/e2e-mail, then `next start`
// on a fresh copy of the sample content and a fresh SQLite database, so tests can add and break
// files and create accounts without touching anything else. Needs a prior build.
import { spawn } from 'node:child_process';
import { cpSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { SMTPServer } from 'smtp-server';

const port = process.env.E2E_PORT ?? '3210';
const smtpPort = Number(process.env.E2E_SMTP_PORT ?? 2525);
// Several instances (the multi-instance suite) each get their own folders, except that some share
// one content folder (E2E_CONTENT_DIR, prepared by scripts/ci/test-multi.ts), as a newsroom's
// instances behind one load balancer do.
const instance = process.env.E2E_INSTANCE ?? 'e2e';
const tmp = path.resolve('.tmp');
const shared = process.env.E2E_CONTENT_DIR;
const contentDir = shared ? path.resolve(shared) : path.join(tmp, `${instance}-content`);
const mailDir = path.join(tmp, `${instance}-mail`);
const dataDir = path.join(tmp, `${instance}-data`);
for (const dir of [...(shared ? [] : [contentDir]), mailDir, dataDir])
  rmSync(dir, { recursive: true, force: true });
if (!shared) cpSync(path.resolve('content'), contentDir, { recursive: true });
mkdirSync(mailDir, { recursive: true });
mkdirSync(dataDir, { recursive: true });

let mails = 0;
const smtp = new SMTPServer({
  authOptional: true,
  disabledCommands: ['STARTTLS'],
  onData(stream, session, callback) {
    const chunks = [];
    stream.on('data', (c) => chunks.push(c));
    stream.on('end', () => {
      const to = session.envelope.rcptTo.map((r) => r.address).join(',');
      writeFileSync(path.join(mailDir, `${Date.now()}-${++mails}-${to}.eml`), Buffer.concat(chunks));
      callback();
    });
  },
});
smtp.listen(smtpPort, '127.0.0.1');

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
      DATABASE_URL: process.env.E2E_DATABASE_URL ?? `file:${path.join(dataDir, 'e2e.db')}`,
      AUTH_SECRET: 'e2e-secret-not-for-production-0123456789abcdef', // E2E_AUTH_SECRET in e2e/env.ts
      EMAIL_SERVER: `smtp://127.0.0.1:${smtpPort}`,
      EMAIL_FROM: 'Dispatch <news@dispatch.test>',
      // Streams end every few seconds, so the suite sees browsers reconnect and resume (live-topic.spec.ts).
      LIVE_STREAM_MAX_AGE_SECONDS: process.env.E2E_LIVE_MAX_AGE ?? '4',
      // Push subscriptions may point at the suite's own push service on http://127.0.0.1 (push.spec.ts).
      PUSH_ALLOW_LOCAL_ENDPOINTS: '1',
      // The suite shares 2 cores with a browser and its own build: shed only when far behind, so a
      // test never meets a 503 meant for a real spike (lib/http/shed.test.ts tests shedding itself).
      SHED_LAG_MS: process.env.SHED_LAG_MS ?? '1000',
      ...(process.env.E2E_REDIS_URL ? { REDIS_URL: process.env.E2E_REDIS_URL } : {}),
    },
  },
);
const stop = (signal) => {
  smtp.close();
  child.kill(signal);
};
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => stop(signal));
child.on('exit', (code) => {
  smtp.close();
  process.exit(code ?? 0);
});
