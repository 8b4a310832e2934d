import test from 'ava';
import { isGphError } from '../../../src/lib/errors.js';
import { makeTree, names, renderIn, values } from './_render-fixture.js';

const TREE = { 'p.a.v': [1, 2], 'p.b.v': [3, 4] };
const opts = { from: '-2min' };

async function code(t: Parameters<typeof makeTree>[0], dir: string, target: string, request = {}): Promise<string | undefined> {
  const error = await t.throwsAsync(renderIn(dir, target, { ...opts, ...request }));
  return isGphError(error) ? error.code : `not a GphError: ${String(error)}`;
}

test('templates substitute positional, keyword and request values', async (t) => {
  const dir = makeTree(t, TREE);
  t.deepEqual(names(await renderIn(dir, 'template(p.$x.v,x="b")', opts)), ['p.b.v']);
  t.deepEqual(names(await renderIn(dir, 'template(sumSeries(p.$1.v),"{a,b}")', opts)), ['sumSeries(p.{a,b}.v)']);
  t.deepEqual(names(await renderIn(dir, 'template(p.$x.v,x="b")', { ...opts, template: { x: 'a' } })), ['p.a.v']);
});

test('keyword arguments bind by name and pipes pass the left side first', async (t) => {
  const dir = makeTree(t, TREE);
  t.deepEqual(values(await renderIn(dir, 'scale(p.a.v,factor=10)', opts)), [[10, 20]]);
  // graphite's grammar wants a positional argument before keywords: this is not a call
  await t.throwsAsync(renderIn(dir, 'scale(seriesList=p.a.v,factor=10)', opts), { message: /Cannot parse target/ });
  t.deepEqual(values(await renderIn(dir, 'p.a.v|scale(10)|offset(1)', opts)), [[11, 21]]);
  t.deepEqual(names(await renderIn(dir, 'p.a.v | scale(2)', opts)), ['scale(p.a.v,2)']);
});

test('every way a target can be wrong has its own error code', async (t) => {
  const dir = makeTree(t, TREE);
  t.is(await code(t, dir, 'noSuch(p.a.v)'), 'RENDER_UNKNOWN_FUNCTION');
  t.is(await code(t, dir, 'SCALE(p.a.v,2)'), 'RENDER_UNKNOWN_FUNCTION');
  t.is(await code(t, dir, 'scale(p.a.v,"x")'), 'RENDER_BAD_ARGUMENT');
  t.is(await code(t, dir, 'highest(p.*.v,1.5)'), 'RENDER_BAD_ARGUMENT');
  t.is(await code(t, dir, 'movingAverage(p.a.v,"5m")'), 'RENDER_BAD_ARGUMENT');
  t.is(await code(t, dir, 'scale(p.a.v)'), 'RENDER_BAD_ARGUMENT');
  t.is(await code(t, dir, 'scale(p.a.v,2,3)'), 'RENDER_BAD_ARGUMENT');
  t.is(await code(t, dir, 'scale(p.a.v,nope=2)'), 'RENDER_BAD_ARGUMENT');
  t.is(await code(t, dir, 'sumSeries(p.a.v'), 'RENDER_PARSE_ERROR');
  t.is(await code(t, dir, "seriesByTag('name=x')"), 'RENDER_UNSUPPORTED');
  t.is(await code(t, dir, 'p.a.v', { from: 'yesterday', until: 'yesterday' }), 'RENDER_EMPTY_RANGE');
  t.is(await code(t, dir, 'p.a.v', { from: '-5m' }), 'RENDER_BAD_TIME');
  t.is(await code(t, dir, 'p.a.v', { tz: 'Mars/Olympus' }), 'RENDER_BAD_TIMEZONE');
});

test('in graphite-compatible mode trailing text is ignored, as graphite-web does', async (t) => {
  const dir = makeTree(t, TREE);
  t.deepEqual(names(await renderIn(dir, 'scale(p.a.v,2)extra', { ...opts, strict: false })), ['scale(p.a.v,2)']);
  t.deepEqual(await renderIn(dir, 'sumSeries(p.a.v', { ...opts, strict: false }), []);
});

test('unknown metrics give an empty list, and from > until is swapped', async (t) => {
  const dir = makeTree(t, TREE);
  t.deepEqual(await renderIn(dir, 'no.such.metric', opts), []);
  t.deepEqual(await renderIn(dir, 'sumSeries(no.such)', opts), []);
  t.deepEqual(values(await renderIn(dir, 'p.a.v', { from: 'now', until: '-2min' })), [[1, 2]]);
});

test('a path used twice in one target is fetched once but each use gets its own values', async (t) => {
  const dir = makeTree(t, { g: [1, null, 3] });
  const [filled, raw] = await renderIn(dir, ['keepLastValue(g)', 'g'], { from: '-3min' });
  t.deepEqual(filled.points(), [1, 1, 3]);
  t.deepEqual(raw.points(), [1, null, 3]);
  const [sum] = await renderIn(dir, 'sumSeries(interpolate(g),g)', { from: '-3min' });
  t.deepEqual(sum.points(), [2, 2, 6]);
});
