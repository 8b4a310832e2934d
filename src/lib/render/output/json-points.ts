/**
 * The "[v, t], [v, t]" text of one series' datapoints in graphite-web's JSON, written as bytes:
 * the hot path of every JSON render. gph's addon writes it (std::to_chars spells a double several
 * times faster than V8's number-to-string, which was most of a render's cost); the JavaScript
 * writer here is the fallback without the addon and the reference the addon is tested against.
 */
import { nativeAddon } from '../../native-addon.js';
import { reprFloat, shortDecimal } from '../../python/py-format.js';
import type { TimeSeries } from '../time-series.js';

/** The most bytes one datapoint takes: ", [" + a 24-character number + ", " + a 20-digit time + "]". */
export const JSON_POINT_BYTES_MAX = 56;

const FLAG_INTEGERS = 1;
const FLAG_NO_NULL_POINTS = 2;

/** A series' datapoints as the writers take them: a null where known[i] is 0 or the value is NaN. */
export interface PointColumns {
  values: Float64Array;
  known: Uint8Array | null;
  count: number;
  /** First timestamp and step, whole seconds. */
  start: number;
  step: number;
  /** Integral values without ".0" (series of Python ints). */
  integers: boolean;
}

/** Python's repr of a finite double, JavaScript's own spelling where the two agree (the common case). */
export function jsonNumber(v: number, integers: boolean): string {
  if (v >= 1e-4 ? v < 1e16 : v <= -1e-4 && v > -1e16) return Number.isInteger(v) ? (integers ? String(v) : `${v}.0`) : (shortDecimal(v) ?? String(v));
  if (v === Infinity) return '1e9999';
  if (v === -Infinity) return '-1e9999';
  return integers && Number.isInteger(v) ? String(v) : reprFloat(v);
}

/** The datapoints' text, in JavaScript. */
export function jsonPointsText(columns: PointColumns, noNullPoints: boolean): string {
  const { values, known, count, step, integers } = columns;
  let text = '';
  for (let i = 0, t = columns.start; i < count; i++, t += step) {
    const v = values[i];
    const isNull = (known !== null && known[i] === 0) || v !== v;
    if (isNull && noNullPoints) continue;
    text += text === '' ? '[' : ', [';
    text += isNull ? 'null' : jsonNumber(v, integers);
    text += ', ';
    text += t;
    text += ']';
  }
  return text;
}

/**
 * Writes the datapoints into `out` from `offset` (which must have JSON_POINT_BYTES_MAX bytes per
 * point) and returns the offset after them; nothing is written when noNullPoints leaves none.
 */
export function writeJsonPoints(columns: PointColumns, noNullPoints: boolean, out: Buffer, offset: number): number {
  const native = nativeAddon();
  if (native && Number.isSafeInteger(columns.step) && Number.isSafeInteger(columns.start)) {
    const flags = (columns.integers ? FLAG_INTEGERS : 0) | (noNullPoints ? FLAG_NO_NULL_POINTS : 0);
    const end = native.writeJsonPoints(columns.values, columns.known, columns.count, columns.start, columns.step, flags, out, offset);
    // (null: the addon was built by a C++ library without std::to_chars for doubles.)
    if (end !== null) return end;
  }
  return offset + out.write(jsonPointsText(columns, noNullPoints), offset, 'latin1');
}

/** Boxed values are packed into this array, kept for the next series up to this many values (8 MB). */
const PACKED_VALUES_KEPT = 1 << 20;
let packedValues = new Float64Array(0);

/**
 * A series' points as columns: the fetched Float64Array itself when the series is unboxed, else
 * its values packed (null as NaN) into an array reused by the next call, so use them at once.
 */
export function pointColumns(series: TimeSeries): PointColumns {
  const raw = series.valuesPerPoint <= 1 ? series.raw : undefined;
  const step = series.step * series.valuesPerPoint;
  const start = Math.trunc(series.start);
  const span = Math.floor((Math.trunc(series.end) - start) / step) + 1;
  const points = raw ? raw.values : series.points();
  const count = Math.max(0, Math.min(points.length, span));
  if (raw) return { values: raw.values, known: raw.known, count, start, step, integers: series.integers };
  let values = packedValues;
  if (values.length < count) {
    values = new Float64Array(Math.max(count, Math.min(2 * values.length, PACKED_VALUES_KEPT)));
    if (values.length <= PACKED_VALUES_KEPT) packedValues = values;
  }
  for (let i = 0; i < count; i++) values[i] = points[i] ?? NaN;
  return { values, known: null, count, start, step, integers: series.integers };
}
