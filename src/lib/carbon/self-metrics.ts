/**
 * carbon-style self-metrics: every CARBON_METRIC_INTERVAL the daemon records its own counters
 * as metrics named <prefix>.agents.<host>-<instance>.<stat> (carbon lib/carbon/instrumentation.py),
 * and the same numbers as Prometheus text for an optional /metrics endpoint.
 */
import os from 'node:os';
import type { CacheStats, CounterName } from './cache-stats.js';
import type { MetricCache } from './cache/metric-cache.js';
import { prometheusLines } from './prometheus-endpoint.js';

/** The metric-name prefix of one daemon: "carbon.agents.myhost-a". */
export function selfMetricPrefix(prefix: string, kind: 'agents' | 'relays', instance: string, host = os.hostname()): string {
  return `${prefix}.${kind}.${host.replace(/\./g, '_')}-${instance}`;
}

/** Samples CPU time between reports. */
export class CpuSampler {
  private last = process.cpuUsage();

  /** Percent of one core used since the last call, over `intervalSeconds`. */
  sample(intervalSeconds: number): number {
    const now = process.cpuUsage();
    const usedMicroseconds = now.user - this.last.user + (now.system - this.last.system);
    this.last = now;
    return intervalSeconds > 0 ? (usedMicroseconds / 1e6 / intervalSeconds) * 100 : 0;
  }
}

const EXTRA_COUNTERS: CounterName[] = ['deferredCreates', 'invalidLines', 'invalidPickles', 'invalidPoints', 'invalidNames', 'droppedNaN', 'oversizedLines', 'oversizedFrames'];

/** The stats of one interval as (name suffix, value) pairs, carbon's names first. */
export function cacheSelfMetrics(stats: CacheStats, cache: MetricCache, overflowSinceLast: number, cpuPercent: number): Array<[string, number]> {
  const c = stats.takeInterval();
  const get = (name: CounterName): number => c.get(name) ?? 0;
  const out: Array<[string, number]> = [
    ['cache.size', cache.size],
    ['cache.queues', cache.metricCount],
    ['cache.overflow', overflowSinceLast],
    ['cache.queries', get('cache.queries')],
    ['cache.bulk_queries', get('cache.bulk_queries')],
  ];
  if (get('cache.bulk_queries') > 0) out.push(['cache.bulk_queries_average_size', get('cache.bulk_query_metrics') / get('cache.bulk_queries')]);
  out.push(['updateOperations', get('updateOperations')], ['committedPoints', get('committedPoints')]);
  if (get('updateOperations') > 0) {
    out.push(['pointsPerUpdate', get('committedPoints') / get('updateOperations')], ['avgUpdateTime', get('updateMicroseconds') / 1e6 / get('updateOperations')]);
  }
  out.push(
    ['creates', get('creates')],
    ['droppedCreates', get('droppedCreates')],
    ['errors', get('errors')],
    ['activeConnections', stats.activeConnections],
    ['metricsReceived', get('metricsReceived')],
    ['cpuUsage', cpuPercent],
    ['memUsage', process.memoryUsage().rss],
  );
  for (const name of EXTRA_COUNTERS) out.push([name, get(name)]);
  return out;
}

const snake = (name: string): string => name.replace(/\./g, '_').replace(/([a-z])([A-Z])/g, '$1_$2').toLowerCase();

/** Prometheus text exposition of the totals and gauges. */
export function prometheusText(stats: CacheStats, cache: MetricCache): string {
  return prometheusLines([
    ...[...stats.totals()].map(([name, value]): [string, number, 'counter'] => [`gph_cache_${snake(name)}_total`, value, 'counter']),
    ['gph_cache_size_points', cache.size, 'gauge'],
    ['gph_cache_metrics', cache.metricCount, 'gauge'],
    ['gph_cache_overflow_total', cache.overflow, 'counter'],
    ['gph_cache_active_connections', stats.activeConnections, 'gauge'],
    ['gph_process_resident_memory_bytes', process.memoryUsage().rss, 'gauge'],
  ]);
}

/** One relay destination's numbers for Prometheus. */
export interface RelayDestinationSample {
  name: string;
  sent: number;
  spooled: number;
  queued: number;
  up: boolean;
}

/** Prometheus text of a relay: intake totals, drops, and per-destination counters labelled by destination. */
export function relayPrometheusText(stats: CacheStats, destinations: readonly RelayDestinationSample[], dropped: { unroutable: number; blackholed: number }): string {
  const label = (d: RelayDestinationSample): string => `{destination="${d.name.replace(/["\\]/g, '\\$&')}"}`;
  const perDestination = (metric: string, type: 'counter' | 'gauge', value: (d: RelayDestinationSample) => number): string =>
    `# TYPE ${metric} ${type}\n${destinations.map((d) => `${metric}${label(d)} ${value(d)}`).join('\n')}\n`;
  return (
    prometheusLines([
      ...[...stats.totals()].map(([name, value]): [string, number, 'counter'] => [`gph_relay_${snake(name)}_total`, value, 'counter']),
      ['gph_relay_unroutable_total', dropped.unroutable, 'counter'],
      ['gph_relay_blackholed_total', dropped.blackholed, 'counter'],
      ['gph_relay_active_connections', stats.activeConnections, 'gauge'],
      ['gph_process_resident_memory_bytes', process.memoryUsage().rss, 'gauge'],
    ]) +
    perDestination('gph_relay_destination_sent_total', 'counter', (d) => d.sent) +
    perDestination('gph_relay_destination_spooled_total', 'counter', (d) => d.spooled) +
    perDestination('gph_relay_destination_queued_points', 'gauge', (d) => d.queued) +
    perDestination('gph_relay_destination_up', 'gauge', (d) => (d.up ? 1 : 0))
  );
}
