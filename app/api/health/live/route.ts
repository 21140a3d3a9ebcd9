import { getLiveness } from '@/lib/http/health';

export const dynamic = 'force-dynamic';

/** Liveness: 200 while the process answers, with its build, version and instance (ADR 016). */
export function GET() {
  return Response.json(getLiveness(), { headers: { 'cache-control': 'no-store' } });
}
