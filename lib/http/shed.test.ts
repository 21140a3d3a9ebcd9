import type { IncomingMessage, ServerResponse } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { LagMeter, shedder } from './shed';

const block = (ms: number) => {
  const until = performance.now() + ms;
  while (performance.now() < until) {
    // the event loop is busy: what a render storm looks like from inside
  }
};
const tick = (ms: number) => new Promise((r) => setTimeout(r, ms));
/** A loop that stays `ms` behind for a while: busy between every timer tick. */
async function behind(ms: number) {
  for (let i = 0; i < 15; i++) {
    block(ms);
    await tick(0);
  }
}

type Answer = { status?: number; headers?: Record<string, unknown>; body?: unknown };
function call(respond: (req: IncomingMessage, res: ServerResponse) => boolean, method: string, url: string) {
  const answer: Answer = {};
  const res = {
    writeHead(status: number, headers: Record<string, unknown>) {
      answer.status = status;
      answer.headers = headers;
      return res;
    },
    end(body?: unknown) {
      answer.body = body;
      return res;
    },
  };
  const refused = respond({ method, url, headers: {} } as IncomingMessage, res as unknown as ServerResponse);
  return { refused, ...answer };
}

const made: { meter: LagMeter }[] = [];
afterEach(() => made.splice(0).forEach(({ meter }) => meter.stop()));

describe('load shedding', () => {
  it('measures a loop that stays behind, not one long task, and forgets it once the loop is free', async () => {
    const meter = new LagMeter(10);
    made.push({ meter });
    await tick(50);
    expect(meter.lagMs()).toBeLessThan(30);
    block(200); // one long task
    await tick(0);
    expect(meter.lagMs()).toBeLessThan(60);
    await behind(80);
    expect(meter.lagMs()).toBeGreaterThan(50);
    await tick(300);
    expect(meter.lagMs()).toBeLessThan(30);
  });

  it('refuses new work with 503 and Retry-After at once while the loop lags, and nothing otherwise', async () => {
    const shed = shedder({ thresholdMs: 100, intervalMs: 10 });
    made.push(shed);
    await tick(30);
    expect(call(shed.respond, 'GET', '/articles/flood').refused).toBe(false);

    await behind(150);
    const page = call(shed.respond, 'GET', '/articles/flood');
    expect(page.refused).toBe(true);
    expect(page.status).toBe(503);
    expect(Number(page.headers!['retry-after'])).toBeGreaterThanOrEqual(2);
    expect(page.headers!['cache-control']).toBe('no-store');
    expect(page.headers!['content-type']).toBe('text/html; charset=utf-8');
    expect(String(page.body)).toContain('<h1>Very busy right now</h1>');
    const api = call(shed.respond, 'GET', '/api/topics/flood/updates');
    expect([api.status, api.headers!['content-type']]).toEqual([503, 'application/json']);
    expect(JSON.parse(String(api.body))).toMatchObject({ code: 'unavailable' });
    expect(call(shed.respond, 'GET', '/api/live?topics=flood').status).toBe(503);
    expect(call(shed.respond, 'HEAD', '/').body).toBeUndefined();
    // Never refused: health checks, and a reader's writes (a reply, a sign-in).
    expect(call(shed.respond, 'GET', '/api/health/ready').refused).toBe(false);
    expect(call(shed.respond, 'POST', '/articles/flood').refused).toBe(false);
    // Nor what an open page needs to work.
    expect(call(shed.respond, 'GET', '/_next/static/chunks/app.js').refused).toBe(false);
    expect(call(shed.respond, 'GET', '/theme.js').refused).toBe(false);

    await tick(400);
    expect(call(shed.respond, 'GET', '/articles/flood').refused).toBe(false);
  });

  it('never refuses with a threshold of 0', async () => {
    const shed = shedder({ thresholdMs: 0, intervalMs: 10 });
    made.push(shed);
    await behind(50);
    expect(call(shed.respond, 'GET', '/').refused).toBe(false);
  });
});
