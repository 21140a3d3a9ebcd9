// The load side of `npm run bench:live`, in its own process so that its sockets and parsing do not
// share an event loop (or a heap) with the browser driver. Driven over IPC by scripts/bench/live.ts:
//   { type: 'open', url, path, from, to }  opens streams from..to-1 (plain http.get, one socket each,
//                                          x-forwarded-for 10.a.b.c per stream so the per-client cap
//                                          doesn't apply) and answers once each got `: connected`
//   { type: 'stats' }                      open/closed/heartbeat counts
//   { type: 'arm', slug }                  starts recording, per stream, when the `data:` frame whose
//                                          `article` is `slug` has fully arrived (Date.now())
//   { type: 'collect', timeoutMs }         waits until every open stream has it (or the timeout) and
//                                          answers with the arrival times and the event's `at`
//   { type: 'close' }                      destroys every socket and exits
// Only 127.0.0.1 is ever contacted: the addresses are header values, nothing connects to them.
import http from 'node:http';
import { nofile } from './server';

/** What live.ts sends. */
export type ClientRequest =
  | { type: 'hello' }
  | { type: 'open'; url: string; path: string; from: number; to: number }
  | { type: 'stats' }
  | { type: 'arm'; slug: string }
  | { type: 'collect'; timeoutMs: number }
  | { type: 'close' };
/** What this process answers. */
export type ClientAnswer =
  | { type: 'hello'; pid: number; nofile: { soft: number; hard: number } }
  | { type: 'opened'; connected: number; ms: number; open: number; failures: Record<string, number> }
  | { type: 'stats'; open: number; pings: number; closedByServer: number; rssKb: number }
  | { type: 'armed' }
  | {
      type: 'collected';
      arrivals: number[];
      publishedAt: number | null;
      open: number;
      closedByServer: number;
    }
  | { type: 'closed' }
  | { type: 'error'; message: string };

type Stream = {
  req: http.ClientRequest | null;
  res?: http.IncomingMessage;
  buf: string;
  connected: boolean;
  closed: boolean;
  settled?: boolean;
  arrival: number | null;
};

const MAX_PENDING = 200; // handshakes in flight at once: we measure idle streams, not a SYN flood
const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

const streams: Stream[] = [];
let pings = 0;
let closedByServer = 0;
let armedSlug: string | null = null;
let publishedAt: number | null = null; // the event's `at`: when the server published it (its Date.now())
const failures = new Map<string, number>(); // reason -> count

const fail = (reason: string) => failures.set(reason, (failures.get(reason) ?? 0) + 1);
const send = (answer: ClientAnswer, callback?: () => void) =>
  process.send!(answer, undefined, undefined, callback);

function openOne(url: string, path: string, i: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s: Stream = { req: null, buf: '', connected: false, closed: false, arrival: null };
    const settle = (ok: boolean) => {
      if (s.settled) return;
      s.settled = true;
      resolve(ok);
    };
    const target = new URL(path, url);
    const req = http.get(
      {
        host: '127.0.0.1',
        port: target.port,
        path: target.pathname + target.search,
        agent: false, // one socket per stream, no pooling
        headers: { accept: 'text/event-stream', 'x-forwarded-for': ipFor(i) },
      },
      (res) => {
        s.res = res;
        if (res.statusCode !== 200) {
          fail(`HTTP ${res.statusCode}`);
          res.resume();
          settle(false);
          return;
        }
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => onChunk(s, chunk, settle));
        res.on('end', () => {
          if (!s.closed) closedByServer++;
          s.closed = true;
        });
        res.on('error', () => undefined);
      },
    );
    s.req = req;
    req.on('error', (error: NodeJS.ErrnoException) => {
      if (!s.connected) {
        fail(error.code ?? error.message);
        settle(false);
      } else if (!s.closed) {
        closedByServer++;
        s.closed = true;
      }
    });
    req.setTimeout(30_000, () => {
      if (!s.connected) {
        fail('timeout before `: connected`');
        req.destroy();
        settle(false);
      }
    });
    streams[i] = s;
  });
}

/** A distinct 10.x.y.z (z in 1..254) for every stream of a run: a header value only. */
function ipFor(i: number): string {
  const z = (i % 254) + 1;
  const y = Math.floor(i / 254) % 256;
  const x = Math.floor(i / 254 / 256) % 256;
  return `10.${x}.${y}.${z}`;
}

function onChunk(s: Stream, chunk: string, settle: (ok: boolean) => void): void {
  s.buf += chunk;
  let cut;
  while ((cut = s.buf.indexOf('\n\n')) !== -1) {
    const frame = s.buf.slice(0, cut);
    s.buf = s.buf.slice(cut + 2);
    const lines = frame.split('\n');
    for (const line of lines) {
      if (line === ': connected' && !s.connected) {
        s.connected = true;
        s.req?.setTimeout(0);
        settle(true);
      } else if (line === ': ping') pings++;
      else if (line.startsWith('data:') && armedSlug && s.arrival === null) {
        try {
          const event = JSON.parse(line.slice(5).trim()) as { article?: string; at?: number };
          if (event.article === armedSlug) {
            s.arrival = Date.now();
            publishedAt = event.at ?? null;
          }
        } catch {
          /* not ours */
        }
      }
    }
  }
}

async function open({ url, path, from, to }: Extract<ClientRequest, { type: 'open' }>) {
  const t0 = Date.now();
  let next = from;
  let connected = 0;
  const worker = async () => {
    while (next < to) {
      const i = next++;
      if (await openOne(url, path, i)) connected++;
    }
  };
  await Promise.all(Array.from({ length: Math.min(MAX_PENDING, to - from) }, worker));
  return { connected, ms: Date.now() - t0 };
}

const live = () => streams.filter((s) => s && s.connected && !s.closed);

process.on('message', async (message) => {
  const msg = message as ClientRequest;
  try {
    if (msg.type === 'hello') send({ type: 'hello', pid: process.pid, nofile: nofile() });
    else if (msg.type === 'open') {
      const r = await open(msg);
      send({
        type: 'opened',
        ...r,
        open: live().length,
        failures: Object.fromEntries(failures),
      });
    } else if (msg.type === 'stats') {
      send({
        type: 'stats',
        open: live().length,
        pings,
        closedByServer,
        rssKb: Math.round(process.memoryUsage().rss / 1024),
      });
    } else if (msg.type === 'arm') {
      for (const s of streams) if (s) s.arrival = null;
      armedSlug = msg.slug;
      publishedAt = null;
      send({ type: 'armed' });
    } else if (msg.type === 'collect') {
      const deadline = Date.now() + msg.timeoutMs;
      let open = live();
      while (open.some((s) => s.arrival === null) && Date.now() < deadline) {
        await sleep(20);
        open = live();
      }
      const arrivals = open.flatMap((s) => (s.arrival === null ? [] : [s.arrival]));
      armedSlug = null;
      send({ type: 'collected', arrivals, publishedAt, open: open.length, closedByServer });
    } else if (msg.type === 'close') {
      for (const s of streams) s?.req?.destroy();
      send({ type: 'closed' }, () => process.exit(0));
    }
  } catch (error) {
    send({
      type: 'error',
      message: error instanceof Error ? (error.stack ?? error.message) : String(error),
    });
  }
});
process.on('disconnect', () => process.exit(0)); // the parent went away: don't linger
