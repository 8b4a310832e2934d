import test from 'ava';
import { makeTree, names, renderIn, values } from '../_render-fixture.js';

const SERVERS = { 's.a.cpu': [10, 20, 30, 40], 's.b.cpu': [50, 50, 50, 5], 's.c.cpu': [1, 1, null, 1], 's.d.cpu': [null, null, null, null] };

test('highest/lowest pick by an aggregate; a null aggregate sorts lowest', async (t) => {
  const dir = makeTree(t, SERVERS);
  t.deepEqual(names(await renderIn(dir, 'highestAverage(s.*.cpu,2)')), ['s.b.cpu', 's.a.cpu']);
  t.deepEqual(names(await renderIn(dir, 'highestCurrent(s.*.cpu,1)')), ['s.a.cpu']);
  t.deepEqual(names(await renderIn(dir, 'highestMax(s.*.cpu,1)')), ['s.b.cpu']);
  t.deepEqual(names(await renderIn(dir, 'lowest(s.*.cpu,2,"max")')), ['s.d.cpu', 's.c.cpu']);
  t.deepEqual(names(await renderIn(dir, 'lowestCurrent(s.*.cpu,1)')), ['s.d.cpu']);
});

test('threshold filters compare an aggregate; nulls count as below', async (t) => {
  const dir = makeTree(t, SERVERS);
  t.deepEqual(names(await renderIn(dir, 'currentAbove(s.*.cpu,4)')), ['s.a.cpu', 's.b.cpu']);
  t.deepEqual(names(await renderIn(dir, 'currentBelow(s.*.cpu,5)')), ['s.b.cpu', 's.c.cpu', 's.d.cpu']);
  t.deepEqual(names(await renderIn(dir, 'averageAbove(s.*.cpu,20)')), ['s.a.cpu', 's.b.cpu']);
  t.deepEqual(names(await renderIn(dir, 'maximumBelow(s.*.cpu,40)')), ['s.a.cpu', 's.c.cpu', 's.d.cpu']);
  t.deepEqual(names(await renderIn(dir, 'minimumAbove(s.*.cpu,1)')), ['s.a.cpu', 's.b.cpu']);
  t.deepEqual(names(await renderIn(dir, 'filterSeries(s.*.cpu,"sum",">=",100)')), ['s.a.cpu', 's.b.cpu']);
  const error = await t.throwsAsync(renderIn(dir, 'filterSeries(s.*.cpu,"sum","~",1)'));
  t.regex(error!.message, /operator/);
});

test('exclude, grep, limit, unique, removeEmptySeries and mostDeviant', async (t) => {
  const dir = makeTree(t, SERVERS);
  t.deepEqual(names(await renderIn(dir, 'exclude(s.*.cpu,"[ab]\\.")')), ['s.c.cpu', 's.d.cpu']);
  t.deepEqual(names(await renderIn(dir, 'grep(s.*.cpu,"^s\\.b")')), ['s.b.cpu']);
  t.deepEqual(names(await renderIn(dir, 'limit(s.*.cpu,2)')), ['s.a.cpu', 's.b.cpu']);
  t.deepEqual(names(await renderIn(dir, 'unique(s.a.cpu,s.*.cpu)')), ['s.a.cpu', 's.b.cpu', 's.c.cpu', 's.d.cpu']);
  t.deepEqual(names(await renderIn(dir, 'removeEmptySeries(s.*.cpu)')), ['s.a.cpu', 's.b.cpu', 's.c.cpu']);
  t.deepEqual(names(await renderIn(dir, 'removeEmptySeries(s.*.cpu,0.9)')), ['s.a.cpu', 's.b.cpu']);
  t.deepEqual(names(await renderIn(dir, 'mostDeviant(s.*.cpu,1)')), ['s.b.cpu']);
});

test('removeAboveValue, removeBelowValue and the percentile variants null out points', async (t) => {
  const dir = makeTree(t, SERVERS);
  const [above, below, abovePct] = await renderIn(dir, ['removeAboveValue(s.a.cpu,25)', 'removeBelowValue(s.a.cpu,25)', 'removeAbovePercentile(s.a.cpu,50)']);
  t.deepEqual(above.points(), [10, 20, null, null]);
  t.is(above.name, 'removeAboveValue(s.a.cpu, 25)');
  t.deepEqual(below.points(), [null, null, 30, 40]);
  t.deepEqual(abovePct.points(), [10, 20, 30, null]);
});

test('sortBy, sortByName (natural, reverse), sortByMaxima, sortByMinima, sortByTotal', async (t) => {
  const dir = makeTree(t, { 'n.h10': [1], 'n.h9': [3], 'n.h100': [2] });
  t.deepEqual(names(await renderIn(dir, 'sortByName(n.*)', { from: '-1min' })), ['n.h10', 'n.h100', 'n.h9']);
  t.deepEqual(names(await renderIn(dir, 'sortByName(n.*,true)', { from: '-1min' })), ['n.h9', 'n.h10', 'n.h100']);
  t.deepEqual(names(await renderIn(dir, 'sortByName(n.*,natural=true,reverse=true)', { from: '-1min' })), ['n.h100', 'n.h10', 'n.h9']);
  t.deepEqual(names(await renderIn(dir, 'sortBy(n.*,"max",true)', { from: '-1min' })), ['n.h9', 'n.h100', 'n.h10']);
  const servers = makeTree(t, SERVERS);
  t.deepEqual(names(await renderIn(servers, 'sortByMaxima(s.*.cpu)')), ['s.b.cpu', 's.a.cpu', 's.c.cpu', 's.d.cpu']);
  t.deepEqual(names(await renderIn(servers, 'sortByMinima(s.*.cpu)')), ['s.c.cpu', 's.b.cpu', 's.a.cpu']);
  t.deepEqual(names(await renderIn(servers, 'sortByTotal(s.*.cpu)')), ['s.b.cpu', 's.a.cpu', 's.c.cpu', 's.d.cpu']);
  t.deepEqual(values(await renderIn(servers, 'sortByTotal(s.c.cpu)')), [[1, 1, null, 1]]);
});
