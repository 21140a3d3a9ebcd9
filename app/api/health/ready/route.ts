import { getReadiness } from '@/lib/http/health';

export const dynamic = 'force-dynamic';

/**
 * Readiness for load balancers: 200 once content is loaded, 503 while loading or draining
 * (SIGTERM). The database's state is in the body but does not fail it (ADR 016).
 */
export async function GET() {
  const readiness = await getReadiness();
  return Response.json(readiness, {
    status: readiness.status === 'ready' ? 200 : 503,
    headers: { 'cache-control': 'no-store', ...(readiness.status === 'ready' ? {} : { 'retry-after': '5' }) },
  });
}
