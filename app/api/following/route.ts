import { z } from 'zod';
import { getViewer } from '@/lib/auth/session';
import { isSlug } from '@/lib/links';
import { getFollowing } from '@/lib/follows/queries';
import { jsonError, withDatabase } from '@/lib/http/json';

export const dynamic = 'force-dynamic';

const query = z.object({
  topic: z.string().refine(isSlug).nullish(),
  page: z.coerce.number().int().min(1).max(10_000).catch(1),
});

/** The reader's /following stream as JSON: what the open page refetches when news lands. */
export const GET = withDatabase(async (req: Request) => {
  const viewer = await getViewer();
  if (!viewer) return jsonError(401, 'unauthorized', 'Sign in to see the topics you follow.');
  const params = new URL(req.url).searchParams;
  const input = query.safeParse({ topic: params.get('topic'), page: params.get('page') ?? 1 });
  if (!input.success) return jsonError(400, 'invalid', 'topic: a topic slug; page: a page number');
  const data = await getFollowing(viewer.id, input.data);
  return Response.json(data, { headers: { 'cache-control': 'private, no-store' } });
});
