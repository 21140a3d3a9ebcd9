import { clientIp } from '@/lib/auth/limits';
import { config } from '@/lib/env';
import { liveSubscriptionSchema } from '@/lib/live/subscription';
import { getLiveBus } from '@/lib/live/instance';
import { admitStream, openLiveStream, releaseStream } from '@/lib/live/sse';

export const dynamic = 'force-dynamic';

/** Server-sent events for topics and/or an article (SPEC §6). */
export async function GET(req: Request) {
  const url = new URL(req.url);
  const sub = liveSubscriptionSchema.safeParse({
    topics: url.searchParams.get('topics') ?? undefined,
    article: url.searchParams.get('article') ?? undefined,
  });
  if (!sub.success)
    return Response.json({ code: 'invalid', message: sub.error.issues[0]!.message }, { status: 400 });
  const client = clientIp(req.headers);
  if (!admitStream(client)) {
    return Response.json(
      { code: 'rate_limited', message: 'Too many live streams from this address.' },
      { status: 429, headers: { 'retry-after': '30' } },
    );
  }
  const lastEventId = req.headers.get('last-event-id') ?? url.searchParams.get('lastEventId');

  let release = () => {};
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      const close = openLiveStream(
        getLiveBus(),
        sub.data,
        lastEventId,
        (chunk) => controller.enqueue(chunk),
        () => {
          releaseStream(client);
          try {
            controller.close();
          } catch {
            // already closed by the client going away
          }
        },
        config.LIVE_STREAM_MAX_AGE_SECONDS * 1000,
      );
      release = close;
      // The abort signal is what reliably fires when the browser goes away (SECURITY P27, dust#24357).
      req.signal.addEventListener('abort', close, { once: true });
    },
    cancel() {
      release();
    },
  });
  return new Response(body, {
    headers: {
      'content-type': 'text/event-stream; charset=utf-8',
      // no-transform also keeps Next from compressing (and so holding back) the stream.
      'cache-control': 'no-cache, no-transform',
      'x-accel-buffering': 'no',
      connection: 'keep-alive',
    },
  });
}
