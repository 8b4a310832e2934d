import test from 'ava';
import { NOW, makeTree, names, renderIn, rounded, values } from '../_render-fixture.js';

const TREE = { 'm.a.x': [1, 2, null, 4], 'm.b.x': [10, null, null, 40], 'm.c.y': [5, 5, 5, 5] };

test('sumSeries adds point by point, ignoring nulls; an all-null row stays null', async (t) => {
  const dir = makeTree(t, TREE);
  const [s] = await renderIn(dir, 'sumSeries(m.*.x)');
  t.is(s.name, 'sumSeries(m.*.x)');
  t.deepEqual(s.tags, { name: 'sumSeries(m.*.x)', aggregatedBy: 'sum' });
  t.deepEqual(s.points(), [11, 2, null, 44]);
  t.is(s.start, NOW - 180);
  t.is(s.step, 60);
});

test('averageSeries, minSeries, maxSeries, rangeOfSeries, diffSeries, multiplySeries, stddevSeries', async (t) => {
  const dir = makeTree(t, TREE);
  const series = await renderIn(dir, [
    'averageSeries(m.*.x)',
    'minSeries(m.*.x)',
    'maxSeries(m.*.x)',
    'rangeOfSeries(m.*.x)',
    'diffSeries(m.a.x,m.b.x)',
    'multiplySeries(m.a.x,m.b.x)',
    'stddevSeries(m.*.x)',
  ]);
  t.deepEqual(rounded(series), [
    [5.5, 2, null, 22],
    [1, 2, null, 4],
    [10, 2, null, 40],
    [9, 0, null, 36],
    [-9, 2, null, -36],
    [10, null, null, 160],
    [4.5, 0, null, 18],
  ]);
  t.is(series[4].name, 'diffSeries(m.a.x,m.b.x)');
});

test('aggregate with xFilesFactor nulls rows with too few values; countSeries counts series as integers', async (t) => {
  const dir = makeTree(t, TREE);
  const [agg, count] = await renderIn(dir, ['aggregate(m.*.x,"sum",0.6)', 'countSeries(m.*.*)']);
  t.deepEqual(agg.points(), [11, null, null, 44]);
  t.deepEqual(count.points(), [3, 3, 3, 3]);
  t.true(count.integers);
});

test('divideSeries, asPercent and percentileOfSeries', async (t) => {
  const dir = makeTree(t, TREE);
  const [div, pct, total, , p50] = await renderIn(dir, ['divideSeries(m.a.x,m.b.x)', 'asPercent(m.a.x,10)', 'asPercent(m.*.x)', 'percentileOfSeries(m.*.*,50)']);
  t.deepEqual(rounded([div])[0], [0.1, null, null, 0.1]);
  t.is(div.name, 'divideSeries(m.a.x,m.b.x)');
  t.deepEqual(pct.points(), [10, 20, null, 40]);
  t.is(pct.name, 'asPercent(m.a.x,10)');
  t.deepEqual(rounded([total])[0], [9.090909091, 100, null, 9.090909091]);
  t.is(total.name, 'asPercent(m.a.x,sumSeries(m.*.x))');
  t.deepEqual(p50.points(), [5, 5, 5, 5]); // nearest rank of the non-null values per row
});

test('divideSeries by a missing series gives nulls named MISSING; by two series is an error', async (t) => {
  const dir = makeTree(t, TREE);
  const [missing] = await renderIn(dir, 'divideSeries(m.a.x,no.such)');
  t.is(missing.name, 'divideSeries(m.a.x,MISSING)');
  t.deepEqual(missing.points(), [null, null, null, null]);
  const error = await t.throwsAsync(renderIn(dir, 'divideSeries(m.a.x,m.*.x)'));
  t.regex(error!.message, /exactly 1 series \(got 2\)/);
});

test('groupByNode, groupByNodes, aggregateWithWildcards and sumSeriesWithWildcards key series by nodes', async (t) => {
  const dir = makeTree(t, TREE);
  const byNode = await renderIn(dir, 'groupByNode(m.*.*,2,"sum")');
  t.deepEqual(names(byNode), ['x', 'y']);
  t.deepEqual(values(byNode), [
    [11, 2, null, 44],
    [5, 5, 5, 5],
  ]);
  const wild = await renderIn(dir, 'sumSeriesWithWildcards(m.*.x,1)');
  t.deepEqual(names(wild), ['m.x']);
  t.deepEqual(wild[0].points(), [11, 2, null, 44]);
  const callback = await renderIn(dir, 'groupByNodes(m.*.*,"maxSeries",0)');
  t.deepEqual(names(callback), ['m']);
  t.deepEqual(callback[0].points(), [10, 5, 5, 40]);
});

test('series with different steps are combined at the least common multiple, by position', async (t) => {
  const dir = makeTree(t, { 'fine.x': [1, 3, 5, 7, 9, 11], 'coarse.x': { values: [100, 200, 300], step: 120 } });
  const [s] = await renderIn(dir, 'sumSeries(fine.x,coarse.x)', { from: '-6min' });
  t.is(s.step, 120);
  // fine.x is averaged in pairs starting at its own first point: (1+3)/2, (5+7)/2, (9+11)/2.
  t.deepEqual(s.points(), [102, 206, 310]);
});

test('mapSeries + reduceSeries apply a function to matched members of each group', async (t) => {
  const dir = makeTree(t, { 'h.a.used': [1, 2], 'h.a.total': [4, 4], 'h.b.used': [3, 3], 'h.b.total': [6, 12] });
  const series = await renderIn(dir, 'reduceSeries(mapSeries(h.*.*,1),"asPercent",2,"used","total")', { from: '-2min' });
  t.deepEqual(names(series), ['h.a.reduce.asPercent', 'h.b.reduce.asPercent']);
  t.deepEqual(values(series), [
    [25, 50],
    [50, 25],
  ]);
});

test('weightedAverage weighs averages by weights paired by node', async (t) => {
  const dir = makeTree(t, { 'w.a.avg': [10, 20], 'w.b.avg': [30, 40], 'w.a.n': [1, 3], 'w.b.n': [3, 1] });
  const [s] = await renderIn(dir, 'weightedAverage(w.*.avg,w.*.n,1)', { from: '-2min' });
  t.deepEqual(s.points(), [(10 * 1 + 30 * 3) / 4, (20 * 3 + 40 * 1) / 4]);
  t.is(s.name, 'weightedAverage(w.*.avg, w.*.n, 1)');
});

test('aliases: sum, avg, pct, map and reduce are the same functions', async (t) => {
  const dir = makeTree(t, TREE);
  const [a, b] = await renderIn(dir, ['sum(m.*.x)', 'sumSeries(m.*.x)']);
  t.deepEqual(a.points(), b.points());
  const [c, d] = await renderIn(dir, ['avg(m.*.x)', 'pct(m.a.x,10)']);
  t.deepEqual(c.points(), [5.5, 2, null, 22]);
  t.deepEqual(d.points(), [10, 20, null, 40]);
});
