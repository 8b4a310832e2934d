/**
 * The in-memory cache of points not yet written: metric -> (timestamp -> value), as carbon's
 * MetricCache. Re-sending a timestamp replaces its value without growing the cache. Watchers
 * hear when the cache fills (size >= maxSize) and when it drains below the low watermark, so
 * receivers can pause reading (flow control) instead of dropping.
 */

export interface CacheLimits {
  /** Points the cache may hold (Infinity: no limit). */
  maxSize: number;
  /** Below this size after being full, `onSpaceAvailable` fires. */
  lowWatermark: number;
  /**
   * true: never drop; the receivers are paused while full (points already read are still
   * taken). false: a new point arriving while full is dropped and counted.
   */
  flowControl: boolean;
}

/**
 * One metric's cached points: parallel arrays (packed doubles, far smaller than a Map per
 * metric). Points nearly always arrive in time order, so a re-sent timestamp is found by binary
 * search while the timestamps are ascending; only a metric whose points came out of order and
 * that holds many gets an index from timestamp to position.
 */
interface Series {
  timestamps: number[];
  values: number[];
  /** Every timestamp is larger than the one before it. */
  ascending: boolean;
  index?: Map<number, number>;
}

/** Below this many points an unordered metric's re-sent timestamp is found by a linear scan. */
const INDEX_THRESHOLD = 32;

const newSeries = (): Series => ({ timestamps: [], values: [], ascending: true });

function positionOf(series: Series, timestamp: number): number {
  const { timestamps } = series;
  const last = timestamps.length - 1;
  if (series.ascending) {
    // The common case, a point newer than every cached one, costs one comparison.
    if (last < 0 || timestamp > timestamps[last]) return -1;
    let low = 0;
    let high = last;
    while (low <= high) {
      const middle = (low + high) >>> 1;
      const found = timestamps[middle];
      if (found === timestamp) return middle;
      if (found < timestamp) low = middle + 1;
      else high = middle - 1;
    }
    return -1;
  }
  if (series.index) return series.index.get(timestamp) ?? -1;
  return timestamps.lastIndexOf(timestamp);
}

/** Appends a timestamp not yet cached for the series. */
function append(series: Series, timestamp: number, value: number): void {
  const { timestamps } = series;
  const count = timestamps.length;
  if (series.ascending && count > 0 && timestamp < timestamps[count - 1]) series.ascending = false;
  timestamps.push(timestamp);
  series.values.push(value);
  if (series.ascending) return;
  if (series.index) series.index.set(timestamp, count);
  else if (count + 1 > INDEX_THRESHOLD) series.index = new Map(timestamps.map((t, i) => [t, i]));
}

const pairs = (series: Series): Array<[number, number]> => series.timestamps.map((t, i) => [t, series.values[i]]);

export class MetricCache {
  private readonly metrics = new Map<string, Series>();
  private points = 0;
  private full = false;
  /** Points refused because the cache was full (carbon's cache.overflow). */
  overflow = 0;
  onFull: () => void = () => {};
  onSpaceAvailable: () => void = () => {};

  constructor(private readonly limits: CacheLimits) {}

  /** Number of points held. */
  get size(): number {
    return this.points;
  }

  /** Number of metrics held (carbon's cache.queues). */
  get metricCount(): number {
    return this.metrics.size;
  }

  get isFull(): boolean {
    return this.full;
  }

  /** Adds a point; false when it was dropped because the cache is full (without flow control). */
  store(metric: string, timestamp: number, value: number): boolean {
    let series = this.metrics.get(metric);
    if (series) {
      const at = positionOf(series, timestamp);
      if (at >= 0) {
        series.values[at] = value; // a re-sent timestamp replaces its value without growing the cache
        return true;
      }
    }
    if (this.points >= this.limits.maxSize) {
      if (!this.full) {
        this.full = true;
        this.onFull();
      }
      if (!this.limits.flowControl) {
        this.overflow++;
        return false;
      }
    }
    if (!series) {
      series = newSeries();
      this.metrics.set(metric, series);
    }
    append(series, timestamp, value);
    this.points++;
    return true;
  }

  /**
   * Puts back a point the writer took but could not write: only when no newer value for that
   * timestamp arrived meanwhile, and regardless of maxSize (it was counted once already).
   */
  restore(metric: string, timestamp: number, value: number): void {
    let series = this.metrics.get(metric);
    if (!series) {
      series = newSeries();
      this.metrics.set(metric, series);
    }
    if (positionOf(series, timestamp) >= 0) return;
    append(series, timestamp, value);
    this.points++;
  }

  /** The points cached for `metric`, in arrival order (carbonlink's cache-query). */
  get(metric: string): Array<[number, number]> {
    const series = this.metrics.get(metric);
    return series ? pairs(series) : [];
  }

  /** Number of points cached for `metric`. */
  countOf(metric: string): number {
    return this.metrics.get(metric)?.timestamps.length ?? 0;
  }

  /** The metric names, in insertion order. */
  names(): string[] {
    return [...this.metrics.keys()];
  }

  /** (metric, point count) of every metric. */
  counts(): Array<[string, number]> {
    return [...this.metrics].map(([name, series]) => [name, series.timestamps.length]);
  }

  /** (metric, oldest timestamp) of every metric. */
  oldest(): Array<[string, number]> {
    return [...this.metrics].map(([name, series]) => {
      let min = Infinity;
      for (const t of series.timestamps) if (t < min) min = t;
      return [name, min];
    });
  }

  /** Removes and returns all points of `metric` (undefined when it is not cached). */
  pop(metric: string): Array<[number, number]> | undefined {
    const series = this.metrics.get(metric);
    if (!series) return undefined;
    this.metrics.delete(metric);
    this.points -= series.timestamps.length;
    if (this.full && this.points < this.limits.lowWatermark) {
      this.full = false;
      this.onSpaceAvailable();
    }
    return pairs(series);
  }
}
