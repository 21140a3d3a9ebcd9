import { getContentStore } from '@/lib/content/instance';
import { pingDb } from '@/lib/db/client';

export const dynamic = 'force-dynamic';

const headers = { 'cache-control': 'no-store' };

/** 200 once content is loaded and the database answers; 503 with what is wrong otherwise. */
export async function GET() {
  const [content, database] = await Promise.all([
    getContentStore().then(
      () => true,
      () => false,
    ),
    pingDb(),
  ]);
  if (content && database) return Response.json({ status: 'ok' }, { headers });
  return Response.json(
    { status: 'unavailable', content: content ? 'ok' : 'down', database: database ? 'ok' : 'down' },
    { status: 503, headers },
  );
}
