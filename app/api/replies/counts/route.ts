import { z } from 'zod';
import { jsonError, withDatabase } from '@/lib/http/json';
import { isSlug } from '@/lib/links';
import { getReplyCounts } from '@/lib/replies/queries';

export const dynamic = 'force-dynamic';

const slugs = z
  .string()
  .max(10_000)
  .transform((s) => [...new Set(s.split(',').filter(Boolean))])
  .pipe(z.array(z.string().refine(isSlug)).min(1).max(100));

/** Reply counts for the article cards of a page, in one query; shared caches may keep them briefly. */
export const GET = withDatabase(async (req: Request) => {
  const parsed = slugs.safeParse(new URL(req.url).searchParams.get('articles') ?? '');
  if (!parsed.success)
    return jsonError(400, 'invalid', 'articles: a comma-separated list of up to 100 slugs');
  const counts = await getReplyCounts(parsed.data);
  return Response.json({ counts }, { headers: { 'cache-control': 'public, max-age=10' } });
});
