/**
 * The series model of graphite-web (render/datalib.py TimeSeries): values on a fixed step from
 * `start` (first timestamp) to `end` (exclusive bound), plus the name, tags, the path expression
 * it came from, how it consolidates and drawing hints. Values are numbers or null (NaN may appear
 * as a computed value, as in Python).
 */
export type Value = number | null;

/**
 * Values kept unboxed, as read from a whisper file or computed by a function that keeps them so:
 * `values[i]` is meaningful where `known[i]` is 1. A series holds them until something asks for
 * `values` (then they become a `(number | null)[]`), so aggregations over many fetched series never
 * allocate a boxed number per point. Never mutated (series may share them).
 */
export interface RawValues {
  values: Float64Array;
  known: Uint8Array;
}

export function materialize(raw: RawValues): Value[] {
  const out = new Array<Value>(raw.values.length);
  for (let i = 0; i < out.length; i++) out[i] = raw.known[i] ? raw.values[i] : null;
  return out;
}

/** Drawing hints set by graph functions (color, dashed, secondYAxis, ...). */
export interface SeriesOptions {
  [key: string]: unknown;
}

export const CONSOLIDATION_FUNCTIONS = ['sum', 'average', 'avg', 'avg_zero', 'max', 'min', 'first', 'last'] as const;

function checkConsolidationFunc(func: string): void {
  if (!(CONSOLIDATION_FUNCTIONS as readonly string[]).includes(func)) throw new Error(`Invalid consolidation function: '${func}'`);
}

export interface SeriesInit {
  consolidate?: string;
  tags?: Record<string, string>;
  xFilesFactor?: number;
  pathExpression?: string;
  /** Values are Python ints (JSON prints them without ".0"). */
  integers?: boolean;
}

/** Tags of a plain name: graphite parses `name;tag=value` names unless the name is a function call. */
export function tagsOfName(name: string): Record<string, string> {
  if (/^[a-z]+[(].+[)]$/i.test(name) || !name.includes(';')) return { name };
  const [metric, ...segments] = name.split(';');
  const tags: Record<string, string> = {};
  for (const segment of segments) {
    const eq = segment.indexOf('=');
    if (eq <= 0) return { name };
    tags[segment.slice(0, eq)] = segment.slice(eq + 1);
  }
  tags.name = metric;
  return tags;
}

export class TimeSeries {
  name: string;
  start: number;
  end: number;
  step: number;
  private boxed: Value[] | undefined;
  /** The unboxed values of a fetched (or computed) series until `values` is first read (see RawValues). */
  raw: RawValues | undefined;
  consolidationFunc: string;
  valuesPerPoint = 1;
  xFilesFactor: number;
  tags: Record<string, string>;
  pathExpression: string;
  options: SeriesOptions = {};
  color?: string;
  integers: boolean;

  constructor(name: string, start: number, end: number, step: number, values: Value[] | RawValues, init: SeriesInit = {}) {
    this.name = name;
    this.start = start;
    this.end = end;
    this.step = step;
    if (Array.isArray(values)) this.boxed = values;
    else this.raw = values;
    this.consolidationFunc = init.consolidate ?? 'average';
    this.xFilesFactor = init.xFilesFactor ?? 0;
    this.tags = init.tags ? { ...init.tags } : tagsOfName(name);
    this.pathExpression = init.pathExpression ?? name;
    this.integers = init.integers ?? false;
  }

  /** The values (fetched raw values are boxed on first access, and from then on owned by the series). */
  get values(): Value[] {
    if (this.boxed === undefined) {
      this.boxed = this.raw ? materialize(this.raw) : [];
      this.raw = undefined;
    }
    return this.boxed;
  }

  set values(values: Value[]) {
    this.boxed = values;
    this.raw = undefined;
  }

  get length(): number {
    return this.raw ? this.raw.values.length : this.values.length;
  }

  /** series.copy(): a new series with the same metadata (options are not copied, as in graphite; tags are shared). New values may be unboxed. */
  copy(overrides: { name?: string; start?: number; end?: number; step?: number; values?: Value[] | RawValues; consolidate?: string; tags?: Record<string, string>; xFilesFactor?: number } = {}): TimeSeries {
    const copy = new TimeSeries(overrides.name ?? this.name, overrides.start ?? this.start, overrides.end ?? this.end, overrides.step ?? this.step, overrides.values ?? this.values.slice(), {
      consolidate: overrides.consolidate ?? this.consolidationFunc,
      xFilesFactor: overrides.xFilesFactor ?? this.xFilesFactor,
    });
    // graphite's copy() shares the Tags object: tags added to either later show on both.
    copy.tags = overrides.tags ?? this.tags;
    copy.pathExpression = overrides.name ?? this.name;
    return copy;
  }

  /** A deep clone that keeps everything (graphite's copy.deepcopy). Unboxed values stay unboxed (they are never mutated, so the clone shares them). */
  clone(): TimeSeries {
    const clone = new TimeSeries(this.name, this.start, this.end, this.step, this.raw ?? this.values.slice(), {
      consolidate: this.consolidationFunc,
      tags: this.tags,
      xFilesFactor: this.xFilesFactor,
      pathExpression: this.pathExpression,
      integers: this.integers,
    });
    clone.valuesPerPoint = this.valuesPerPoint;
    clone.options = { ...this.options };
    clone.color = this.color;
    return clone;
  }

  consolidate(valuesPerPoint: number): void {
    this.valuesPerPoint = Math.trunc(valuesPerPoint);
  }

  /** Iteration as graphite's `for x in series`: consolidated when valuesPerPoint > 1. */
  points(): Value[] {
    if (this.valuesPerPoint <= 1) return this.values;
    if (this.raw) return consolidateRaw(this.raw, this.valuesPerPoint, this.consolidationFunc, this.xFilesFactor);
    return consolidateValues(this.values, this.valuesPerPoint, this.consolidationFunc, this.xFilesFactor);
  }

  /** [value, timestamp] pairs as format=json writes them. */
  datapoints(): Array<[Value, number]> {
    const values = this.points();
    const step = this.step * this.valuesPerPoint;
    const out: Array<[Value, number]> = [];
    for (let i = 0, t = Math.trunc(this.start); i < values.length && t <= Math.trunc(this.end); i++, t += step) out.push([values[i], t]);
    return out;
  }

  /** Sets name and the `name` tag's first path expression the way most graphite functions do. */
  rename(name: string): this {
    this.name = name;
    this.pathExpression = name;
    return this;
  }
}

function consolidateChunk(func: string, buf: number[]): number {
  switch (func) {
    case 'sum': {
      let s = 0;
      for (const v of buf) s += v;
      return s;
    }
    case 'average':
    case 'avg':
    case 'avg_zero': {
      let s = 0;
      for (const v of buf) s += v;
      return s / buf.length;
    }
    case 'max':
      return pyMax(buf);
    case 'min':
      return pyMin(buf);
    case 'first':
      return buf[0];
    case 'last':
      return buf[buf.length - 1];
    default:
      throw new Error(`Invalid consolidation function: '${func}'`);
  }
}

/** Python max(): NaN never wins a comparison, so the first NaN sticks only if it comes first. */
export function pyMax(values: readonly number[]): number {
  let best = values[0];
  for (let i = 1; i < values.length; i++) if (values[i] > best) best = values[i];
  return best;
}

export function pyMin(values: readonly number[]): number {
  let best = values[0];
  for (let i = 1; i < values.length; i++) if (values[i] < best) best = values[i];
  return best;
}

/** TimeSeries.__consolidatingGenerator: one value per `perPoint` values, nulls skipped, xFilesFactor applied. */
export function consolidateValues(values: readonly Value[], perPoint: number, func: string, xFilesFactor: number): Value[] {
  checkConsolidationFunc(func);
  const out: Value[] = [];
  // One buffer for every chunk (emptied, not replaced): a chart consolidates thousands of chunks.
  const buf: number[] = [];
  let count = 0;
  let nonNull = 0;
  const flush = (): void => {
    out.push(nonNull && nonNull / perPoint >= xFilesFactor ? consolidateChunk(func, buf) : null);
    buf.length = 0;
    count = 0;
    nonNull = 0;
  };
  for (const v of values) {
    count++;
    if (v !== null) {
      buf.push(v);
      nonNull++;
    } else if (func === 'avg_zero') buf.push(0);
    if (count === perPoint) flush();
  }
  if (count > 0) flush();
  return out;
}

/**
 * consolidateValues over unboxed values, without boxing them first (a chart consolidates every
 * fetched point): the same chunks, the same order of operations, so the same results.
 */
export function consolidateRaw(raw: RawValues, perPoint: number, func: string, xFilesFactor: number): Value[] {
  checkConsolidationFunc(func);
  const { values, known } = raw;
  const summing = func === 'sum' || func === 'average' || func === 'avg' || func === 'avg_zero';
  const out: Value[] = new Array(Math.ceil(values.length / perPoint));
  for (let chunk = 0, start = 0; start < values.length; chunk++, start += perPoint) {
    const end = Math.min(values.length, start + perPoint);
    let nonNull = 0;
    // Sums start from 0 as Python's sum() does (so a lone -0.0 sums to 0.0); the others from the first value.
    let result = 0;
    for (let i = start; i < end; i++) {
      if (!known[i]) continue;
      const v = values[i];
      if (summing) result += v;
      else if (nonNull === 0) result = v;
      else if (func === 'max') result = v > result ? v : result;
      else if (func === 'min') result = v < result ? v : result;
      else if (func === 'last') result = v;
      nonNull++;
    }
    if (!nonNull || nonNull / perPoint < xFilesFactor) {
      out[chunk] = null;
      continue;
    }
    // avg_zero averages over the whole chunk, its nulls counted as zeros (which leave the sum as it is).
    if (func === 'average' || func === 'avg') result /= nonNull;
    else if (func === 'avg_zero') result /= end - start;
    out[chunk] = result;
  }
  return out;
}
