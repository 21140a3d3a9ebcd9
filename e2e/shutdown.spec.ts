import { spawn } from 'node:child_process';
import { expect, test } from './fixtures';

// SIGTERM with live streams open: each stream gets a final `shutdown` event and the process
// exits well within the drain deadline (SECURITY P28). Runs its own server, so it can stop it.
const PORT = 3233;
const base = `http://127.0.0.1:${PORT}`;

test('SIGTERM ends open live streams with a final event and the server exits', async () => {
  test.setTimeout(60_000);
  const server = spawn(process.execPath, ['e2e/serve.mjs'], {
    env: {
      ...process.env,
      E2E_INSTANCE: 'shutdown',
      E2E_PORT: String(PORT),
      E2E_SMTP_PORT: '2533',
      E2E_LIVE_MAX_AGE: '600',
    },
    stdio: 'ignore',
  });
  const exited = new Promise<number | null>((resolve) => server.on('exit', (code) => resolve(code)));
  try {
    await expect
      .poll(async () => (await fetch(`${base}/api/health`).catch(() => null))?.status, { timeout: 30_000 })
      .toBe(200);
    const streams = await Promise.all(
      [1, 2, 3].map(async () => {
        const res = await fetch(`${base}/api/live?topics=northport-flood-updates`);
        expect(res.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
        return res.body!.getReader();
      }),
    );
    const readAll = async (reader: ReadableStreamDefaultReader<Uint8Array>) => {
      let text = '';
      for (;;) {
        const { done, value } = await reader.read();
        if (done) return text;
        text += new TextDecoder().decode(value);
      }
    };
    const bodies = streams.map(readAll);
    const stoppedAt = Date.now();
    server.kill('SIGTERM');
    for (const body of await Promise.all(bodies)) expect(body).toContain('event: shutdown\n');
    await exited;
    expect(Date.now() - stoppedAt).toBeLessThan(10_000);
  } finally {
    server.kill('SIGKILL');
  }
});
