// @ts-check
'use strict';
/**
 * The process's one Prometheus registry, and its metrics by name (README, "Metrics and logs").
 *
 * Next bundles instrumentation, each route and the server actions separately, each with its own
 * copy of lib/metrics, and loads the page cache handler (lib/cache/page-cache-handler.cjs) outside
 * them all; yet a scrape must see every count of the process. So the registry lives in one slot on
 * globalThis, and a metric is made once: whoever asks for a name first creates it, later askers
 * (other bundles' copies) get that same metric. prom-client is kept out of the bundles too
 * (next.config.ts serverExternalPackages), so there is one copy of it as well.
 */
const client = require('prom-client');

const SLOT = Symbol.for('dispatch.metrics.registry');

/** @returns {import('prom-client').Registry} */
function metricsRegistry() {
  const g = /** @type {Record<symbol, import('prom-client').Registry | undefined>} */ (
    /** @type {unknown} */ (globalThis)
  );
  let registry = g[SLOT];
  if (!registry) {
    registry = new client.Registry();
    // The process's CPU, memory, event loop lag, GC and handles, under their usual names.
    client.collectDefaultMetrics({ register: registry });
    g[SLOT] = registry;
  }
  return registry;
}

/**
 * @template {new (config: any) => import('prom-client').Metric<string>} K
 * @param {K} Kind
 * @param {{ name: string }} config
 */
function getOrCreate(Kind, config) {
  const registry = metricsRegistry();
  return registry.getSingleMetric(config.name) ?? new Kind({ ...config, registers: [registry] });
}

/** @param {import('prom-client').CounterConfiguration<string>} config */
const counter = (config) => getOrCreate(client.Counter, config);
/** @param {import('prom-client').GaugeConfiguration<string>} config */
const gauge = (config) => getOrCreate(client.Gauge, config);
/** @param {import('prom-client').HistogramConfiguration<string>} config */
const histogram = (config) => getOrCreate(client.Histogram, config);

module.exports = { metricsRegistry, counter, gauge, histogram };
