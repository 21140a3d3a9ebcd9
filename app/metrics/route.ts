import { serveMetrics } from '@/lib/metrics/routes';

export const dynamic = 'force-dynamic';

/** Prometheus metrics of this instance, behind METRICS_TOKEN (lib/metrics/routes.ts). */
export const GET = (req: Request) => serveMetrics(req);
