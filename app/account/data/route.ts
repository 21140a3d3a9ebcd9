import { getViewer } from '@/lib/auth/session';
import { getDb } from '@/lib/db/client';
import { exportUserData } from '@/lib/users/service';

export const dynamic = 'force-dynamic';

/** "Download my data": the signed-in reader's own record, as JSON. */
export async function GET() {
  const viewer = await getViewer();
  if (!viewer) return Response.json({ code: 'unauthorized' }, { status: 401 });
  const data = await exportUserData(await getDb(), viewer.id);
  return new Response(JSON.stringify(data, null, 2), {
    headers: {
      'content-type': 'application/json; charset=utf-8',
      'content-disposition': 'attachment; filename="dispatch-account.json"',
      'cache-control': 'private, no-store',
    },
  });
}
