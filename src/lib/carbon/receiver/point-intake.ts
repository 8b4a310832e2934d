/**
 * What every receiver does with a decoded datapoint before it reaches the cache: refuse unsafe
 * metric names, drop NaN values (as carbon does), turn a timestamp of -1 into now, apply
 * MIN_TIMESTAMP_RESOLUTION, count and hand the point to the sink. Refusals are counted and
 * logged at a limited rate; nothing here throws.
 */
import type { Clock } from '../../clock.js';
import { rateLimited, type Logger } from '../../logger.js';
import { MAX_UINT32 } from '../../whisper/format.js';
import type { CacheStats, CounterName } from '../cache-stats.js';
import { checkMetricName, isPlainMetricName, normalizeMetricName } from '../metric-name.js';
import type { MetricFilter } from '../metric-filter.js';

/** Receives accepted points (the cache, or a relay's router). */
export type PointSink = (metric: string, timestamp: number, value: number) => void;
/** Receives an accepted point whose name has an id in the receivers' NameTable. */
export type KnownPointSink = (id: number, metric: string, timestamp: number, value: number) => void;

export interface IntakeOptions {
  /** carbon's MIN_TIMESTAMP_RESOLUTION (0: none). */
  timestampResolution?: number;
  /** Called after each chunk a receiver read (the journal commits). */
  afterChunk?: () => void;
  /** carbon's USE_WHITELIST filter (none: every name is taken). */
  filter?: MetricFilter;
  /** Where points of names with an id go (default: the sink, by name). */
  knownSink?: KnownPointSink;
}

/** Names already found valid that are not plain (tagged, non-ASCII) are remembered (names repeat with every point); the memory is bounded. */
const MAX_REMEMBERED_NAMES = 1_000_000;

export class PointIntake {
  private readonly warn: (message: string) => void;
  private readonly validNames = new Set<string>();
  private readonly timestampResolution: number;
  private readonly afterChunk: () => void;
  private readonly filter?: MetricFilter;
  private readonly knownSink: KnownPointSink;
  /** Points taken since the last endChunk(), counted then (a counter per point cost as much as storing it). */
  private received = 0;

  constructor(
    private readonly sink: PointSink,
    private readonly stats: CacheStats,
    private readonly clock: Clock,
    logger: Logger,
    options: IntakeOptions = {},
  ) {
    this.warn = rateLimited((m) => logger.warn(m), clock);
    this.timestampResolution = options.timestampResolution ?? 0;
    this.afterChunk = options.afterChunk ?? (() => {});
    this.filter = options.filter;
    this.knownSink = options.knownSink ?? ((_id, metric, timestamp, value) => sink(metric, timestamp, value));
  }

  /** Called by receivers after each chunk they read: counts its points and makes them durable (the journal commits). */
  endChunk(): void {
    if (this.received > 0) {
      this.stats.count('metricsReceived', this.received);
      this.received = 0;
    }
    this.afterChunk();
  }

  /** Counts and logs a refused input. */
  refuse(counter: CounterName, what: string, from: string): void {
    this.stats.count(counter);
    this.warn(`${what} from ${from}; ignoring it`);
  }

  /**
   * accept() for a point the line reader found plain (a plain name with the id `id` in the
   * receivers' NameTable, a finite timestamp that is not "now", a number for its value).
   */
  acceptKnown(id: number, metric: string, timestamp: number, value: number, from: string): boolean {
    if (this.filter && !this.passes(metric)) return false;
    if (!(timestamp >= 0 && timestamp <= MAX_UINT32)) return this.outOfRange(metric, timestamp, from);
    const ts = this.timestampResolution > 0 ? Math.trunc(timestamp / this.timestampResolution) * this.timestampResolution : timestamp;
    this.received++;
    this.knownSink(id, metric, ts, value);
    return true;
  }

  /** Whether the USE_WHITELIST filter takes `metric` (counted when not: carbon drops these quietly). */
  private passes(metric: string): boolean {
    const verdict = this.filter!.verdict(metric);
    if (verdict === 'ok') return true;
    this.stats.count(verdict === 'blacklisted' ? 'blacklistMatches' : 'whitelistRejects');
    return false;
  }

  private outOfRange(metric: string, timestamp: number, from: string): false {
    this.refuse('invalidPoints', `timestamp ${timestamp} of ${metric} is outside 0..4294967295 (whisper cannot store it)`, from);
    return false;
  }

  /** Takes one point; returns false when it was refused. `plainName`: the caller found isPlainMetricName(metric) true already. */
  accept(metric: string, timestamp: number, value: number, from: string, plainName = false): boolean {
    if (!plainName && !isPlainMetricName(metric) && !this.validNames.has(metric)) {
      const problem = checkMetricName(metric);
      if (problem) {
        this.refuse('invalidNames', `metric name ${JSON.stringify(metric.slice(0, 200))} refused (${problem})`, from);
        return false;
      }
      if (this.validNames.size >= MAX_REMEMBERED_NAMES) this.validNames.clear();
      this.validNames.add(metric);
    }
    if (this.filter && !this.passes(metric)) return false;
    if (Number.isNaN(value)) {
      this.stats.count('droppedNaN');
      return false;
    }
    if (!Number.isFinite(timestamp)) {
      this.refuse('invalidPoints', `timestamp ${timestamp} of ${metric} is not finite`, from);
      return false;
    }
    let ts = Math.trunc(timestamp) === -1 ? this.clock.now() : timestamp;
    if (!(ts >= 0 && ts <= MAX_UINT32)) return this.outOfRange(metric, timestamp, from);
    if (this.timestampResolution > 0) ts = Math.trunc(ts / this.timestampResolution) * this.timestampResolution;
    this.received++;
    this.sink(!plainName && metric.includes(';') ? normalizeMetricName(metric) : metric, ts, value); // a plain name has no ';'
    return true;
  }
}
