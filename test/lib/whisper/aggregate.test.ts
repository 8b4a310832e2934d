import test from 'ava';
import { aggregate } from '../../../src/lib/whisper/aggregate.js';

test('aggregate() follows Python semantics for every method', (t) => {
  t.is(aggregate('average', [1, 2, 3, 4]), 2.5);
  t.is(aggregate('average', [0.1, 0.2, 0.3]), 0.20000000000000004);
  t.is(aggregate('sum', [1, 2, 3]), 6);
  t.true(Object.is(aggregate('sum', [-0, -0]), 0));
  t.is(aggregate('last', [1, 2, 3]), 3);
  t.is(aggregate('max', [1, 5, 3]), 5);
  t.is(aggregate('min', [4, 2, 3]), 2);
  t.is(aggregate('avg_zero', [2, 4], [2, null, 4, null]), 1.5);
  t.is(aggregate('absmax', [-2, 2]), -2);
  t.is(aggregate('absmax', [5, -5]), 5);
  t.is(aggregate('absmin', [-1, 1]), -1);
});

test('aggregate() keeps a leading NaN and ignores a later one for max/min', (t) => {
  t.true(Number.isNaN(aggregate('max', [Number.NaN, 1, 2])));
  t.is(aggregate('max', [1, Number.NaN, 2]), 2);
  t.is(aggregate('min', [3, Number.NaN, 2]), 2);
});

test('aggregate() rejects unknown methods and avg_zero without neighbours', (t) => {
  t.throws(() => aggregate('median', [1]), { message: 'Unrecognized aggregation method median' });
  t.throws(() => aggregate('avg_zero', [1], []), { message: 'Using avg_zero without neighborValues' });
});
