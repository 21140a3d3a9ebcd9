import { z } from 'zod';
import { getViewer } from '@/lib/auth/session';
import { getDb } from '@/lib/db/client';
import { getFollowing } from '@/lib/follows/queries';

export const dynamic = 'force-dynamic';

const query = z.object({
  topic: z
    .string()
    .regex(/^[a-z0-9][a-z0-9-]{0,99}$/)
    .nullish(),
  page: z.coerce.number().int().min(1).max(10_000).catch(1),
});

/** The reader's /following stream as JSON: what the open page refetches when news lands. */
export async function GET(req: Request) {
  const viewer = await getViewer();
  if (!viewer) return Response.json({ code: 'unauthorized' }, { status: 401 });
  const params = new URL(req.url).searchParams;
  const input = query.safeParse({ topic: params.get('topic'), page: params.get('page') ?? 1 });
  if (!input.success) return Response.json({ code: 'invalid' }, { status: 400 });
  const data = await getFollowing(await getDb(), viewer.id, input.data);
  return Response.json(data, { headers: { 'cache-control': 'private, no-store' } });
}
