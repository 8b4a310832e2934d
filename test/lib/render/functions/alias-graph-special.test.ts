import test from 'ava';
import { NOW, makeTree, names, renderIn } from '../_render-fixture.js';

const TREE = { 'dc1.web01.cpu.user': [1, 2], 'dc1.web02.cpu.user': [3, 4] };
const opts = { from: '-2min' };

test('alias, aliasByNode (negative nodes, wrapped names), aliasByMetric, aliasSub and substr', async (t) => {
  const dir = makeTree(t, TREE);
  t.deepEqual(names(await renderIn(dir, 'alias(dc1.*.cpu.user,"CPU")', opts)), ['CPU', 'CPU']);
  t.deepEqual(names(await renderIn(dir, 'aliasByNode(dc1.*.cpu.user,1,-1)', opts)), ['web01.user', 'web02.user']);
  t.deepEqual(names(await renderIn(dir, 'aliasByNode(scale(dc1.*.cpu.user,2),1)', opts)), ['web01', 'web02']);
  t.deepEqual(names(await renderIn(dir, 'aliasByMetric(dc1.*.cpu.user)', opts)), ['user', 'user']);
  t.deepEqual(names(await renderIn(dir, 'aliasSub(dc1.*.cpu.user,"^dc1\\.(\\w+)\\..*$","\\1 cpu")', opts)), ['web01 cpu', 'web02 cpu']);
  t.deepEqual(names(await renderIn(dir, 'substr(dc1.web01.cpu.user,1,3)', opts)), ['web01.cpu']);
});

test('legendValue appends aggregates; cactiStyle aligns columns', async (t) => {
  const dir = makeTree(t, TREE);
  t.deepEqual(names(await renderIn(dir, 'legendValue(dc1.web01.cpu.user,"avg","max")', opts)), ['dc1.web01.cpu.user (avg: 1.5) (max: 2.0)']);
  const cacti = names(await renderIn(dir, 'cactiStyle(dc1.*.cpu.user)', opts));
  t.deepEqual(cacti, ['dc1.web01.cpu.user Current:2.00    Max:2.00    Min:1.00    ', 'dc1.web02.cpu.user Current:4.00    Max:4.00    Min:3.00    ']);
});

test('graph functions set drawing options and names', async (t) => {
  const dir = makeTree(t, TREE);
  const [colored] = await renderIn(dir, 'color(dc1.web01.cpu.user,"red")', opts);
  t.is(colored.color, 'red');
  const [dashed] = await renderIn(dir, 'dashed(dc1.web01.cpu.user)', opts);
  t.is(dashed.name, 'dashed(dc1.web01.cpu.user, 5)');
  t.is(dashed.options.dashed, 5);
  const [second] = await renderIn(dir, 'secondYAxis(dc1.web01.cpu.user)', opts);
  t.true(second.options.secondYAxis);
  const stacked = await renderIn(dir, 'stacked(dc1.*.cpu.user)', opts);
  t.deepEqual(stacked.map((s) => s.points()), [
    [1, 2],
    [4, 6],
  ]);
  t.deepEqual(names(stacked), ['stacked(dc1.web01.cpu.user)', 'stacked(dc1.web02.cpu.user)']);
  const error = await t.throwsAsync(renderIn(dir, 'areaBetween(dc1.web01.cpu.user)', opts));
  t.regex(error!.message, /exactly 2 series/);
});

test('constantLine and threshold span the range with three points', async (t) => {
  const dir = makeTree(t, TREE);
  const [line, limit] = await renderIn(dir, ['constantLine(5)', 'threshold(9,"limit","red")'], { from: '-2h' });
  t.is(line.name, '5.0');
  t.deepEqual(line.datapoints(), [
    [5, NOW - 7200],
    [5, NOW - 3600],
    [5, NOW],
  ]);
  t.is(limit.name, 'limit');
  t.is(limit.color, 'red');
});

test('consolidateBy sets how maxDataPoints merges; fallbackSeries and setXFilesFactor', async (t) => {
  const dir = makeTree(t, TREE);
  const [sum] = await renderIn(dir, 'consolidateBy(dc1.web01.cpu.user,"sum")', opts);
  t.is(sum.consolidationFunc, 'sum');
  t.is(sum.name, 'consolidateBy(dc1.web01.cpu.user,"sum")');
  t.deepEqual(names(await renderIn(dir, 'fallbackSeries(no.such,dc1.web02.cpu.user)', opts)), ['dc1.web02.cpu.user']);
  const [xff] = await renderIn(dir, 'xFilesFactor(dc1.web01.cpu.user,0.5)', opts);
  t.is(xff.xFilesFactor, 0.5);
  t.is(xff.tags.xFilesFactor, '0.5');
});

test('randomWalk starts at 0 and moves less than half a unit per step', async (t) => {
  const dir = makeTree(t, TREE);
  const [walk] = await renderIn(dir, 'randomWalk("walk",60)', { from: '-10min' });
  t.is(walk.name, 'walk');
  const points = walk.points() as number[];
  t.is(points.length, 10);
  t.is(points[0], 0);
  for (let i = 1; i < points.length; i++) t.true(Math.abs(points[i] - points[i - 1]) <= 0.5);
});

test('verticalLine marks one instant inside the range and refuses one outside it', async (t) => {
  const dir = makeTree(t, TREE);
  const [line] = await renderIn(dir, `verticalLine("${NOW - 60}","deploy","red")`, opts);
  t.is(line.name, 'deploy');
  t.is(line.start, NOW - 60);
  t.true(line.options.drawAsInfinite as boolean);
  const error = await t.throwsAsync(renderIn(dir, `verticalLine("${NOW - 3600}")`, opts));
  t.regex(error!.message, /before start of range/);
});
