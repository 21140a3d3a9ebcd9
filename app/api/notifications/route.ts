import { getViewer } from '@/lib/auth/session';
import { jsonError, withDatabase } from '@/lib/http/json';
import { getUnreadCount } from '@/lib/notifications/queries';

export const dynamic = 'force-dynamic';

/** The signed-in reader's unread notification count, for the bell in the header. */
export const GET = withDatabase(async () => {
  const viewer = await getViewer();
  if (!viewer) return jsonError(401, 'unauthorized', 'Sign in to see your notifications.');
  const unread = await getUnreadCount(viewer.id);
  return Response.json({ unread }, { headers: { 'cache-control': 'private, no-store' } });
});
