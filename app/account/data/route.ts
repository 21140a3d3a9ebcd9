import { getViewer } from '@/lib/auth/session';
import { jsonError, withDatabase } from '@/lib/http/json';
import { getAccountExport } from '@/lib/users/queries';

export const dynamic = 'force-dynamic';

/** "Download my data": the signed-in reader's own record, as JSON. */
export const GET = withDatabase(async () => {
  const viewer = await getViewer();
  if (!viewer) return jsonError(401, 'unauthorized', 'Sign in to download your data.');
  const data = await getAccountExport(viewer.id);
  return new Response(JSON.stringify(data, null, 2), {
    headers: {
      'content-type': 'application/json; charset=utf-8',
      'content-disposition': 'attachment; filename="dispatch-account.json"',
      'cache-control': 'private, no-store',
    },
  });
});
