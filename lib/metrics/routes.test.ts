import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { log } from '../log';
import { serveMetrics } from './routes';

const token = 'scrape-me-0123456789abcdef';
const get = (authorization?: string) =>
  new Request('http://127.0.0.1:3000/metrics', { headers: authorization ? { authorization } : {} });

let warn: ReturnType<typeof vi.spyOn>;
beforeEach(() => {
  warn = vi.spyOn(log, 'warn').mockImplementation(() => undefined);
});
afterEach(() => vi.restoreAllMocks());

describe('GET /metrics', () => {
  it('does not exist while METRICS_TOKEN is unset', async () => {
    const res = await serveMetrics(get(`Bearer ${token}`), undefined);
    expect(res.status).toBe(404);
    expect(await res.text()).not.toContain('dispatch_');
  });

  it('refuses a scraper without the token, or with a wrong one, and logs it', async () => {
    for (const header of [
      undefined,
      `Bearer ${token}x`,
      `Bearer ${token.slice(0, -1)}`,
      token,
      'Basic abc',
    ]) {
      const res = await serveMetrics(get(header), token);
      expect(res.status).toBe(401);
      expect(res.headers.get('www-authenticate')).toBe('Bearer realm="metrics"');
      expect(await res.text()).not.toContain('dispatch_');
    }
    expect(warn).toHaveBeenCalledWith(
      'authz',
      expect.stringMatching(/^refused \/metrics: no or wrong token ip=/),
    );
  });

  it('answers Prometheus text to a scraper with the token', async () => {
    const res = await serveMetrics(get(`Bearer ${token}`), token);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    expect(res.headers.get('cache-control')).toBe('no-store');
    const text = await res.text();
    for (const name of [
      'dispatch_http_requests_total',
      'dispatch_http_request_duration_seconds',
      'dispatch_live_streams_open',
      'dispatch_live_events_published_total',
      'dispatch_live_events_delivered_total',
      'dispatch_live_bus_lag_seconds',
      'dispatch_live_bus_outbox',
      'dispatch_replies_accepted_total',
      'dispatch_replies_refused_total',
      'dispatch_sign_in_failures_total',
      'dispatch_mail_messages_total',
      'dispatch_push_messages_total',
      'dispatch_content_errors',
      'dispatch_content_errors_total',
      'process_cpu_seconds_total',
      'nodejs_eventloop_lag_seconds',
    ])
      expect(text).toContain(`# TYPE ${name} `);
    expect(warn).not.toHaveBeenCalled();
  });
});
