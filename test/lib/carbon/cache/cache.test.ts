import test from 'ava';
import fc from 'fast-check';
import { ManualClock } from '../../../../src/lib/clock.js';
import { drainOrder } from '../../../../src/lib/carbon/cache/drain-order.js';
import { MetricCache } from '../../../../src/lib/carbon/cache/metric-cache.js';
import { TokenBucket } from '../../../../src/lib/carbon/cache/token-bucket.js';

const unlimited = { maxSize: Infinity, lowWatermark: Infinity, flowControl: true };

test('MetricCache.store() replaces a re-sent timestamp without growing', (t) => {
  const cache = new MetricCache(unlimited);
  cache.store('a', 1, 1);
  cache.store('a', 1, 2);
  cache.store('a', 2, 3);
  t.is(cache.size, 2);
  t.deepEqual(cache.get('a'), [[1, 2], [2, 3]]);
  t.deepEqual(cache.pop('a'), [[1, 2], [2, 3]]);
  t.is(cache.size, 0);
});

test('MetricCache signals full and room again; without flow control it drops and counts', (t) => {
  const events: string[] = [];
  const dropping = new MetricCache({ maxSize: 2, lowWatermark: 1, flowControl: false });
  dropping.onFull = () => events.push('full');
  dropping.onSpaceAvailable = () => events.push('room');
  t.true(dropping.store('a', 1, 1));
  t.true(dropping.store('b', 1, 1));
  t.false(dropping.store('c', 1, 1));
  t.is(dropping.overflow, 1);
  t.is(dropping.countOf('c'), 0);
  dropping.pop('a');
  t.deepEqual(events, ['full']);
  dropping.pop('b');
  t.deepEqual(events, ['full', 'room']);

  const pausing = new MetricCache({ maxSize: 2, lowWatermark: 1, flowControl: true });
  for (let i = 0; i < 5; i++) t.true(pausing.store('m', i, i));
  t.is(pausing.size, 5);
  t.true(pausing.isFull);
  t.is(pausing.overflow, 0);
});

test('drainOrder() follows each CACHE_WRITE_STRATEGY', (t) => {
  const cache = new MetricCache(unlimited);
  cache.store('few', 30, 1);
  for (let i = 0; i < 3; i++) cache.store('many', 40 + i, 1);
  cache.store('two', 10, 1);
  cache.store('two', 50, 1);
  t.deepEqual([...drainOrder(cache, 'sorted')], ['many', 'two', 'few']);
  t.deepEqual([...drainOrder(cache, 'naive')], ['two', 'many', 'few']);
  t.deepEqual([...drainOrder(cache, 'timesorted')], ['two', 'few', 'many']);
  const max: string[] = [];
  for (const metric of drainOrder(cache, 'max')) {
    max.push(metric);
    cache.pop(metric);
  }
  t.deepEqual(max, ['many', 'two', 'few']);
});

test('TokenBucket refills on the injected clock', (t) => {
  const clock = new ManualClock(1000);
  const bucket = new TokenBucket(clock, 2, 2);
  t.true(bucket.tryTake());
  t.true(bucket.tryTake());
  t.false(bucket.tryTake());
  t.is(bucket.waitMs(), 500);
  clock.advance(0.5);
  t.true(bucket.tryTake());
  t.true(new TokenBucket(clock, Infinity, Infinity).tryTake());
});

test('MetricCache.restore() never replaces a newer value and ignores the size limit', (t) => {
  const cache = new MetricCache({ maxSize: 1, lowWatermark: 0, flowControl: false });
  cache.store('a', 60, 999);
  cache.restore('a', 60, 1);
  cache.restore('a', 120, 2);
  t.deepEqual(cache.get('a'), [[60, 999], [120, 2]]);
  t.is(cache.size, 2);
});

test('MetricCache replaces re-sent timestamps before and after it indexes a busy metric (property)', (t) => {
  fc.assert(
    fc.property(fc.array(fc.tuple(fc.integer({ min: 0, max: 80 }), fc.double({ noNaN: true })), { maxLength: 300 }), (points) => {
      const cache = new MetricCache(unlimited);
      const expected = new Map<number, number>();
      for (const [t0, v] of points) {
        cache.store('m', t0, v);
        expected.set(t0, v);
      }
      return cache.size === expected.size && JSON.stringify(cache.get('m')) === JSON.stringify([...expected]);
    }),
  );
  t.pass();
});

test('MetricCache finds re-sent timestamps of in-order metrics (binary search) and of metrics that went out of order (property)', (t) => {
  // Mostly ascending timestamps, with re-sends (step 0), jumps back, and restores.
  const op = fc.tuple(fc.constantFrom('store', 'store', 'store', 'restore'), fc.integer({ min: -40, max: 3 }), fc.double({ noNaN: true }));
  fc.assert(
    fc.property(fc.array(op, { maxLength: 400 }), (ops) => {
      const cache = new MetricCache(unlimited);
      const expected = new Map<number, number>();
      let time = 1000;
      for (const [kind, step, v] of ops) {
        time += step < -3 ? step : Math.max(step, 0);
        if (kind === 'store') {
          cache.store('m', time, v);
          expected.set(time, v);
        } else {
          cache.restore('m', time, v);
          if (!expected.has(time)) expected.set(time, v);
        }
      }
      return cache.size === expected.size && cache.countOf('m') === expected.size && JSON.stringify(cache.get('m')) === JSON.stringify([...expected]);
    }),
    { numRuns: 500 },
  );
  t.pass();
});

test('MetricCache.storeById() holds what store() holds, through pops, restores, forgotten and reassigned ids and a full cache (property)', (t) => {
  const names = ['a', 'b', 'c'];
  const op = fc.tuple(
    fc.constantFrom('byId', 'byId', 'byId', 'store', 'restore', 'pop', 'pop', 'forget'),
    fc.integer({ min: 0, max: names.length - 1 }),
    fc.integer({ min: -3, max: 3 }),
    fc.double({ noNaN: true }),
  );
  fc.assert(
    fc.property(fc.array(op, { maxLength: 300 }), fc.constantFrom(Infinity, 20), fc.boolean(), (ops, maxSize, arrivalOrder) => {
      const limits = { maxSize, lowWatermark: maxSize / 2, flowControl: false };
      const cache = new MetricCache(limits, { arrivalOrder, maxResting: 2 });
      const model = new MetricCache(limits, { arrivalOrder, maxResting: 0 });
      // Order matters with arrivalOrder only (the model forgets written metrics at once, so they come back last).
      const order = (counts: Array<[string, number]>): string => JSON.stringify(arrivalOrder ? counts : counts.sort((x, y) => (x[0] < y[0] ? -1 : 1)));
      // A name table that starts again gives the names other ids.
      let shift = 0;
      let time = 100;
      for (const [kind, which, step, v] of ops) {
        const metric = names[which];
        time += step;
        if (kind === 'byId' && cache.storeById((which + shift) % names.length, metric, time, v) !== model.store(metric, time, v)) return false;
        if (kind === 'store' && cache.store(metric, time, v) !== model.store(metric, time, v)) return false;
        if (kind === 'restore') {
          cache.restore(metric, time, v);
          model.restore(metric, time, v);
        }
        if (kind === 'pop' && JSON.stringify(cache.pop(metric)) !== JSON.stringify(model.pop(metric))) return false;
        if (kind === 'forget') {
          cache.forgetIds();
          shift++;
        }
        if (cache.size !== model.size || cache.metricCount !== model.metricCount || order(cache.counts()) !== order(model.counts())) return false;
        if (order(cache.oldest()) !== order(model.oldest())) return false;
      }
      return names.every((name) => JSON.stringify(cache.get(name)) === JSON.stringify(model.get(name))) && cache.overflow === model.overflow;
    }),
    { numRuns: 2000 },
  );
  t.pass();
});

test('MetricCache: a written metric rests (not counted, not listed) until its next point; naive order sees it arrive again', (t) => {
  for (const arrivalOrder of [false, true]) {
    const cache = new MetricCache(unlimited, { arrivalOrder });
    cache.store('a', 1, 1);
    cache.store('b', 1, 1);
    t.deepEqual(cache.pop('a'), [[1, 1]]);
    t.is(cache.metricCount, 1);
    t.deepEqual(cache.names(), ['b']);
    t.deepEqual(cache.get('a'), []);
    t.is(cache.pop('a'), undefined);
    cache.store('a', 2, 2);
    t.is(cache.metricCount, 2);
    t.deepEqual(cache.names(), arrivalOrder ? ['b', 'a'] : ['a', 'b']);
    t.deepEqual(cache.oldest(), arrivalOrder ? [['b', 1], ['a', 2]] : [['a', 2], ['b', 1]]);
  }
});
