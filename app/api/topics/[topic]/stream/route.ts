import { getTopicStream, parsePageParam, toTopicStreamData } from '@/lib/content/queries';
import { jsonError } from '@/lib/http/json';

export const dynamic = 'force-dynamic';

/**
 * A topic's stream as JSON: what the live page refetches after an event, and what it polls when
 * server-sent events can't get through. ETag/304 keeps polling cheap.
 */
export async function GET(req: Request, { params }: { params: Promise<{ topic: string }> }) {
  const page = parsePageParam(new URL(req.url).searchParams.get('page') ?? '1');
  const stream = page === null ? null : await getTopicStream((await params).topic, page);
  if (!stream) return jsonError(404, 'not_found', 'No such topic.');
  const { json: body, etag } = toTopicStreamData(stream);
  const headers = {
    etag,
    'cache-control': 'public, max-age=0, must-revalidate',
    'content-type': 'application/json; charset=utf-8',
  };
  if (req.headers.get('if-none-match') === etag) return new Response(null, { status: 304, headers });
  return new Response(body, { headers });
}
