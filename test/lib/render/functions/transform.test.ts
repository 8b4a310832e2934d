import test from 'ava';
import { NOW, makeTree, names, renderIn, values } from '../_render-fixture.js';

test('scale, offset, add, absolute, invert, pow and squareRoot map every non-null point and rename', async (t) => {
  const dir = makeTree(t, { x: [-4, 2, null, 8] });
  const series = await renderIn(dir, ['scale(x,0.5)', 'offset(x,1)', 'add(x,1.5)', 'absolute(x)', 'invert(x)', 'pow(x,2)', 'squareRoot(x)']);
  t.deepEqual(names(series), ['scale(x,0.5)', 'offset(x,1)', 'add(x,1)', 'absolute(x)', 'invert(x)', 'pow(x,2)', 'squareRoot(x)']);
  t.deepEqual(values(series), [
    [-2, 1, null, 4],
    [-3, 3, null, 9],
    [-2.5, 3.5, null, 9.5],
    [4, 2, null, 8],
    [-0.25, 0.5, null, 0.125],
    [16, 4, null, 64],
    [null, Math.SQRT2, null, Math.sqrt(8)],
  ]);
  t.deepEqual(series[0].tags, { name: 'x', scale: '0.5' });
});

test('derivative, nonNegativeDerivative (with counter wrap) and perSecond', async (t) => {
  const dir = makeTree(t, { c: [10, 70, 130, 40, 100] });
  const [d, nn, wrap, ps] = await renderIn(dir, ['derivative(c)', 'nonNegativeDerivative(c)', 'nonNegativeDerivative(c,199)', 'perSecond(c)'], { from: '-5min' });
  t.deepEqual(d.points(), [null, 60, 60, -90, 60]);
  t.deepEqual(nn.points(), [null, 60, 60, null, 60]);
  // wrap at 199: 130 -> 40 is (199 + 1 - 130) + 40 = 110
  t.deepEqual(wrap.points(), [null, 60, 60, 110, 60]);
  t.deepEqual(ps.points(), [null, 1, 1, null, 1]);
  t.deepEqual(nn.tags, { name: 'c', nonNegativeDerivative: '1' });
});

test('integral keeps nulls without resetting; keepLastValue and interpolate fill bounded gaps', async (t) => {
  const dir = makeTree(t, { g: [1, null, null, 4, null, null, null, 8] });
  const [integral, keep, keep2, interp, interp2] = await renderIn(dir, ['integral(g)', 'keepLastValue(g)', 'keepLastValue(g,2)', 'interpolate(g)', 'interpolate(g,2)'], { from: '-8min' });
  t.deepEqual(integral.points(), [1, null, null, 5, null, null, null, 13]);
  t.deepEqual(keep.points(), [1, 1, 1, 4, 4, 4, 4, 8]);
  t.deepEqual(keep2.points(), [1, 1, 1, 4, null, null, null, 8]);
  t.deepEqual(interp.points(), [1, 2, 3, 4, 5, 6, 7, 8]);
  t.deepEqual(interp2.points(), [1, 2, 3, 4, null, null, null, 8]);
});

test('transformNull, isNonNull, delay and changed', async (t) => {
  const dir = makeTree(t, { n: [3, null, 3, 5] });
  const [tn, tn5, nonNull, later, earlier, changed] = await renderIn(dir, ['transformNull(n)', 'transformNull(n,5)', 'isNonNull(n)', 'delay(n,1)', 'delay(n,-1)', 'changed(n)']);
  t.deepEqual(tn.points(), [3, 0, 3, 5]);
  t.is(tn.name, 'transformNull(n,0)');
  t.deepEqual(tn.tags.transformNull, '0');
  t.deepEqual(tn5.tags.transformNull, '5.0');
  t.deepEqual(nonNull.points(), [1, 0, 1, 1]);
  t.deepEqual(later.points(), [null, 3, null, 3]);
  t.deepEqual(earlier.points(), [null, 3, 5, null]);
  t.deepEqual(changed.points(), [0, 0, 0, 1]);
});

test('log, exp, logit, sigmoid, minMax, offsetToZero and round (halves to even)', async (t) => {
  const dir = makeTree(t, { v: [0.5, 2.5, 8, -1] });
  const [log2, minMax, zero, round, round1] = await renderIn(dir, ['log(v,2)', 'minMax(v)', 'offsetToZero(v)', 'round(v)', 'round(v,1)']);
  t.deepEqual(log2.points(), [-1, Math.log(2.5) / Math.log(2), 3, null]);
  t.is(log2.name, 'log(v, 2)');
  t.deepEqual(minMax.points(), [1.5 / 9, 3.5 / 9, 1, 0]);
  t.deepEqual(zero.points(), [1.5, 3.5, 9, 0]);
  t.deepEqual(round.points(), [0, 2, 8, -1]);
  t.deepEqual(round1.points(), [0.5, 2.5, 8, -1]);
  const [logit, sigmoid] = await renderIn(makeTree(t, { p: [0.5, 0.75, 1, 0] }), ['logit(p)', 'sigmoid(p)']);
  t.deepEqual(logit.points(), [0, Math.log(3), null, null]);
  t.deepEqual(sigmoid.points(), [0.5, 0.75, 1, 0].map((x) => 1 / (1 + Math.exp(-x))));
});

test('summarize buckets by the interval, aligned to the epoch or to the series start', async (t) => {
  const dir = makeTree(t, { s: [1, 2, 3, 4, 5, 6] });
  const [epochAligned, fromAligned, avg] = await renderIn(dir, ['summarize(s,"2min")', 'summarize(s,"4min","sum",true)', 'summarize(s,"3min","avg")'], { from: '-6min' });
  // points at NOW-300 .. NOW; NOW is a multiple of 120 and 180.
  t.is(epochAligned.start, NOW - 360);
  t.deepEqual(epochAligned.points(), [1, 5, 9, 6]);
  t.is(epochAligned.name, 'summarize(s, "2min", "sum")');
  t.deepEqual(fromAligned.points(), [10, 11]);
  t.is(avg.start, NOW - 360);
  t.deepEqual(avg.points(), [1.5, 4, 6]);
});

test('hitcount turns per-second rates into counts per interval', async (t) => {
  const dir = makeTree(t, { r: [1, 1, 2, 2] });
  const [s] = await renderIn(dir, 'hitcount(r,"2min")');
  t.is(s.step, 120);
  t.deepEqual(s.points(), [120, 240]);
  t.is(s.name, 'hitcount(r, "2min")');
});

test('timeShift refetches the earlier range and stamps it on the request range', async (t) => {
  const dir = makeTree(t, { ts: [1, 2, 3, 4, 5, 6] });
  const [s] = await renderIn(dir, 'timeShift(ts,"2min")', { from: '-3min' });
  t.is(s.name, 'timeShift(ts, "-2min")');
  t.is(s.start, NOW - 120);
  t.deepEqual(s.points(), [2, 3, 4]);
});

test('timeFunction and sinFunction generate values over the range', async (t) => {
  const dir = makeTree(t, { x: [1] });
  const [time, sin] = await renderIn(dir, ['timeFunction("t",60)', 'sinFunction("s",2,60)'], { from: '-3min' });
  t.deepEqual(time.points(), [NOW - 180, NOW - 120, NOW - 60]);
  t.deepEqual(sin.points(), [NOW - 180, NOW - 120, NOW - 60].map((x) => 2 * Math.sin(x)));
});

test('integralByInterval restarts the sum at each interval from the range start', async (t) => {
  const dir = makeTree(t, { i: [1, 2, 3, 4] });
  const [s] = await renderIn(dir, 'integralByInterval(i,"2min")');
  // from = NOW-240; boundaries every 2 minutes from there: NOW-120 and NOW start new sums.
  t.deepEqual(s.points(), [1, 2, 5, 4]);
  t.is(s.name, "integralByInterval(i,'2min')");
});
