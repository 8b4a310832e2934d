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

/** Below this many points an unordered metric's re-sent timestamp is found by a linear scan. */
const INDEX_THRESHOLD = 32;
/** Written metrics kept (with no points) for their next point, at most; then they are forgotten. */
export const MAX_RESTING = 1 << 20;

/**
 * One metric's cached points: timestamp, value, timestamp, value, ... in the first `count`
 * elements of one packed array of doubles (one object and its elements to reach per point stored:
 * the cache is the receivers' hottest memory). A written metric keeps room for one point (count
 * 0, length 2), so its next point in a steady interval is stored without allocating: emptying the
 * array would drop its elements, and the next point would allocate them again (~170 bytes a
 * metric, megabytes of young garbage for each interval's burst). Points nearly always arrive in
 * time order, so a re-sent timestamp is found by binary search while the timestamps are
 * ascending; a metric whose points came out of order is listed apart, and gets an index from
 * timestamp to position once it holds many.
 */
type Points = number[] & {
  /** Elements in use (two per point); the rest is room. */
  count: number;
  /** The id storeById() knows it by (it holds this array at byId[id]), or -1. */
  id: number;
};

/** A metric's first point (count before id on every array: one hidden class). */
function newPoints(timestamp: number, value: number, id: number): Points {
  const made = [timestamp, value] as Points;
  made.count = 2;
  made.id = id;
  return made;
}

/** Appends a point after the `count` in use, into the room there is when there is some. */
function put(points: Points, timestamp: number, value: number): void {
  const at = points.count;
  if (at < points.length) {
    points[at] = timestamp;
    points[at + 1] = value;
  } else points.push(timestamp, value);
  points.count = at + 2;
}

/** Interleaved points (the first `length` numbers) as [timestamp, value] pairs. */
export const pairs = (points: ArrayLike<number>, length = points.length): Array<[number, number]> => {
  const out: Array<[number, number]> = new Array(length >> 1);
  for (let i = 0; i < out.length; i++) out[i] = [points[2 * i], points[2 * i + 1]];
  return out;
};

export class MetricCache {
  /**
   * Every cached metric's points, and metrics written since ("resting": no points), kept for
   * their next point: a metric sent every interval and written in between is found again
   * without a Map insert and delete (and the rehashing they cause) each time.
   */
  private readonly metrics = new Map<string, Points>();
  private resting = 0;
  /** Metrics whose timestamps are not ascending, with their index once they hold INDEX_THRESHOLD points. */
  private readonly unordered = new Map<string, Map<number, number> | undefined>();
  /**
   * The points of metrics by the id a NameTable gave their name (the receivers' fast path: an
   * array index instead of a Map lookup by a fresh string).
   */
  private byId: Array<Points | undefined> = [];
  private points = 0;
  private full = false;
  /** Points refused because the cache was full (carbon's cache.overflow). */
  overflow = 0;
  onFull: () => void = () => {};
  onSpaceAvailable: () => void = () => {};

  private readonly arrivalOrder: boolean;
  private readonly maxResting: number;

  constructor(
    private readonly limits: CacheLimits,
    options: {
      /** Keep metrics in arrival order (the naive strategy): one that comes back after it was written moves to the end. */
      arrivalOrder?: boolean;
      /** Resting metrics kept at most (default MAX_RESTING). */
      maxResting?: number;
    } = {},
  ) {
    this.arrivalOrder = options.arrivalOrder ?? false;
    this.maxResting = options.maxResting ?? MAX_RESTING;
  }

  /** Number of points held. */
  get size(): number {
    return this.points;
  }

  /** Number of metrics held (carbon's cache.queues). */
  get metricCount(): number {
    return this.metrics.size - this.resting;
  }

  get isFull(): boolean {
    return this.full;
  }

  /** Where `timestamp` is among `metric`'s points (a point index), or -1. */
  private positionOf(metric: string, points: Points, timestamp: number): number {
    const count = points.count >> 1;
    if (this.unordered.size === 0 || !this.unordered.has(metric)) {
      // The common case, a point newer than every cached one, costs one comparison.
      if (count === 0 || timestamp > points[2 * (count - 1)]) return -1;
      let low = 0;
      let high = count - 1;
      while (low <= high) {
        const middle = (low + high) >>> 1;
        const found = points[2 * middle];
        if (found === timestamp) return middle;
        if (found < timestamp) low = middle + 1;
        else high = middle - 1;
      }
      return -1;
    }
    const index = this.unordered.get(metric);
    if (index) return index.get(timestamp) ?? -1;
    for (let i = count - 1; i >= 0; i--) if (points[2 * i] === timestamp) return i;
    return -1;
  }

  /** Appends a timestamp not yet cached for the metric. */
  private append(metric: string, points: Points, timestamp: number, value: number): void {
    const count = points.count >> 1;
    let unordered = this.unordered.size > 0 && this.unordered.has(metric);
    if (!unordered && count > 0 && timestamp < points[2 * (count - 1)]) {
      this.unordered.set(metric, undefined);
      unordered = true;
    }
    put(points, timestamp, value);
    if (!unordered) return;
    const index = this.unordered.get(metric);
    if (index) index.set(timestamp, count);
    else if (count + 1 > INDEX_THRESHOLD) {
      const built = new Map<number, number>();
      for (let i = 0; i <= count; i++) built.set(points[2 * i], i);
      this.unordered.set(metric, built);
    }
  }

  /** Adds a point; false when it was dropped because the cache is full (without flow control). */
  store(metric: string, timestamp: number, value: number): boolean {
    return this.storeIn(metric, this.metrics.get(metric), timestamp, value, -1);
  }

  /**
   * store() for a metric whose name has an id (a NameTable's): its points are found by the id,
   * and a point newer than them all is appended there and then.
   */
  storeById(id: number, metric: string, timestamp: number, value: number): boolean {
    let points = this.byId[id];
    if (points === undefined) {
      points = this.metrics.get(metric);
      if (points !== undefined) this.byId[(points.id = id)] = points;
    } else if (this.points < this.limits.maxSize) {
      const count = points.count;
      // Resting (written, back with its next point) or newer than all its points: appended here.
      if (count === 0 ? !this.arrivalOrder : timestamp > points[count - 2] && (this.unordered.size === 0 || !this.unordered.has(metric))) {
        if (count === 0) this.resting--;
        put(points, timestamp, value);
        this.points++;
        return true;
      }
    }
    return this.storeIn(metric, points, timestamp, value, id);
  }

  /** store() of a metric whose points (if cached) are `points`; a new metric's array is known by `id` when one is given (>= 0). */
  private storeIn(metric: string, points: Points | undefined, timestamp: number, value: number, id: number): boolean {
    if (points) {
      const at = this.positionOf(metric, points, timestamp);
      if (at >= 0) {
        points[2 * at + 1] = value; // a re-sent timestamp replaces its value without growing the cache
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
    this.points++;
    if (points && points.count > 0) {
      this.append(metric, points, timestamp, value);
      return true;
    }
    this.makePoints(metric, points, timestamp, value, id);
    return true;
  }

  /**
   * The first point of a metric not cached (a new array at its exact size: most metrics get one
   * point before they are written) or resting (its array again: no allocation, no Map change).
   */
  private makePoints(metric: string, resting: Points | undefined, timestamp: number, value: number, id: number): void {
    if (resting) {
      this.resting--;
      put(resting, timestamp, value);
      if (this.arrivalOrder) {
        this.metrics.delete(metric);
        this.metrics.set(metric, resting);
      }
      if (id >= 0) this.byId[(resting.id = id)] = resting;
      return;
    }
    const made = newPoints(timestamp, value, id);
    if (id >= 0) this.byId[id] = made;
    this.metrics.set(metric, made);
  }

  /** Forgets every id given to storeById (its NameTable starts again). */
  forgetIds(): void {
    this.byId = [];
  }

  /**
   * Puts back a point the writer took but could not write: only when no newer value for that
   * timestamp arrived meanwhile, and regardless of maxSize (it was counted once already).
   */
  restore(metric: string, timestamp: number, value: number): void {
    const points = this.metrics.get(metric);
    if (points && points.count > 0) {
      if (this.positionOf(metric, points, timestamp) >= 0) return;
      this.append(metric, points, timestamp, value);
    } else this.makePoints(metric, points, timestamp, value, -1);
    this.points++;
  }

  /** The points cached for `metric`, in arrival order (carbonlink's cache-query). */
  get(metric: string): Array<[number, number]> {
    const points = this.metrics.get(metric);
    return points ? pairs(points, points.count) : [];
  }

  /** Number of points cached for `metric`. */
  countOf(metric: string): number {
    return (this.metrics.get(metric)?.count ?? 0) >> 1;
  }

  /** The names of the metrics with points, in insertion order. */
  names(): string[] {
    const names: string[] = [];
    for (const [name, points] of this.metrics) if (points.count > 0) names.push(name);
    return names;
  }

  /** (metric, point count) of every metric with points. */
  counts(): Array<[string, number]> {
    const counts: Array<[string, number]> = [];
    for (const [name, points] of this.metrics) if (points.count > 0) counts.push([name, points.count >> 1]);
    return counts;
  }

  /** (metric, oldest timestamp) of every metric with points. */
  oldest(): Array<[string, number]> {
    const oldest: Array<[string, number]> = [];
    for (const [name, points] of this.metrics) {
      if (points.count === 0) continue;
      let min = Infinity;
      for (let i = 0; i < points.count; i += 2) if (points[i] < min) min = points[i];
      oldest.push([name, min]);
    }
    return oldest;
  }

  /** Removes and returns all points of `metric` as timestamp, value, timestamp, value, ... (undefined when it is not cached). */
  popPacked(metric: string): Float64Array | undefined {
    const points = this.metrics.get(metric);
    if (!points || points.count === 0) return undefined;
    const count = points.count;
    const packed = new Float64Array(count);
    for (let i = 0; i < count; i++) packed[i] = points[i];
    // It rests (no points, room for one) until its next point, or until too many rest.
    points.count = 0;
    if (points.length > 2) points.length = 2;
    if (++this.resting > this.maxResting) this.forgetResting();
    if (this.unordered.size > 0) this.unordered.delete(metric);
    this.points -= packed.length >> 1;
    if (this.full && this.points < this.limits.lowWatermark) {
      this.full = false;
      this.onSpaceAvailable();
    }
    return packed;
  }

  /** Forgets the resting metrics. */
  private forgetResting(): void {
    for (const [name, points] of this.metrics) {
      if (points.count > 0) continue;
      this.metrics.delete(name);
      if (points.id >= 0 && this.byId[points.id] === points) this.byId[points.id] = undefined;
    }
    this.resting = 0;
  }

  /** Removes and returns all points of `metric` (undefined when it is not cached). */
  pop(metric: string): Array<[number, number]> | undefined {
    const packed = this.popPacked(metric);
    return packed && pairs(packed);
  }
}
