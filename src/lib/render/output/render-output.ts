/**
 * graphite-web's data formats (render/views.py): json (with maxDataPoints, noNullPoints, pretty,
 * jsonp), csv, raw and pickle, with Python's number spelling so clients parse the same text.
 */
import { reprFloat } from '../../python/py-format.js';
import { pyJsonString } from '../../python/py-json.js';
import { encodePickle, type PickleInput } from '../../carbon/protocol/pickle-encoder.js';
import type { TimeSeries, Value } from '../time-series.js';
import { consolidateForJson } from './consolidate-for-json.js';
import { formatWall } from '../zone-time.js';
import { JSON_POINT_BYTES_MAX, jsonNumber, pointColumns, writeJsonPoints } from './json-points.js';

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

/** Bytes reused by the next compact JSON render (grown as needed, kept up to this size). */
const SCRATCH_BYTES_KEPT = 64 * 1024 * 1024;
let scratch = Buffer.alloc(0);

function scratchBytes(size: number): Buffer {
  if (size <= scratch.length) return scratch;
  const bytes = Buffer.allocUnsafeSlow(Math.max(size, Math.min(2 * scratch.length, SCRATCH_BYTES_KEPT)));
  if (bytes.length <= SCRATCH_BYTES_KEPT) scratch = bytes;
  return bytes;
}

/** The series in json.dumps' compact form, written as bytes ("[]" when noNullPoints leaves none). */
function compactJson(seriesList: readonly TimeSeries[], noNullPoints: boolean, jsonp: string | undefined): Buffer {
  const heads = seriesList.map((series) => {
    const tags = Object.entries(series.tags)
      .map(([k, v]) => `${pyJsonString(k)}: ${pyJsonString(v)}`)
      .join(', ');
    return `{"target": ${pyJsonString(series.name)}, "tags": {${tags}}, "datapoints": [`;
  });
  const open = jsonp ? `${jsonp}([` : '[';
  const close = jsonp ? '])' : ']';
  let capacity = Buffer.byteLength(open) + close.length;
  for (let i = 0; i < seriesList.length; i++) capacity += Buffer.byteLength(heads[i]) + 4 + seriesList[i].length * JSON_POINT_BYTES_MAX;
  const out = scratchBytes(capacity);
  let at = out.write(open, 0);
  let written = 0;
  seriesList.forEach((series, i) => {
    const mark = at;
    if (written > 0) at += out.write(', ', at, 'latin1');
    at += out.write(heads[i], at);
    const pointsAt = at;
    at = writeJsonPoints(pointColumns(series), noNullPoints, out, at);
    if (noNullPoints && at === pointsAt) {
      at = mark;
      return;
    }
    at += out.write(']}', at, 'latin1');
    written++;
  });
  at += out.write(close, at, 'latin1');
  const body = Buffer.allocUnsafe(at);
  out.copy(body, 0, 0, at);
  return body;
}

/** graphite-web's format=json (UTF-8). */
export function renderJson(seriesList: readonly TimeSeries[], options: JsonOptions = {}): Buffer {
  // graphite-web writes [] unless some series has values (its `if any(data)`).
  if (!seriesList.some((s) => s.length > 0)) return Buffer.from(options.jsonp ? `${options.jsonp}([])` : '[]');
  if (options.maxDataPoints !== undefined) consolidateForJson(seriesList, options.maxDataPoints);
  if (!options.pretty) return compactJson(seriesList, Boolean(options.noNullPoints), options.jsonp);
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
  return Buffer.from(options.jsonp ? `${options.jsonp}(${body})` : body);
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
