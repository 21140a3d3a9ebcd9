#!/usr/bin/env node
// `npm run bench:http`: throughput and latency of the built app under `next start` (production,
// the sample content), measured with autocannon: 50 connections, no pipelining, BENCH_DURATION
// seconds (15) per URL, after warming each URL. Budget: the article page >= 850 req/s with
// p99 <= 100 ms; exits 1 on FAIL.
//   BENCH_URLS=/,/topics/x   paths to measure (comma separated; default: front, topic, article)
//   BENCH_DURATION=15        seconds per URL
//   BENCH_WARMUP=5           seconds of the same load per URL before measuring, not counted: the
//                            first seconds of load on a fresh process (JIT, heap growth, the client
//                            itself) have a much worse p99 than the steady state a running site
//                            is in. Its figures are printed too. 0 turns it off.
//   BENCH_GZIP=1             send Accept-Encoding: gzip, br like a browser (default: autocannon's
//                            plain requests, no compression)
import autocannon from 'autocannon';
import {
  ARTICLE_PATH,
  FRONT_PATH,
  TOPIC_PATH,
  fetchText,
  loadWarning,
  warm,
  machine,
  watchOtherLoad,
  withApp,
} from './bench-server.mjs';

const CONNECTIONS = 50;
const BUDGET = { path: ARTICLE_PATH, minRps: 850, maxP99: 100 };
const paths = (process.env.BENCH_URLS ?? [FRONT_PATH, TOPIC_PATH, ARTICLE_PATH].join(','))
  .split(',')
  .map((p) => p.trim())
  .filter(Boolean)
  .map((p) => (p.startsWith('/') ? p : `/${p}`));
const duration = Number(process.env.BENCH_DURATION ?? 15);
if (!(duration > 0))
  throw new Error(`BENCH_DURATION must be a positive number of seconds, got "${process.env.BENCH_DURATION}"`);
const warmup = Number(process.env.BENCH_WARMUP ?? 5);
const headers = process.env.BENCH_GZIP === '1' ? { 'accept-encoding': 'gzip, deflate, br' } : {};

function run(url, seconds = duration) {
  return new Promise((resolve, reject) => {
    autocannon(
      { url, connections: CONNECTIONS, pipelining: 1, duration: seconds, headers },
      (error, result) => (error ? reject(error) : resolve(result)),
    );
  });
}

async function main() {
  const results = await withApp(async ({ url, pid }) => {
    console.log(
      `> next start on ${url} (pid ${pid}); ${CONNECTIONS} connections, ${duration} s per URL${headers['accept-encoding'] ? ', gzip' : ''}`,
    );
    // Warm up, as a running site would be: render once, wait for the page cache to hold the page,
    // then a burst to warm the JIT.
    const cache = {};
    for (const p of paths) {
      const html = await fetchText(url + p);
      if (!html.includes('</html>')) throw new Error(`GET ${p} did not return a full HTML page`);
      cache[p] = await warm(url + p, { extra: 200, headers });
    }
    const out = [];
    for (const p of paths) {
      process.stdout.write(`> ${p} … `);
      let w = null;
      if (warmup > 0) {
        w = await run(url + p, warmup);
        process.stdout.write(
          `warm-up ${warmup} s: ${Math.round(w.requests.average)} req/s, p99 ${w.latency.p99} ms (not counted); measuring: `,
        );
      }
      const watch = watchOtherLoad([pid]);
      const r = await run(url + p);
      const load = watch.stop();
      const bad = r.errors + r.timeouts + r.non2xx;
      console.log(
        `${Math.round(r.requests.average)} req/s, p50 ${r.latency.p50} ms, p99 ${r.latency.p99} ms${bad ? `, ${bad} errors/non-2xx` : ''}`,
      );
      out.push({ path: p, result: r, otherPct: load.otherPct, cache: cache[p], warm: w });
      await new Promise((resolve) => setTimeout(resolve, 1000)); // let the server settle between runs
    }
    return out;
  });

  console.log(`\n## HTTP benchmark — ${await machine()}`);
  console.log(
    `autocannon 9, ${CONNECTIONS} connections, pipelining 1, ${duration} s per URL after a ${warmup} s warm-up at the same load, \`next start\` (NODE_ENV=production, CONTENT_DIR=content)${headers['accept-encoding'] ? ', Accept-Encoding: gzip, deflate, br' : ', no Accept-Encoding (uncompressed)'}; load generator and server share the machine.\n`,
  );
  console.log(
    '| URL | req/s (avg) | p50 latency | p99 latency | max latency | requests | errors | timeouts | non-2xx | avg response | page cache | other CPU load | warm-up (not counted) |',
  );
  console.log('| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- | ---: | ---: |');
  for (const { path: p, result: r, otherPct, cache, warm: w } of results) {
    const avgBytes = r.requests.total ? Math.round(r.throughput.total / r.requests.total) : 0;
    console.log(
      `| \`${p}\` | ${Math.round(r.requests.average)} | ${r.latency.p50} ms | ${r.latency.p99} ms | ${r.latency.max} ms | ${r.requests.total} | ${r.errors} | ${r.timeouts} | ${r.non2xx} | ${(avgBytes / 1000).toFixed(1)} kB | ${cache ?? 'none'} | ${otherPct === null ? '?' : `${otherPct.toFixed(0)}%`} | ${w ? `${Math.round(w.requests.average)} req/s, p99 ${w.latency.p99} ms` : '—'} |`,
    );
  }

  console.log(
    '\n(other CPU load: share of the machine’s CPU used by processes outside this benchmark during that run; a lower bound.)',
  );
  const busiest = Math.max(...results.map((x) => x.otherPct ?? 0));
  if (loadWarning(busiest)) console.log(loadWarning(busiest));

  const target = results.find((x) => x.path === BUDGET.path);
  console.log('\n### Budget');
  if (!target) {
    console.log(`(budget applies to ${BUDGET.path}, which was not in BENCH_URLS)`);
    return;
  }
  const r = target.result;
  const checks = [
    {
      name: `${BUDGET.path} >= ${BUDGET.minRps} req/s`,
      ok: r.requests.average >= BUDGET.minRps,
      value: `${Math.round(r.requests.average)} req/s`,
    },
    {
      name: `${BUDGET.path} p99 <= ${BUDGET.maxP99} ms`,
      ok: r.latency.p99 <= BUDGET.maxP99,
      value: `${r.latency.p99} ms`,
    },
    {
      name: `${BUDGET.path} no errors, timeouts or non-2xx`,
      ok: r.errors + r.timeouts + r.non2xx === 0,
      value: `${r.errors + r.timeouts + r.non2xx}`,
    },
  ];
  for (const c of checks) console.log(`${c.ok ? 'PASS' : 'FAIL'}  ${c.name}: ${c.value}`);
  if (checks.some((c) => !c.ok)) process.exitCode = 1;
}

main().catch((error) => {
  console.error(`bench:http: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  process.exit(2);
});
