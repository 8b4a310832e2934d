import test from 'ava';
import { youngGenerationCollector } from '../../src/lib/young-generation-collector.js';

test('the young-generation collector is there on Node 20 (V8), is one function, and collects without throwing', (t) => {
  const collect = youngGenerationCollector();
  t.is(typeof collect, 'function');
  t.is(youngGenerationCollector(), collect);
  let garbage: Array<{ n: number }> | undefined = Array.from({ length: 100_000 }, (_, n) => ({ n }));
  t.is(garbage.length, 100_000);
  garbage = undefined;
  t.notThrows(() => collect!());
  t.is(garbage, undefined);
});
