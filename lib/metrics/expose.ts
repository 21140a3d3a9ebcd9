import { createHash, timingSafeEqual } from 'node:crypto';
import { metricsRegistry } from './registry.cjs';
// Every metric is defined (at 0) from the first scrape, not from the first time its code runs.
import './metrics';

const digest = (text: string) => createHash('sha256').update(text).digest();

/**
 * Whether an `Authorization` header carries `Bearer <token>`. Compared in constant time (over
 * digests, so the length of the token does not show either).
 */
export function bearerMatches(header: string | null | undefined, token: string): boolean {
  const given = /^Bearer +(\S+)\s*$/i.exec(header ?? '')?.[1];
  return given !== undefined && timingSafeEqual(digest(given), digest(token));
}

/** The process's metrics in Prometheus's text format. */
export async function scrape(): Promise<{ contentType: string; body: string }> {
  const registry = metricsRegistry();
  return { contentType: registry.contentType, body: await registry.metrics() };
}
