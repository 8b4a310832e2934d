import test from 'ava';
import { FixedClock } from '../../../src/lib/clock.js';
import { silentLogger } from '../../../src/lib/logger.js';
import { RenderLimiter } from '../../../src/lib/web/render-limiter.js';
import { ResponseCache } from '../../../src/lib/web/response-cache.js';
import { WebServer } from '../../../src/lib/web/web-server.js';
import { defaultWebSettings } from '../../../src/lib/web/web-settings.js';
import { NOW, makeTree } from '../render/_render-fixture.js';

async function startWeb(t: Parameters<typeof makeTree>[0], cacheDuration = 60) {
  const dir = makeTree(t, { 'shop.a.sales': [1, 2, 3], 'shop.b.sales': [10, null, 30], 'shop.b.refunds': [0, 1, 0] });
  const settings = { ...defaultWebSettings(dir), WHISPER_DIR: dir, DEFAULT_CACHE_DURATION: cacheDuration };
  const web = new WebServer({ settings, clock: new FixedClock(NOW), logger: silentLogger });
  const port = await web.listen(0);
  t.teardown(() => web.close());
  const get = async (query: string, init?: RequestInit) => {
    const response = await globalThis.fetch(`http://127.0.0.1:${port}${query}`, init);
    return { status: response.status, type: response.headers.get('content-type'), body: Buffer.from(await response.arrayBuffer()) };
  };
  return { web, get, port };
}

const R = `from=-3min&now=${NOW}`;

test('/render answers every data format as graphite-web does', async (t) => {
  const { get } = await startWeb(t);
  const json = await get(`/render?target=sumSeries(shop.*.sales)&${R}&format=json`);
  t.is(json.status, 200);
  t.is(json.type, 'application/json');
  t.is(json.body.toString(), `[{"target": "sumSeries(shop.*.sales)", "tags": {"name": "sumSeries(shop.*.sales)", "aggregatedBy": "sum"}, "datapoints": [[11.0, ${NOW - 120}], [2.0, ${NOW - 60}], [33.0, ${NOW}]]}]`);
  const jsonp = await get(`/render?target=shop.a.sales&${R}&format=json&jsonp=cb`);
  t.is(jsonp.type, 'text/javascript');
  t.regex(jsonp.body.toString(), /^cb\(\[\{"target": "shop\.a\.sales"/);
  t.is((await get(`/render?target=shop.a.sales&${R}&format=raw`)).body.toString(), `shop.a.sales,${NOW - 120},${NOW + 60},60|1.0,2.0,3.0\n`);
  t.regex((await get(`/render?target=shop.a.sales&${R}&format=csv`)).body.toString(), /^shop\.a\.sales,2023-12-31 23:58:00,1\.0\r\n/);
  t.is((await get(`/render?target=shop.a.sales&${R}&format=pickle`)).type, 'application/pickle');
  t.regex((await get(`/render?target=shop.a.sales&${R}&format=rickshaw`)).body.toString(), /"datapoints":\[\{"x":/);
  t.regex((await get(`/render?target=shop.a.sales&${R}&format=dygraph`)).body.toString(), /^\{"labels" : \["Time", "shop\.a\.sales"\]/);
  const png = await get(`/render?target=shop.*.sales&${R}&width=400&height=200`);
  t.is(png.type, 'image/png');
  t.is(png.body.readUInt32BE(16), 400);
  const svg = await get(`/render?target=shop.*.sales&${R}&format=svg`);
  t.regex(svg.body.toString(), /metadata = \{"x":/);
  const pdf = await get(`/render?target=shop.*.sales&${R}&format=pdf&width=400&height=200`);
  t.is(pdf.status, 200);
  t.is(pdf.type, 'application/x-pdf');
  t.true(pdf.body.toString('latin1').startsWith('%PDF-'));
  t.true(pdf.body.toString('latin1').includes('/MediaBox [0 0 400 200]'));
});

test('/render reads POSTed forms and JSON, and target[] lists', async (t) => {
  const { get } = await startWeb(t);
  const form = await get('/render', { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: `target=shop.a.sales&target=shop.b.sales&${R}&format=json` });
  t.deepEqual(
    (JSON.parse(form.body.toString()) as Array<{ target: string }>).map((s) => s.target),
    ['shop.a.sales', 'shop.b.sales'],
  );
  const list = await get(`/render?target[]=shop.a.sales&${R}&format=json`);
  t.regex(list.body.toString(), /"target": "shop\.a\.sales"/);
});

test('bad requests get 400 with the reason; unknown paths 404', async (t) => {
  const { get } = await startWeb(t);
  const unknown = await get(`/render?target=noSuch(shop.a.sales)&${R}&format=json`);
  t.is(unknown.status, 400);
  t.regex(unknown.body.toString(), /Unknown render function &quot;noSuch&quot;/);
  t.is((await get(`/render?target=shop.a.sales&from=-5m&now=${NOW}&format=json`)).status, 400);
  const msgpack = await get(`/render?target=shop.a.sales&${R}&format=msgpack`);
  t.is(msgpack.type, "application/x-msgpack");
  t.is((await get(`/render?target=shop.a.sales&${R}&bgcolor=chartreuse`)).status, 400);
  t.is((await get('/metrics/find')).status, 400);
  t.is((await get('/metrics/find?query=shop.*&format=xml')).status, 400);
  t.is((await get('/nothing')).status, 404);
  t.is((await get('/tags/findSeries?expr=a=b')).body.toString(), '[]');
  t.is((await get('/tags/tagSeries')).status, 501);
  t.is((await get(`/render?target=sumSeries(shop.a.sales&${R}&format=json`)).body.toString(), '[]');
});

test('/metrics/find in treejson, completer and nodelist; /metrics/expand and /metrics/index.json', async (t) => {
  const { get } = await startWeb(t);
  const tree = JSON.parse((await get('/metrics/find?query=shop.*')).body.toString());
  t.deepEqual(tree, [
    { text: 'a', id: 'shop.a', allowChildren: 1, expandable: 1, leaf: 0 },
    { text: 'b', id: 'shop.b', allowChildren: 1, expandable: 1, leaf: 0 },
  ]);
  const leaves = JSON.parse((await get('/metrics/find?query=shop.*.*&wildcards=1')).body.toString());
  t.deepEqual(leaves[0], { text: '*', id: 'shop.*.*', allowChildren: 0, expandable: 0, leaf: 1 });
  t.deepEqual(
    leaves.slice(1).map((n: { text: string }) => n.text),
    ['refunds', 'sales'],
  );
  const completer = JSON.parse((await get('/metrics/find?query=shop.b.&format=completer')).body.toString());
  t.deepEqual(completer, {
    metrics: [
      { path: 'shop.b.refunds', name: 'refunds', is_leaf: '1' },
      { path: 'shop.b.sales', name: 'sales', is_leaf: '1' },
    ],
  });
  t.deepEqual(JSON.parse((await get('/metrics/find?query=shop.*.*&format=nodelist&position=2')).body.toString()), { nodes: ['refunds', 'sales'] });
  t.deepEqual(JSON.parse((await get('/metrics/expand?query=shop.*.sales&query=shop.b.*')).body.toString()), { results: ['shop.a.sales', 'shop.b.refunds', 'shop.b.sales'] });
  t.deepEqual(JSON.parse((await get('/metrics/index.json')).body.toString()), ['shop.a.sales', 'shop.b.refunds', 'shop.b.sales']);
});

test('/functions, /functions/NAME and /version', async (t) => {
  const { get } = await startWeb(t);
  t.is(Object.keys(JSON.parse((await get('/functions')).body.toString())).length, 151);
  const grouped = JSON.parse((await get('/functions?grouped=1')).body.toString());
  t.is(Object.keys(grouped.Combine).length, 36);
  t.is(JSON.parse((await get('/functions/sumSeries')).body.toString()).group, 'Combine');
  t.is((await get('/functions/nope')).status, 404);
  t.is((await get('/version')).body.toString(), '1.1.8');
});

test('identical renders are served from the response cache unless noCache', async (t) => {
  const { web, get } = await startWeb(t);
  const query = `/render?target=shop.a.sales&${R}&format=json`;
  await get(query);
  const misses = web.cache.misses;
  await get(query);
  t.is(web.cache.misses, misses);
  t.true(web.cache.hits >= 1);
  await get(`${query}&noCache=1`);
  t.is(web.cache.misses, misses + 1);
});

test('identical requests arriving together are computed once, even uncached', async (t) => {
  const cache = new ResponseCache<string>(new FixedClock(NOW));
  let computed = 0;
  let release!: (value: string) => void;
  const work = () => {
    computed++;
    return new Promise<string>((resolve) => (release = resolve));
  };
  const a = cache.getOrCompute('k', 0, false, work);
  const b = cache.getOrCompute('k', 0, false, work);
  release('answer');
  t.deepEqual(await Promise.all([a, b]), ['answer', 'answer']);
  t.is(computed, 1);
  await cache.getOrCompute('k', 60, true, async () => 'fresh');
  t.is(await cache.getOrCompute('k', 60, true, async () => 'again'), 'fresh');
});

test('the render limiter runs N at once, queues the rest and refuses beyond the queue', async (t) => {
  const limiter = new RenderLimiter(1, 1);
  let release!: () => void;
  const first = limiter.run(() => new Promise<void>((resolve) => (release = resolve)));
  const second = limiter.run(async () => 'second');
  t.is(limiter.queued, 1);
  await t.throwsAsync(limiter.run(async () => 'third'), { message: /Too many renders waiting/ });
  release();
  await first;
  t.is(await second, 'second');
});

test('a malformed request target gets 400 and the server keeps serving', async (t) => {
  const { port, get } = await startWeb(t);
  const net = await import('node:net');
  const answer = await new Promise<string>((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1', () => socket.write('GET http://[ HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n'));
    let text = '';
    socket.on('data', (chunk) => (text += chunk));
    socket.on('end', () => resolve(text));
    socket.on('error', reject);
  });
  t.regex(answer, /^HTTP\/1\.1 400/);
  t.is((await get('/version')).status, 200);
});

test('a repeated parameter keeps its last value; the cache keeps target order; errors are not cached', async (t) => {
  const { web, get } = await startWeb(t);
  const both = await get(`/render?target=shop.a.sales&${R}&format=csv&format=json`);
  t.is(both.type, 'application/json');
  const ab = JSON.parse((await get(`/render?target=shop.a.sales&target=shop.b.sales&${R}&format=json`)).body.toString());
  const ba = JSON.parse((await get(`/render?target=shop.b.sales&target=shop.a.sales&${R}&format=json`)).body.toString());
  t.deepEqual(
    [ab.map((s: { target: string }) => s.target), ba.map((s: { target: string }) => s.target)],
    [
      ['shop.a.sales', 'shop.b.sales'],
      ['shop.b.sales', 'shop.a.sales'],
    ],
  );
  const misses = web.cache.misses;
  await get(`/render?target=bogus(x)&${R}&format=json`);
  await get(`/render?target=bogus(x)&${R}&format=json`);
  t.is(web.cache.misses, misses + 2);
  t.is((await get(`/render?target=shop.a.sales&${R}&format=json&xFilesFactor=abc`)).status, 400);
});

test("local_settings.py: comments, join(STORAGE_DIR, ...), an explicit WHISPER_DIR and lists are read as graphite-web reads them", async (t) => {
  const fs = await import('node:fs');
  const os = await import('node:os');
  const path = await import('node:path');
  const { loadLocalSettings } = await import('../../../src/lib/web/web-settings.js');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gph-settings-'));
  t.teardown(() => fs.rmSync(dir, { recursive: true, force: true }));
  const file = path.join(dir, 'local_settings.py');
  fs.writeFileSync(file, "import os\nSTORAGE_DIR = '/srv/graphite'  # data\nCARBONLINK_HOSTS = [\n  '127.0.0.1:7002:a',  # primary\n  '127.0.0.1:7102:b',\n]\nDEFAULT_CACHE_DURATION = .5\nTIME_ZONE = 'Europe/Berlin'\n");
  const settings = loadLocalSettings(file, defaultWebSettings(dir));
  t.is(settings.WHISPER_DIR, '/srv/graphite/whisper');
  t.deepEqual(settings.CARBONLINK_HOSTS, ['127.0.0.1:7002:a', '127.0.0.1:7102:b']);
  t.is(settings.DEFAULT_CACHE_DURATION, 0.5);
  t.is(settings.TIME_ZONE, 'Europe/Berlin');
  fs.writeFileSync(file, "STORAGE_DIR = '/srv/g'\nWHISPER_DIR = '/data/whisper'\n");
  t.is(loadLocalSettings(file, defaultWebSettings(dir)).WHISPER_DIR, '/data/whisper');
  fs.writeFileSync(file, "STORAGE_DIR = '/srv/g'\nWHISPER_DIR = os.path.join(STORAGE_DIR, 'wsp')\n");
  t.is(loadLocalSettings(file, defaultWebSettings(dir)).WHISPER_DIR, '/srv/g/wsp');
});
