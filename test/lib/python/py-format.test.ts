import test from 'ava';
import fc from 'fast-check';
import { formatFixed, formatFixed6, formatGeneral, reprFloat, shortDecimal } from '../../../src/lib/python/py-format.js';

test('reprFloat() prints floats as Python 3 repr', (t) => {
  const cases: Array<[number, string]> = [
    [1, '1.0'],
    [0.1, '0.1'],
    [-0, '-0.0'],
    [0, '0.0'],
    [1e16, '1e+16'],
    [1e15, '1000000000000000.0'],
    [1.5e-7, '1.5e-07'],
    [0.0001, '0.0001'],
    [0.00001, '1e-05'],
    [5e-324, '5e-324'],
    [123456789.123, '123456789.123'],
    [1e22, '1e+22'],
    [Number.NaN, 'nan'],
    [Infinity, 'inf'],
    [-Infinity, '-inf'],
    [0.30000001192092896, '0.30000001192092896'],
  ];
  for (const [value, expected] of cases) t.is(reprFloat(value), expected, String(value));
});

test('formatFixed6() prints "%f" without exponents and rounds exact halves to even', (t) => {
  t.is(formatFixed6(1e22), '10000000000000000000000.000000');
  t.is(formatFixed6(-0), '-0.000000');
  t.is(formatFixed6(0.1), '0.100000');
  t.is(formatFixed6(Number.NaN), 'nan');
  t.is(formatFixed6(-Infinity), '-inf');
  t.is(formatFixed6(1 / 128), '0.007812');
  t.is(formatFixed(195.3125, 3), '195.312');
  t.is(formatFixed(976.5625, 3), '976.562');
  t.is(formatFixed(0.15, 1), '0.1');
  t.is(formatFixed(2.5, 0), '2');
  t.is(formatFixed(3.5, 0), '4');
});

test('formatGeneral() prints "%g" and "%10.35g" as Python', (t) => {
  t.is(formatGeneral(0.30000001192092896), '0.3');
  t.is(formatGeneral(0.5), '0.5');
  t.is(formatGeneral(0.1, 35, 10), '0.1000000000000000055511151231257827');
  t.is(formatGeneral(-2, 35, 10), '        -2');
  t.is(formatGeneral(0, 35, 10), '         0');
  t.is(formatGeneral(-0, 35, 10), '        -0');
  t.is(formatGeneral(1e300, 35, 10), '1.0000000000000000525047602552044202e+300');
  t.is(formatGeneral(Number.NaN, 35, 10), '       nan');
  t.is(formatGeneral(1e-5), '1e-05');
  t.is(formatGeneral(123456789), '1.23457e+08');
});

test('reprFloat() round-trips every double (property)', (t) => {
  fc.assert(
    fc.property(fc.double({ noNaN: true }), (value) => {
      const text = reprFloat(value).replace(/^inf$/, 'Infinity').replace(/^-inf$/, '-Infinity');
      return Object.is(Number(text), value);
    }),
    { numRuns: 5000 },
  );
  t.pass();
});

test('shortDecimal() spells short decimals as String() does, and declines the rest (property)', (t) => {
  const decimals = fc.tuple(fc.integer({ min: -999_999_999, max: 999_999_999 }), fc.integer({ min: 0, max: 3 })).map(([k, places]) => k / 10 ** places);
  fc.assert(
    fc.property(fc.oneof(decimals, fc.double({ noNaN: true, min: -2e9, max: 2e9 }), fc.double()), (value) => {
      const short = shortDecimal(value);
      if (short === undefined) return Number.isInteger(value) || !(Math.abs(value) < 1e9) || Math.round(Math.abs(value) * 1000) / 1000 !== Math.abs(value);
      return short === String(value);
    }),
    { numRuns: 20_000 },
  );
  t.is(shortDecimal(52.62), '52.62');
  t.is(shortDecimal(-0.5), '-0.5');
  t.is(shortDecimal(17.125), '17.125');
  t.is(shortDecimal(0.001), '0.001');
  t.is(shortDecimal(100.01), '100.01');
  t.is(shortDecimal(149.56799999999998), undefined);
  t.is(shortDecimal(3), undefined);
  t.is(shortDecimal(0.0001), undefined);
  t.is(shortDecimal(NaN), undefined);
  t.is(shortDecimal(Infinity), undefined);
  t.is(reprFloat(999_999_999.5), '999999999.5');
});
