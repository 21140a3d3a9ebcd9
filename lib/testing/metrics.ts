import { metricsRegistry } from '../metrics/registry.cjs';

/**
 * The value of a series in the process's registry, summed over the series whose labels include
 * `labels` (0 when there is none): `metricValue('dispatch_replies_refused_total', { reason: 'flood' })`.
 * A histogram's `_count` and `_sum` are asked for by those names.
 */
export async function metricValue(name: string, labels: Record<string, string> = {}): Promise<number> {
  const registry = metricsRegistry();
  const base = registry.getSingleMetric(name) ? name : name.replace(/_(count|sum)$/, '');
  const metric = registry.getSingleMetric(base);
  if (!metric) return 0;
  // A histogram's values name their series (`_bucket`, `_sum`, `_count`); others' don't.
  const { values } = (await metric.get()) as {
    values: { value: number; labels: Record<string, unknown>; metricName?: string }[];
  };
  return values
    .filter(
      (v) =>
        (v.metricName ?? base) === name &&
        Object.entries(labels).every(([key, want]) => String(v.labels[key]) === want),
    )
    .reduce((sum, v) => sum + v.value, 0);
}
