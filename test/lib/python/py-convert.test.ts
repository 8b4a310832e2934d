import test from 'ava';
import { pyFloat, pyInt } from '../../../src/lib/python/py-convert.js';
import { GphError } from '../../../src/lib/errors.js';

test('pyFloat() accepts what Python float() accepts', (t) => {
  t.is(pyFloat(' 1.5 '), 1.5);
  t.is(pyFloat('1e3'), 1000);
  t.is(pyFloat('1_000.5'), 1000.5);
  t.is(pyFloat('-inf'), -Infinity);
  t.is(pyFloat('Infinity'), Infinity);
  t.true(Number.isNaN(pyFloat('nan')));
  t.is(pyFloat('.5'), 0.5);
  t.is(pyFloat(true), 1);
});

test('pyFloat() rejects non-numbers with ValueError or TypeError', (t) => {
  const bad = t.throws(() => pyFloat('abc'), { instanceOf: GphError });
  t.is(bad?.code, 'INVALID_NUMBER');
  t.deepEqual(bad?.reference, { type: 'ValueError', message: "could not convert string to float: 'abc'" });
  t.is((t.throws(() => pyFloat(null)) as GphError).reference?.type, 'TypeError');
  t.throws(() => pyFloat('1__0'));
  t.throws(() => pyFloat('0x10'));
});

test('pyInt() truncates floats and parses integer literals only', (t) => {
  t.is(pyInt(1699999999.9), 1699999999);
  t.is(pyInt(-1.5), -1);
  t.is(pyInt('1700000000'), 1700000000);
  t.is(pyInt(' +12 '), 12);
  t.is((t.throws(() => pyInt('1.5')) as GphError).reference?.message, "invalid literal for int() with base 10: '1.5'");
  t.is((t.throws(() => pyInt(Number.NaN)) as GphError).reference?.type, 'ValueError');
  t.is((t.throws(() => pyInt(Infinity)) as GphError).reference?.type, 'OverflowError');
});
