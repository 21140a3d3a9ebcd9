import { getViewer } from '@/lib/auth/session';
import { getFollowSummary } from '@/lib/follows/queries';
import { withDatabase } from '@/lib/http/json';

export const dynamic = 'force-dynamic';

const headers = { 'cache-control': 'private, no-store' };

/**
 * The reader's followed topics and unread total, for Follow buttons and the header. Signed out is
 * an answer here, not an error: every page asks, and most readers are anonymous.
 */
export const GET = withDatabase(async () => {
  const viewer = await getViewer();
  if (!viewer) return Response.json({ signedIn: false, topics: [], unread: 0 }, { headers });
  const summary = await getFollowSummary(viewer.id);
  return Response.json({ signedIn: true, ...summary }, { headers });
});
