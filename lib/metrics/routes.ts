import 'server-only';
import { config } from '../env';
import { jsonError } from '../http/json';
import { log } from '../log';
import { clientIp } from '../net/client-address';
import { bearerMatches, scrape } from './expose';

/**
 * GET /metrics: the process's metrics for Prometheus, to a scraper that sends
 * `Authorization: Bearer <METRICS_TOKEN>`. Without METRICS_TOKEN the endpoint does not exist (404),
 * so nothing about the process is public by default. Each instance answers for itself.
 */
export async function serveMetrics(req: Request, token = config.METRICS_TOKEN): Promise<Response> {
  if (!token) return jsonError(404, 'not_found', 'Not found.');
  if (!bearerMatches(req.headers.get('authorization'), token)) {
    log.warn('authz', `refused /metrics: no or wrong token ip=${clientIp(req.headers)}`);
    return jsonError(401, 'unauthorized', 'A metrics token is required.', {
      'www-authenticate': 'Bearer realm="metrics"',
    });
  }
  const { contentType, body } = await scrape();
  return new Response(body, { headers: { 'content-type': contentType, 'cache-control': 'no-store' } });
}
