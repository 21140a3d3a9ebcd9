import type { NextApiRequest, NextApiResponse } from 'next';
import { isDraining } from '@/lib/http/drain';
import { clientIp } from '@/lib/net/client-address';
import { config as env } from '@/lib/env';
import { liveSubscriptionSchema } from '@/lib/live/subscription';
import type { LiveSink } from '@/lib/live/sse';
import { getLiveBus, getLiveStreams } from '@/lib/server';
import { securityHeaders } from '@/lib/security-headers';

// A Pages Router API route, not an App Router route handler: it writes to Node's response directly,
// so an idle stream holds its connection and what Next attached to the request (~16 kB of heap)
// instead of a suspended App Router request pipeline and a web-stream pipe (~75 kB) — see the
// bench:live report in docs/benchmarks.md.
export const config = { api: { bodyParser: false, externalResolver: true, responseLimit: false } };

const first = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v);

/** The stream's output: Node's response; ending it frees the client's slot. A class, so an idle
 * stream costs one small object rather than closures over this handler's scope. */
class ResponseSink implements LiveSink {
  constructor(
    private readonly res: NextApiResponse,
    private readonly client: string,
  ) {}
  write(chunk: Uint8Array) {
    this.res.write(chunk);
  }
  end() {
    getLiveStreams().release(this.client);
    this.res.end();
  }
}

// The headers next.config.ts sends on every other path (SECURITY P21), set here instead: as one set
// of strings shared by every stream, not a CSP Next compiles afresh for each request.
const SECURITY_HEADERS = securityHeaders().map(({ key, value }) => [key, value] as const);

// Next's lazy NextApiRequest helpers: getters closing over the whole API resolver scope, one set
// per request, kept for as long as the connection lives. A stream never reads them.
const requestHelpers = ['cookies', 'previewData', 'preview', 'draftMode'] as const;

/** Server-sent events for topics and/or an article (SPEC §6). */
export default function live(req: NextApiRequest, res: NextApiResponse) {
  for (const [key, value] of SECURITY_HEADERS) res.setHeader(key, value);
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.setHeader('allow', 'GET, HEAD');
    res.status(405).end();
    return;
  }
  const sub = liveSubscriptionSchema.safeParse({
    topics: first(req.query.topics),
    article: first(req.query.article),
  });
  if (!sub.success) {
    res.status(400).json({ code: 'invalid', message: sub.error.issues[0]!.message });
    return;
  }
  if (isDraining()) {
    // Shutting down (SIGTERM): a proxy retries the stream on another instance (deploy/nginx), and a
    // browser that sees this backs off and reconnects (ADR 016).
    res.setHeader('retry-after', '2');
    res.status(503).json({ code: 'unavailable', message: 'This server is restarting; reconnect shortly.' });
    return;
  }
  const client = clientIp(req.headers);
  const streams = getLiveStreams();
  if (streams.full) {
    // As many streams as this instance keeps (LIVE_STREAMS_MAX): the browser backs off and comes
    // back (lib/query/use-live-events.ts), and a proxy may retry on another instance.
    res.setHeader('retry-after', String(5 + Math.floor(Math.random() * 10)));
    res
      .status(503)
      .json({ code: 'unavailable', message: 'Too many live readers on this server; reconnect shortly.' });
    return;
  }
  if (!streams.admit(client)) {
    res.setHeader('retry-after', '30');
    res.status(429).json({ code: 'rate_limited', message: 'Too many live streams from this address.' });
    return;
  }
  res.writeHead(200, {
    'content-type': 'text/event-stream; charset=utf-8',
    // no-transform also keeps Next's compression from holding back the stream.
    'cache-control': 'no-cache, no-transform',
    'x-accel-buffering': 'no',
    connection: 'keep-alive',
  });
  if (req.method === 'HEAD') {
    streams.release(client);
    res.end();
    return;
  }
  res.flushHeaders();
  const lastEventId = first(req.headers['last-event-id']) ?? first(req.query.lastEventId) ?? null;
  // What an open stream should not keep alive (bench:live, docs/benchmarks.md): a GET has no body,
  // but until it is read Next's request wrapper waits on its 'end' (a pending promise and its
  // listeners); and the helpers above.
  req.resume();
  for (const helper of requestHelpers) delete req[helper];
  const close = streams.openStream(
    getLiveBus(),
    sub.data,
    lastEventId,
    new ResponseSink(res, client),
    env.LIVE_STREAM_MAX_AGE_SECONDS * 1000,
  );
  // 'close' fires when the browser goes away (and after our own end()).
  res.once('close', close);
}
