import { getViewer } from '@/lib/auth/session';
import { getArticle } from '@/lib/content/queries';
import { jsonError, withDatabase } from '@/lib/http/json';
import type { ReplyThread } from '@/lib/replies/dto';
import { getReplies } from '@/lib/replies/queries';

export const dynamic = 'force-dynamic';

/**
 * The article's replies as the signed-in reader (or anyone) may see them. Per reader (their own
 * pending replies, what they may still edit), so never shared by caches; the page itself stays
 * cached for everyone (docs/decisions/009).
 */
export const GET = withDatabase(async (_req: Request, { params }: { params: Promise<{ slug: string }> }) => {
  const view = await getArticle((await params).slug);
  if (!view) return jsonError(404, 'not_found', 'No such article.');
  const viewer = await getViewer();
  const { count, replies } = await getReplies(view.article.slug, viewer);
  const body: ReplyThread = {
    article: view.article.slug,
    version: view.article.version,
    open: view.article.replies === 'open',
    count,
    replies,
    viewer: viewer && { name: viewer.name },
  };
  return Response.json(body, { headers: { 'cache-control': 'private, no-store' } });
});
