/**
 * Consolidation straight from unboxed values gives what consolidating the boxed values gives,
 * for every consolidation function, any nulls, NaNs and signed zeros, chunk size and xFilesFactor.
 */
import test from 'ava';
import fc from 'fast-check';
import { CONSOLIDATION_FUNCTIONS, consolidateRaw, consolidateValues, materialize } from '../../../src/lib/render/time-series.js';

test('consolidateRaw equals consolidateValues of the same values boxed', (t) => {
  const value = fc.oneof(fc.double(), fc.constantFrom(0, -0, Number.NaN, 1e308, -1e308), fc.integer({ min: -100, max: 100 }));
  fc.assert(
    fc.property(fc.array(fc.tuple(value, fc.boolean()), { maxLength: 60 }), fc.integer({ min: 1, max: 9 }), fc.constantFrom(...CONSOLIDATION_FUNCTIONS), fc.constantFrom(0, 0.3, 0.5, 1), (points, perPoint, func, xFilesFactor) => {
      const raw = { values: Float64Array.from(points, ([v]) => v), known: Uint8Array.from(points, ([, k]) => (k ? 1 : 0)) };
      const expected = consolidateValues(materialize(raw), perPoint, func, xFilesFactor);
      const actual = consolidateRaw(raw, perPoint, func, xFilesFactor);
      return actual.length === expected.length && actual.every((v, i) => Object.is(v, expected[i]));
    }),
    { numRuns: 500 },
  );
  t.throws(() => consolidateRaw({ values: new Float64Array(2), known: new Uint8Array(2) }, 2, 'median', 0), { message: /Invalid consolidation function: 'median'/ });
});
