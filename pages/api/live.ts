import type { NextApiRequest, NextApiResponse } from 'next';
import { clientIp } from '@/lib/auth/limits';
import { config as env } from '@/lib/env';
import { liveSubscriptionSchema } from '@/lib/live/subscription';
import { getLiveBus } from '@/lib/live/instance';
import { admitStream, openLiveStream, releaseStream } from '@/lib/live/sse';

// A Pages Router API route, not an App Router route handler: it writes to Node's response directly,
// so an idle stream holds a socket and a few closures (~20 kB) instead of a suspended App Router
// request pipeline and a web-stream pipe (~75 kB) — see the bench:live report.
export const config = { api: { bodyParser: false, externalResolver: true, responseLimit: false } };

const first = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v);

/** Server-sent events for topics and/or an article (SPEC §6). */
export default function live(req: NextApiRequest, res: NextApiResponse) {
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
  const client = clientIp(req.headers);
  if (!admitStream(client)) {
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
    releaseStream(client);
    res.end();
    return;
  }
  res.flushHeaders();
  const lastEventId = first(req.headers['last-event-id']) ?? first(req.query.lastEventId) ?? null;
  const close = openLiveStream(
    getLiveBus(),
    sub.data,
    lastEventId,
    (chunk) => void res.write(chunk),
    () => {
      releaseStream(client);
      res.end();
    },
    env.LIVE_STREAM_MAX_AGE_SECONDS * 1000,
  );
  // 'close' fires when the browser goes away (and after our own end()).
  res.once('close', close);
}
