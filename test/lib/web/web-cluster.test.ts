import test from 'ava';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import fs from 'node:fs';
import path from 'node:path';
import { create } from '../../../src/lib/whisper/create.js';
import { parseRetentions } from '../../../src/lib/whisper/retention.js';
import { ManualClock } from '../../../src/lib/clock.js';
import { silentLogger, type Logger } from '../../../src/lib/logger.js';
import { WebServer } from '../../../src/lib/web/web-server.js';
import { type WebSettings, defaultWebSettings } from '../../../src/lib/web/web-settings.js';
import { freePort } from '../../_helpers/free-port.js';
import { NOW, makeTree } from '../render/_render-fixture.js';

type Tree = Parameters<typeof makeTree>[1];

async function node(t: Parameters<typeof makeTree>[0], tree: Tree, extra: Partial<WebSettings> = {}, logger: Logger = silentLogger) {
  const dir = makeTree(t, tree);
  const clock = new ManualClock(NOW);
  const web = new WebServer({ settings: { ...defaultWebSettings(dir), WHISPER_DIR: dir, DEFAULT_CACHE_DURATION: 0, ...extra }, clock, logger });
  const port = await web.listen(0);
  t.teardown(() => web.close());
  const get = async (query: string) => {
    const response = await globalThis.fetch(`http://127.0.0.1:${port}${query}`);
    return { status: response.status, text: await response.text() };
  };
  return { port, get, clock, dir };
}

const R = `from=-3min&now=${NOW}&format=json`;
const targets = (text: string): Record<string, Array<number | null>> =>
  Object.fromEntries((JSON.parse(text) as Array<{ target: string; datapoints: Array<[number | null, number]> }>).map((s) => [s.target, s.datapoints.map(([v]) => v)]));

test('CLUSTER_SERVERS: find and render merge a peer\'s metrics; local=1 answers from this node only', async (t) => {
  const peer = await node(t, { 'shop.b.sales': [10, 20, 30], 'shop.both.sales': [null, 5, null] });
  for (const format of ['pickle', 'msgpack']) {
    const spec = `127.0.0.1:${peer.port}${format === 'msgpack' ? '?format=msgpack' : ''}`;
    const front = await node(t, { 'shop.a.sales': [1, 2, 3], 'shop.both.sales': [7, null, null] }, { CLUSTER_SERVERS: [spec] });
    const found = JSON.parse((await front.get('/metrics/find?query=shop.*&format=completer')).text) as { metrics: Array<{ path: string }> };
    t.deepEqual(found.metrics.map((m) => m.path).sort(), ['shop.a.', 'shop.b.', 'shop.both.'], format);
    const local = JSON.parse((await front.get('/metrics/find?query=shop.*&format=completer&local=1')).text) as { metrics: Array<{ path: string }> };
    t.deepEqual(local.metrics.map((m) => m.path).sort(), ['shop.a.', 'shop.both.']);
    t.deepEqual(JSON.parse((await front.get('/metrics/expand?query=shop.*.sales&leavesOnly=1')).text), { results: ['shop.a.sales', 'shop.b.sales', 'shop.both.sales'] });
    t.deepEqual(JSON.parse((await front.get('/metrics/index.json')).text), ['shop.a.sales', 'shop.b.sales', 'shop.both.sales']);
    const rendered = targets((await front.get(`/render?target=shop.*.sales&${R}`)).text);
    t.deepEqual(rendered, { 'shop.a.sales': [1, 2, 3], 'shop.b.sales': [10, 20, 30], 'shop.both.sales': [7, 5, null] }, format);
    t.deepEqual(targets((await front.get(`/render?target=sumSeries(shop.*.sales)&${R}`)).text)['sumSeries(shop.*.sales)'], [18, 27, 33]);
    t.deepEqual(Object.keys(targets((await front.get(`/render?target=shop.*.sales&${R}&local=1`)).text)), ['shop.a.sales', 'shop.both.sales']);
  }
});

test('a peer that is down is left out, reported, and not asked again before REMOTE_RETRY_DELAY', async (t) => {
  const downPort = await freePort();
  const warnings: string[] = [];
  const logger: Logger = { ...silentLogger, warn: (m: string) => warnings.push(m) };
  const front = await node(t, { 'shop.a.sales': [1, 2, 3] }, { CLUSTER_SERVERS: [`127.0.0.1:${downPort}`], REMOTE_RETRY_DELAY: 60 }, logger);
  t.deepEqual(targets((await front.get(`/render?target=shop.*.sales&${R}`)).text), { 'shop.a.sales': [1, 2, 3] });
  t.is(warnings.filter((w) => w.includes(`127.0.0.1:${downPort}`)).length, 1);
  await front.get(`/render?target=shop.a.*&${R}`);
  t.is(warnings.filter((w) => w.includes(`127.0.0.1:${downPort}`)).length, 1, 'skipped while disabled');
  front.clock.advance(61);
  await front.get(`/render?target=shop.a.sales&${R}`);
  t.is(warnings.filter((w) => w.includes(`127.0.0.1:${downPort}`)).length, 2, 'asked again after the delay');
});

test("with MEMCACHE_HOSTS, peers' find answers are reused for FIND_CACHE_DURATION", async (t) => {
  const peer = await node(t, { 'app.one.hits': [1, 2, 3] });
  // graphite-web caches peers' finds only in memcached (its cache does nothing without MEMCACHE_HOSTS); none answers here, which is a cache miss.
  const front = await node(t, { 'app.local.hits': [1, 2, 3] }, { CLUSTER_SERVERS: [`127.0.0.1:${peer.port}`], FIND_CACHE_DURATION: 300, MEMCACHE_HOSTS: [`127.0.0.1:${await freePort()}`] });
  const paths = async (): Promise<string[]> => (JSON.parse((await front.get('/metrics/find?query=app.*&format=completer')).text) as { metrics: Array<{ path: string }> }).metrics.map((m) => m.path).sort();
  t.deepEqual(await paths(), ['app.local.', 'app.one.']);
  fs.mkdirSync(path.join(peer.dir, 'app', 'two'), { recursive: true });
  create(path.join(peer.dir, 'app', 'two', 'hits.wsp'), parseRetentions('60:1440'));
  t.deepEqual(await paths(), ['app.local.', 'app.one.'], 'cached');
  front.clock.advance(301);
  t.deepEqual(await paths(), ['app.local.', 'app.one.', 'app.two.'], 'asked again once the answer expired');
});

test('what graphite-web peers send is answered: tag lookups (empty), seriesByTag with local=1 (no series), multipart POST forms', async (t) => {
  const gph = await node(t, { 'shop.a.sales': [1, 2, 3] });
  t.deepEqual(JSON.parse((await gph.get('/tags/autoComplete/tags?tagPrefix=na&local=1')).text), []);
  t.deepEqual(JSON.parse((await gph.get('/tags/autoComplete/values?tag=name&local=1')).text), []);
  const mixed = await gph.get(`/render?target=${encodeURIComponent("seriesByTag('name=zzz')")}&target=shop.a.sales&${R}&local=1`);
  t.deepEqual(Object.keys(targets(mixed.text)), ['shop.a.sales']);
  const form = new FormData();
  for (const [k, v] of [['local', '1'], ['format', 'completer'], ['query', 'shop.*']]) form.append(k, v);
  const posted = await globalThis.fetch(`http://127.0.0.1:${gph.port}/metrics/find/`, { method: 'POST', body: form });
  t.is(posted.status, 200);
  t.deepEqual((JSON.parse(await posted.text()) as { metrics: Array<{ path: string }> }).metrics.map((m) => m.path), ['shop.a.']);
});

test('a leaf and a branch of the same path: the branch is listed first, as graphite-web lists it', async (t) => {
  const peer = await node(t, { 'clash.x.y': [1] });
  const front = await node(t, { 'clash.x': [1] }, { CLUSTER_SERVERS: [`127.0.0.1:${peer.port}`] });
  const tree = JSON.parse((await front.get('/metrics/find?query=clash.*&format=treejson')).text) as Array<{ id: string; leaf: number }>;
  t.deepEqual(tree.map((n) => [n.id, n.leaf]), [['clash.x', 0]]);
});

test('a peer render that fails once is tried again (MAX_FETCH_RETRIES) and the peer stays in use', async (t) => {
  const peer = await node(t, { 'flaky.m': [1, 2, 3] });
  let calls = 0;
  const proxy = http.createServer((req, res) => {
    calls++;
    if (req.url?.startsWith('/render') && calls % 2 === 1) {
      res.writeHead(500).end('boom');
      return;
    }
    http.get({ host: '127.0.0.1', port: peer.port, path: req.url }, (upstream) => {
      res.writeHead(upstream.statusCode ?? 502, upstream.headers);
      upstream.pipe(res);
    });
  });
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
  t.teardown(() => proxy.close());
  const front = await node(t, { 'local.m': [1, 2, 3] }, { CLUSTER_SERVERS: [`127.0.0.1:${(proxy.address() as AddressInfo).port}`] });
  for (let i = 0; i < 3; i++) t.deepEqual(Object.keys(targets((await front.get(`/render?target=*.m&${R}`)).text)), ['flaky.m', 'local.m']);
});
