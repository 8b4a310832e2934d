/**
 * graphite's aggregation functions (functions/aggfuncs.py + functions/safe.py): each takes a row of
 * optional values, ignores nulls, and returns null when nothing is left (count returns 0).
 */
import { GphError } from '../../errors.js';
import type { Value } from '../time-series.js';

export type AggFunc = (values: readonly Value[]) => Value;

const nonNull = (values: readonly Value[]): number[] => values.filter((v): v is number => v !== null);

export function safeSum(values: readonly Value[]): Value {
  let sum = 0;
  let any = false;
  for (const v of values) {
    if (v !== null) {
      sum += v;
      any = true;
    }
  }
  return any ? sum : null;
}

export function safeLen(values: readonly Value[]): number {
  let n = 0;
  for (const v of values) if (v !== null) n++;
  return n;
}

export function safeAvg(values: readonly Value[]): Value {
  const n = safeLen(values);
  return n ? (safeSum(values) as number) / n : null;
}

export function safeMax(values: readonly Value[]): Value {
  let best: Value = null;
  for (const v of values) if (v !== null && (best === null || v > best)) best = v;
  return best;
}

export function safeMin(values: readonly Value[]): Value {
  let best: Value = null;
  for (const v of values) if (v !== null && (best === null || v < best)) best = v;
  return best;
}

export function safeLast(values: readonly Value[]): Value {
  for (let i = values.length - 1; i >= 0; i--) if (values[i] !== null) return values[i];
  return null;
}

export function safeDiv(a: Value, b: Value): Value {
  if (a === null) return null;
  if (b === null || b === 0) return null;
  return a / b;
}

export function safeMul(...factors: Value[]): Value {
  if (factors.some((f) => f === null)) return null;
  return (factors as number[]).reduce((x, y) => x * y);
}

export function safeSubtract(a: Value, b: Value): Value {
  return a === null || b === null ? null : a - b;
}

/** math.pow with Python's errors turned into null (negative base with fractional exponent, overflow). */
export function safePow(a: Value, b: Value): Value {
  if (a === null || b === null) return null;
  const result = Math.pow(a, b);
  if (Number.isNaN(result) && !Number.isNaN(a) && !Number.isNaN(b)) return null;
  if (!Number.isFinite(result) && Number.isFinite(a) && Number.isFinite(b)) return null;
  return result;
}

export function safeMedian(values: readonly Value[]): Value {
  const sorted = nonNull(values).sort((x, y) => x - y);
  if (sorted.length === 0) return null;
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 0 ? (sorted[mid - 1] + sorted[mid]) / 2 : sorted[mid];
}

export function safeStdDev(values: readonly Value[]): Value {
  const avg = safeAvg(values);
  if (avg === null) return null;
  let sum = 0;
  const usable = nonNull(values);
  for (const v of usable) sum += (v - avg) * (v - avg);
  return Math.sqrt(sum / usable.length);
}

function safeDiff(values: readonly Value[]): Value {
  const usable = nonNull(values);
  if (usable.length === 0) return null;
  let total = usable[0];
  for (let i = 1; i < usable.length; i++) total += -usable[i];
  return total;
}

function safeAvgZero(values: readonly Value[]): Value {
  if (values.length === 0) return null;
  let sum = 0;
  for (const v of values) sum += v ?? 0;
  return sum / values.length;
}

const AGG_FUNCS: Record<string, AggFunc> = {
  average: safeAvg,
  avg_zero: safeAvgZero,
  median: safeMedian,
  sum: safeSum,
  min: safeMin,
  max: safeMax,
  diff: safeDiff,
  stddev: safeStdDev,
  count: safeLen,
  range: (row) => safeSubtract(safeMax(row), safeMin(row)),
  multiply: (row) => safeMul(...row),
  last: safeLast,
};
const AGG_ALIASES: Record<string, string> = { rangeOf: 'range', avg: 'average', total: 'sum', current: 'last' };

/** The aggFunc names graphite accepts (plus each with a "Series" suffix). */
export const AGG_FUNC_NAMES = [...Object.keys(AGG_FUNCS), ...Object.keys(AGG_ALIASES)];

export function isAggFuncName(name: string): boolean {
  return AGG_FUNC_NAMES.includes(name) || (name.endsWith('Series') && AGG_FUNC_NAMES.includes(name.slice(0, -6)));
}

/** getAggFunc: the function for a name or alias ("Series" suffix not stripped). */
export function getAggFunc(name: string, rawName = name): AggFunc {
  const fn = AGG_FUNCS[name] ?? AGG_FUNCS[AGG_ALIASES[name] ?? ''];
  if (!fn) {
    throw new GphError('RENDER_BAD_ARGUMENT', `Unsupported aggregation function: ${rawName}`, { hint: `Use one of ${AGG_FUNC_NAMES.join(', ')}` });
  }
  return fn;
}
