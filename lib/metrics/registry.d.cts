import type {
  Counter,
  CounterConfiguration,
  Gauge,
  GaugeConfiguration,
  Histogram,
  HistogramConfiguration,
  Registry,
} from 'prom-client';

/** The process's one registry (default process metrics included), shared by every bundle. */
export function metricsRegistry(): Registry;
/** The counter of this name, created with `config` by whoever asked first. */
export function counter<T extends string = never>(config: CounterConfiguration<T>): Counter<T>;
/** The gauge of this name, created with `config` by whoever asked first. */
export function gauge<T extends string = never>(config: GaugeConfiguration<T>): Gauge<T>;
/** The histogram of this name, created with `config` by whoever asked first. */
export function histogram<T extends string = never>(config: HistogramConfiguration<T>): Histogram<T>;
