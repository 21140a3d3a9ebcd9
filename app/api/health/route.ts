import { getHealth } from '@/lib/http/health';

export const dynamic = 'force-dynamic';

const headers = { 'cache-control': 'no-store' };

/** 200 once content is loaded, the database answers and has room to write; 503 with what is wrong otherwise. */
export async function GET() {
  const health = await getHealth();
  return Response.json(health, { status: health.status === 'ok' ? 200 : 503, headers });
}
