import { outOfSpace, pingDb } from '@/lib/db/client';
import { getContentStore, getDb } from '@/lib/server';

export const dynamic = 'force-dynamic';

const headers = { 'cache-control': 'no-store' };

/** 200 once content is loaded, the database answers and has room to write; 503 with what is wrong otherwise. */
export async function GET() {
  const [content, database, full] = await Promise.all([
    getContentStore().then(
      () => true,
      () => false,
    ),
    pingDb(getDb()),
    outOfSpace(),
  ]);
  if (content && database && !full) return Response.json({ status: 'ok' }, { headers });
  return Response.json(
    {
      status: 'unavailable',
      content: content ? 'ok' : 'down',
      database: database ? 'ok' : 'down',
      storage: full ? 'full' : 'ok',
    },
    { status: 503, headers },
  );
}
