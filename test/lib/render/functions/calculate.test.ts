import test from 'ava';
import { NOW, makeTree, renderIn, rounded } from '../_render-fixture.js';

const RAMP = { r: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10] };

test('movingAverage averages the window before each point, using data from before the range', async (t) => {
  const dir = makeTree(t, RAMP);
  const [s, byTime] = await renderIn(dir, ['movingAverage(r,3)', 'movingAverage(r,"2min")']);
  t.is(s.name, 'movingAverage(r,3)');
  t.is(s.start, NOW - 180);
  // points stamped NOW-180..NOW are 7..10; the windows before them are 4,5,6 / 5,6,7 / ...
  t.deepEqual(s.points(), [5, 6, 7, 8]);
  t.deepEqual(s.tags, { name: 'r', movingAverage: '3' });
  t.is(byTime.name, 'movingAverage(r,"2min")');
  t.deepEqual(byTime.points(), [5.5, 6.5, 7.5, 8.5]);
});

test('movingSum, movingMin, movingMax, movingMedian and movingWindow with xFilesFactor', async (t) => {
  const dir = makeTree(t, { g: [1, null, 3, null, 5, 6, 7, 8] });
  const series = await renderIn(dir, ['movingSum(g,2)', 'movingMin(g,2)', 'movingMax(g,2)', 'movingMedian(g,3)', 'movingWindow(g,2,"sum",1)']);
  // The range holds 5,6,7,8 (NOW-180..NOW); the windows reach back to 3 and the nulls before them.
  t.deepEqual(rounded(series), [
    [3, 5, 11, 13],
    [3, 5, 5, 6],
    [3, 5, 6, 7],
    [3, 4, 5.5, 6],
    [null, null, 11, 13],
  ]);
});

test('exponentialMovingAverage is seeded with the mean of the first window and has one extra point', async (t) => {
  const dir = makeTree(t, RAMP);
  const [s] = await renderIn(dir, 'exponentialMovingAverage(r,3)');
  const k = 2 / 4;
  let ema = (4 + 5 + 6) / 3;
  const expected = [ema];
  for (const v of [7, 8, 9, 10]) expected.push((ema = k * v + (1 - k) * ema));
  t.deepEqual(s.points(), expected.map((v) => Math.round(v * 1e6) / 1e6));
  t.is(s.start, NOW - 180);
});

test('nPercentile draws a flat line at the percentile; stdev is a rolling population deviation', async (t) => {
  const dir = makeTree(t, { p: [1, 2, 3, 4] });
  const [pct, sd] = await renderIn(dir, ['nPercentile(p,50)', 'stdev(p,2)']);
  t.deepEqual(pct.points(), [3, 3, 3, 3]); // nearest rank: ceil(0.5 * (4 + 1)) = 3rd value
  t.is(pct.name, 'nPercentile(p, 50)');
  t.deepEqual(sd.points(), [0, 0.5, 0.5, 0.5]);
});

test('linearRegression fits a line through the source range', async (t) => {
  const dir = makeTree(t, { l: [3, 5, 7, 9] });
  const [s] = await renderIn(dir, 'linearRegression(l)');
  t.deepEqual(rounded([s]), [[3, 5, 7, 9]]);
  t.is(s.name, `linearRegression(l, ${NOW - 240}, ${NOW})`);
});

test('aggregateLine and holtWintersForecast', async (t) => {
  const dir = makeTree(t, { a: [1, 2, 3, 6] });
  const [line, kept] = await renderIn(dir, ['aggregateLine(a,"max")', 'aggregateLine(a,"avg",true)']);
  t.deepEqual(line.points(), [6, 6, 6]);
  t.is(line.name, 'aggregateLine(a, 6)');
  t.deepEqual(kept.points(), [3, 3, 3, 3]);
  const [hw] = await renderIn(dir, 'holtWintersForecast(a,"2min")');
  t.is(hw.name, 'holtWintersForecast(a)');
  t.is(hw.points().length, 4);
  // The bootstrap window holds no data, so the first point has no prediction yet.
  t.is(hw.points()[0], null);
  t.true(hw.points().slice(1).every((v) => typeof v === 'number'));
});
