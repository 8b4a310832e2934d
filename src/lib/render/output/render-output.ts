/**
 * graphite-web's data formats (render/views.py): json (with maxDataPoints, noNullPoints, pretty,
 * jsonp), csv, raw and pickle, with Python's number spelling so clients parse the same text.
 */
import { reprFloat, shortDecimal } from '../../python/py-format.js';
import { pyJsonString } from '../../python/py-json.js';
import { encodePickle, type PickleInput } from '../../carbon/protocol/pickle-encoder.js';
import type { TimeSeries, Value } from '../time-series.js';
import { consolidateForJson } from './consolidate-for-json.js';
import { formatWall } from '../zone-time.js';

export const DATA_FORMATS = ['json', 'csv', 'raw', 'pickle'] as const;
export type DataFormat = (typeof DATA_FORMATS)[number];


/** A datapoint value as graphite writes it in JSON (NaN -> null, ±inf -> ±1e9999). */
function jsonValue(value: Value, integers: boolean): string {
  return value === null || Number.isNaN(value) ? 'null' : jsonNumber(value, integers);
}

export interface JsonOptions {
  maxDataPoints?: number;
  noNullPoints?: boolean;
  pretty?: boolean;
  jsonp?: string;
}

/** Python's repr of a finite double, JavaScript's own spelling where the two agree (the common case). */
function jsonNumber(v: number, integers: boolean): string {
  if (v >= 1e-4 ? v < 1e16 : v <= -1e-4 && v > -1e16) return Number.isInteger(v) ? (integers ? String(v) : `${v}.0`) : (shortDecimal(v) ?? String(v));
  if (v === Infinity) return '1e9999';
  if (v === -Infinity) return '-1e9999';
  return integers && Number.isInteger(v) ? String(v) : reprFloat(v);
}

/**
 * The "[v, t], [v, t]" text of one series' points (the hot path of every render: appended piece
 * by piece, and read from the fetched Float64Array without boxing when the series has one).
 */
function compactPoints(series: TimeSeries, noNullPoints: boolean): { text: string; count: number } {
  const raw = series.valuesPerPoint <= 1 ? series.raw : undefined;
  const values = raw ? raw.values : series.points();
  const known = raw?.known;
  const step = series.step * series.valuesPerPoint;
  const integers = series.integers;
  const n = Math.min(values.length, Math.floor((Math.trunc(series.end) - Math.trunc(series.start)) / step) + 1);
  let text = '';
  let count = 0;
  for (let i = 0, t = Math.trunc(series.start); i < n; i++, t += step) {
    const v = values[i];
    const isNull = known ? known[i] === 0 || v !== v : v === null || v !== v;
    if (isNull && noNullPoints) continue;
    text += count++ === 0 ? '[' : ', [';
    text += isNull ? 'null' : jsonNumber(v as number, integers);
    text += ', ';
    text += t;
    text += ']';
  }
  return { text, count };
}

/** One series in json.dumps' compact form. */
function compactSeries(series: TimeSeries, noNullPoints: boolean): string | undefined {
  const { text, count } = compactPoints(series, noNullPoints);
  if (noNullPoints && count === 0) return undefined;
  const tags = Object.entries(series.tags)
    .map(([k, v]) => `${pyJsonString(k)}: ${pyJsonString(v)}`)
    .join(', ');
  return `{"target": ${pyJsonString(series.name)}, "tags": {${tags}}, "datapoints": [${text}]}`;
}

export function renderJson(seriesList: readonly TimeSeries[], options: JsonOptions = {}): string {
  // graphite-web writes [] unless some series has values (its `if any(data)`).
  if (!seriesList.some((s) => s.length > 0)) return options.jsonp ? `${options.jsonp}([])` : '[]';
  if (options.maxDataPoints !== undefined) consolidateForJson(seriesList, options.maxDataPoints);
  if (!options.pretty) {
    const objects = seriesList.map((s) => compactSeries(s, Boolean(options.noNullPoints))).filter((s) => s !== undefined);
    const body = `[${objects.join(', ')}]`;
    return options.jsonp ? `${options.jsonp}(${body})` : body;
  }
  const objects: string[] = [];
  const nl = (depth: number): string => `\n${' '.repeat(2 * depth)}`;
  const sep = ',';
  for (const series of seriesList) {
    let points = series.datapoints();
    if (options.noNullPoints) {
      points = points.filter(([v]) => v !== null && !Number.isNaN(v));
      if (points.length === 0) continue;
    }
    const tags = Object.entries(series.tags).map(([k, v]) => `${nl(3)}${pyJsonString(k)}: ${pyJsonString(v)}`);
    const tagText = tags.length ? `{${tags.join(sep)}${nl(2)}}` : '{}';
    const pointText = points.map(([v, t]) => `${nl(3)}[${nl(4)}${jsonValue(v, series.integers)}${sep}${nl(4)}${t}${nl(3)}]`);
    const datapoints = pointText.length ? `[${pointText.join(sep)}${nl(2)}]` : '[]';
    objects.push(`${nl(1)}{${nl(2)}"target": ${pyJsonString(series.name)}${sep}${nl(2)}"tags": ${tagText}${sep}${nl(2)}"datapoints": ${datapoints}${nl(1)}}`);
  }
  const body = objects.length ? `[${objects.join(sep)}${nl(0)}]` : '[]';
  return options.jsonp ? `${options.jsonp}(${body})` : body;
}

function csvField(text: string): string {
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** format=csv: NAME,YYYY-MM-DD HH:MM:SS,VALUE rows (CRLF), times in `zone`. */
export function renderCsv(seriesList: readonly TimeSeries[], zone: string): string {
  let out = '';
  for (const series of seriesList) {
    series.points().forEach((value, i) => {
      const stamp = formatWall(series.start + i * series.step, zone);
      const text = value === null ? '' : series.integers && Number.isInteger(value) ? String(value) : reprFloat(value);
      out += `${csvField(series.name)},${stamp},${text}\r\n`;
    });
  }
  return out;
}

/** format=raw: NAME,START,END,STEP|v1,v2,... per series. */
export function renderRaw(seriesList: readonly TimeSeries[]): string {
  return seriesList
    .map((s) => {
      const values = s.points().map((v) => (v === null ? 'None' : s.integers && Number.isInteger(v) ? String(v) : reprFloat(v)));
      return `${s.name},${Math.trunc(s.start)},${Math.trunc(s.end)},${Math.trunc(s.step)}|${values.join(',')}\n`;
    })
    .join('');
}

/** format=pickle: the list of series dicts graphite-web's cluster protocol exchanges. */
/** The fields graphite-web's pickle and msgpack formats give each series. */
export function seriesRecords(seriesList: readonly TimeSeries[]): Array<{ [key: string]: PickleInput }> {
  return seriesList.map((s) => ({
    name: s.name,
    start: s.start,
    end: s.end,
    step: s.step,
    values: s.points(),
    pathExpression: s.pathExpression,
    valuesPerPoint: s.valuesPerPoint,
    consolidationFunc: s.consolidationFunc,
    xFilesFactor: s.xFilesFactor,
  }));
}

export function renderPickle(seriesList: readonly TimeSeries[]): Buffer {
  return encodePickle(seriesRecords(seriesList));
}
