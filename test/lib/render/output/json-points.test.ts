import test from 'ava';
import fc from 'fast-check';
import { nativeAddon } from '../../../../src/lib/native-addon.js';
import { JSON_POINT_BYTES_MAX, jsonPointsText, type PointColumns, pointColumns, writeJsonPoints } from '../../../../src/lib/render/output/json-points.js';
import { TimeSeries } from '../../../../src/lib/render/time-series.js';

const native = nativeAddon();

function nativeText(columns: PointColumns, noNullPoints: boolean, offset = 0): string {
  const out = Buffer.alloc(offset + columns.count * JSON_POINT_BYTES_MAX);
  const end = writeJsonPoints(columns, noNullPoints, out, offset);
  return out.toString('latin1', offset, end);
}

/** Values whose spelling changes rule: the thresholds of both notations, integers, zeros, extremes. */
const EDGES = [
  0, -0, 1, -1, 0.1, 0.5, 1e-4, 9.999999999999999e-5, -1e-4, 1e-5, 1.5e-7, 5e-324, -5e-324, 2.2250738585072014e-308,
  1e15, 1e16, 9999999999999998, 1e16 + 2, -1e16, 1e20, 1e21, 1.2345e21, -1e21, 1e22, 123456789012345680000, 1.7976931348623157e308,
  -1.7976931348623157e308, 0.30000000000000004, 1 / 3, 2 / 3, 100.25, 52.62, 1234567.891, 4.35, 2 ** 53, 2 ** 53 + 2, 1e-7, 123e-20,
  Infinity, -Infinity, NaN,
];

const value = fc.oneof(
  { weight: 4, arbitrary: fc.double() },
  { weight: 2, arbitrary: fc.constantFrom(...EDGES) },
  { weight: 2, arbitrary: fc.integer({ min: -1e6, max: 1e6 }).map((n) => n / 1000) },
  { weight: 1, arbitrary: fc.maxSafeInteger() },
);

test('the addon is built (npm install builds it with node-gyp; gph falls back to JavaScript without it)', (t) => {
  t.truthy(native);
  t.is(typeof native?.writeJsonPoints, 'function');
});

test('the addon writes exactly what the JavaScript writer writes, for any values, mask and flags', (t) => {
  fc.assert(
    fc.property(
      fc.array(fc.tuple(value, fc.boolean()), { maxLength: 60 }),
      fc.boolean(),
      fc.boolean(),
      fc.boolean(),
      fc.integer({ min: -2e9, max: 4e9 }),
      fc.integer({ min: 1, max: 86400 * 365 }),
      fc.nat(7),
      (points, masked, integers, noNullPoints, start, step, offset) => {
        const columns: PointColumns = {
          values: Float64Array.from(points, ([v]) => v),
          known: masked ? Uint8Array.from(points, ([, k]) => (k ? 1 : 0)) : null,
          count: points.length,
          start,
          step,
          integers,
        };
        t.is(nativeText(columns, noNullPoints, offset), jsonPointsText(columns, noNullPoints));
      },
    ),
    { numRuns: 3000 },
  );
});

test('every edge value is spelled as Python repr (floats) or JavaScript (integers) spells it', (t) => {
  const columns = (integers: boolean): PointColumns => ({ values: Float64Array.from(EDGES), known: null, count: EDGES.length, start: 0, step: 1, integers });
  const spelled = (integers: boolean): string[] => [...nativeText(columns(integers), false).matchAll(/\[([^,]+), \d+\]/g)].map((m) => m[1]);
  const at = (v: number): number => EDGES.findIndex((e) => Object.is(e, v));
  const floats = spelled(false);
  t.deepEqual(floats.slice(0, 8), ['0.0', '-0.0', '1.0', '-1.0', '0.1', '0.5', '0.0001', '9.999999999999999e-05']);
  t.is(floats[at(1e21)], '1e+21');
  t.is(floats[at(5e-324)], '5e-324');
  t.is(floats[at(1.5e-7)], '1.5e-07');
  t.is(floats[at(9999999999999998)], '9999999999999998.0');
  t.is(floats[at(Infinity)], '1e9999');
  t.is(floats[at(NaN)], 'null');
  const ints = spelled(true);
  t.is(ints[at(-0)], '0');
  t.is(ints[at(1e20)], '100000000000000000000');
  t.is(ints[at(1.2345e21)], '1.2345e+21');
  t.is(ints[at(0.5)], '0.5');
});

test('the writer refuses an output too small for the points instead of writing past it', (t) => {
  const columns: PointColumns = { values: new Float64Array(4), known: null, count: 4, start: 0, step: 60, integers: false };
  t.throws(() => writeJsonPoints(columns, false, Buffer.alloc(4 * JSON_POINT_BYTES_MAX - 1), 0), { instanceOf: TypeError });
  t.throws(() => writeJsonPoints({ ...columns, count: 5 }, false, Buffer.alloc(10 * JSON_POINT_BYTES_MAX), 0), { instanceOf: TypeError });
});

test('a series gives its fetched columns, or its boxed values packed with null as NaN', (t) => {
  const fetched = new TimeSeries('f', 60, 240, 60, { values: Float64Array.of(1, 2, 3), known: Uint8Array.of(1, 0, 1) });
  const columns = pointColumns(fetched);
  t.is(columns.known, fetched.raw?.known ?? null);
  t.is(jsonPointsText(columns, false), '[1.0, 60], [null, 120], [3.0, 180]');
  const boxed = new TimeSeries('b', 60, 240, 60, [null, 2.5, NaN]);
  t.is(nativeText(pointColumns(boxed), false), '[null, 60], [2.5, 120], [null, 180]');
  t.is(nativeText(pointColumns(boxed), true), '[2.5, 120]');
});
