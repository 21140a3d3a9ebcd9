import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { armDrain, isDraining, resetDrainState } from './drain';

/** A real server whose /slow requests answer when told to; /stream never ends until closed. */
function startServer() {
  const waiting: http.ServerResponse[] = [];
  const streams: http.ServerResponse[] = [];
  const server = http.createServer((req, res) => {
    if (req.url === '/slow') waiting.push(res);
    else if (req.url === '/stream') {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.write(': connected\n\n');
      streams.push(res);
    } else res.end('ok');
  });
  return new Promise<{ server: http.Server; url: string; waiting: typeof waiting; streams: typeof streams }>(
    (resolve) =>
      server.listen(0, '127.0.0.1', () =>
        resolve({
          server,
          url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
          waiting,
          streams,
        }),
      ),
  );
}

const agent = new http.Agent({ keepAlive: true });
function get(url: string) {
  return new Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string }>(
    (resolve, reject) => {
      http
        .get(url, { agent }, (res) => {
          let body = '';
          res.on('data', (c: Buffer) => (body += c));
          res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body }));
        })
        .on('error', reject);
    },
  );
}
function post(url: string) {
  return new Promise<{ status: number; body: string }>((resolve, reject) => {
    const req = http.request(url, { method: 'POST', agent }, (res) => {
      let body = '';
      res.on('data', (c: Buffer) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode!, body }));
    });
    req.on('error', reject);
    req.end('x=1');
  });
}
const waitFor = async (check: () => boolean) => {
  for (let i = 0; i < 300 && !check(); i++) await new Promise((r) => setTimeout(r, 10));
  expect(check()).toBe(true);
};

describe('drain on SIGTERM', () => {
  afterEach(() => resetDrainState());

  it('says Connection: close, finishes what is in flight, ends streams, refuses new connections, then exits 0', async () => {
    const { server, url, waiting, streams } = await startServer();
    const exit = vi.fn();
    const closeServices = vi.fn(async () => undefined);
    const { drain } = armDrain({
      delayMs: 200,
      refuseMs: 200,
      timeoutMs: 5_000,
      closeStreams: () => streams.forEach((s) => s.end('event: shutdown\ndata: {}\n\n')),
      closeServices,
      exit,
    });
    expect((await get(`${url}/`)).headers.connection).toBe('keep-alive');
    const slow = get(`${url}/slow`);
    const stream = get(`${url}/stream`);
    await waitFor(() => waiting.length === 1 && streams.length === 1);

    const drained = drain();
    expect(isDraining()).toBe(true);
    // Within the delay the instance still answers, but closes each connection after its response.
    const during = await get(`${url}/`);
    expect(during.status).toBe(200);
    expect(during.headers.connection).toBe('close');
    await new Promise((r) => setTimeout(r, 250));
    // Then GETs are refused, for a proxy to retry elsewhere and mark this instance down; a request
    // with a body is still served; health checks still answer.
    const refused = await get(`${url}/`);
    expect(refused).toMatchObject({ status: 503, headers: { 'retry-after': '2', connection: 'close' } });
    expect(await post(`${url}/`)).toMatchObject({ status: 200, body: 'ok' });
    expect((await get(`${url}/api/health/live`)).status).toBe(200);
    await new Promise((r) => setTimeout(r, 250));
    // After it: no new connections; the open stream got its final event; the slow request finishes.
    await expect(get(`${url}/`)).rejects.toThrow(/ECONNREFUSED/);
    expect((await stream).body).toContain('event: shutdown');
    expect(exit).not.toHaveBeenCalled(); // still one request in flight
    waiting[0]!.end('done');
    expect(await slow).toMatchObject({ status: 200, body: 'done' });
    await drained;
    expect(closeServices).toHaveBeenCalledOnce();
    expect(exit).toHaveBeenCalledWith(0);
    server.closeAllConnections();
  });

  it('exits 1 at the deadline when a request never finishes', async () => {
    const { server, url, waiting } = await startServer();
    const exit = vi.fn();
    const { drain } = armDrain({
      delayMs: 0,
      refuseMs: 0,
      timeoutMs: 300,
      closeStreams: () => undefined,
      closeServices: async () => undefined,
      exit,
    });
    const hung = get(`${url}/slow`).catch(() => null);
    await waitFor(() => waiting.length === 1);
    void drain();
    await waitFor(() => exit.mock.calls.length > 0);
    expect(exit).toHaveBeenCalledWith(1);
    server.closeAllConnections();
    await hung;
  });
});
