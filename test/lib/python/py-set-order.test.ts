import test from 'ava';
import fc from 'fast-check';
import { pythonSetOrder } from '../../../src/lib/python/py-set-order.js';

test('pythonSetOrder() matches CPython for six consecutive minutes', (t) => {
  const minutes = Array.from({ length: 6 }, (_, i) => 1699999440 + 60 * i);
  t.deepEqual(pythonSetOrder(minutes), [1699999680, 1699999620, 1699999560, 1699999500, 1699999440, 1699999740]);
});

test('pythonSetOrder() keeps each distinct value once (property)', (t) => {
  fc.assert(
    fc.property(fc.array(fc.integer({ min: 0, max: 2 ** 32 }), { maxLength: 300 }), (keys) => {
      const order = pythonSetOrder(keys);
      return order.length === new Set(keys).size && order.every((k) => keys.includes(k));
    }),
  );
  t.pass();
});
