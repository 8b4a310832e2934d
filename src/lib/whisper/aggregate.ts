/**
 * whisper.py's aggregate(): how a lower-precision archive's point is computed from the
 * higher-precision points that cover it, with CPython 3.11's exact arithmetic and tie rules.
 */
import { GphError } from '../errors.js';
import { isAggregationMethod } from './format.js';

/** Python's sum(): left-to-right double additions starting from the integer 0. */
function pySum(values: readonly number[]): number {
  let total = 0;
  for (const v of values) total += v;
  return total;
}

/** Python's max()/min() with an optional key: keeps the first element unless a later one is strictly better. */
function pick(values: readonly number[], better: (candidate: number, best: number) => boolean): number {
  let best = values[0];
  for (let i = 1; i < values.length; i++) if (better(values[i], best)) best = values[i];
  return best;
}

function methodError(message: string): GphError {
  return new GphError('WHISPER_INVALID_AGGREGATION', message, {
    hint: 'Use one of average, sum, last, max, min, avg_zero, absmax, absmin',
    reference: { type: 'InvalidAggregationMethod', message },
  });
}

/**
 * Aggregates `known` (the non-null neighbours, in time order) with `method`; `neighbors` holds
 * every covered slot, null where unknown (only avg_zero uses it). `known` must not be empty.
 */
export function aggregate(method: string, known: readonly number[], neighbors?: ReadonlyArray<number | null>): number {
  switch (method) {
    case 'average':
      return pySum(known) / known.length;
    case 'sum':
      return pySum(known);
    case 'last':
      return known[known.length - 1];
    case 'max':
      return pick(known, (c, b) => c > b);
    case 'min':
      return pick(known, (c, b) => c < b);
    case 'avg_zero': {
      if (!neighbors || neighbors.length === 0) throw methodError('Using avg_zero without neighborValues');
      // `x or 0`: None, 0 and -0.0 all count as integer 0.
      return pySum(neighbors.map((v) => (v === null || v === 0 ? 0 : v))) / neighbors.length;
    }
    case 'absmax':
      return pick(known, (c, b) => Math.abs(c) > Math.abs(b));
    case 'absmin':
      return pick(known, (c, b) => Math.abs(c) < Math.abs(b));
    default:
      if (isAggregationMethod(method)) throw new Error(`unreachable: ${method}`);
      throw methodError(`Unrecognized aggregation method ${method}`);
  }
}
