import { getViewer } from '@/lib/auth/session';
import { getDb } from '@/lib/db/client';
import { countUnread } from '@/lib/notifications/queries';

export const dynamic = 'force-dynamic';

/** The signed-in reader's unread notification count, for the bell in the header. */
export async function GET() {
  const viewer = await getViewer();
  if (!viewer) return Response.json({ code: 'unauthorized' }, { status: 401 });
  const unread = await countUnread(await getDb(), viewer.id);
  return Response.json({ unread }, { headers: { 'cache-control': 'private, no-store' } });
}
