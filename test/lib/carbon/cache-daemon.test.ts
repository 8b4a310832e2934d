import test from 'ava';
import fs from 'node:fs';
import path from 'node:path';
import { ManualClock } from '../../../src/lib/clock.js';
import { CacheDaemon, type CacheDaemonOptions } from '../../../src/lib/carbon/cache-daemon.js';
import { type CacheSettings, embeddedDefaults } from '../../../src/lib/carbon/config/cache-settings.js';
import { pickleTuple } from '../../../src/lib/carbon/protocol/pickle-encoder.js';
import { silentLogger } from '../../../src/lib/logger.js';
import { fetch } from '../../../src/lib/whisper/fetch.js';
import { info } from '../../../src/lib/whisper/info.js';
import { CarbonlinkClient, connect, pickleFrame, sendAndClose, sendUdp } from '../../_helpers/carbon-client.js';
import { tempDir } from '../../_helpers/temp-dir.js';
import { waitFor } from '../../_helpers/wait-for.js';

const NOW = 1_700_000_040;

async function startDaemon(
  t: Parameters<typeof tempDir>[0],
  overrides: Partial<CacheSettings> = {},
  confFiles: Record<string, string> = {},
  options: Partial<CacheDaemonOptions> = {},
) {
  const dir = tempDir(t);
  const settings: CacheSettings = {
    ...embeddedDefaults(dir),
    LINE_RECEIVER_PORT: 0,
    PICKLE_RECEIVER_PORT: 0,
    CACHE_QUERY_PORT: 0,
    ENABLE_UDP_LISTENER: true,
    UDP_RECEIVER_PORT: 0,
    CARBON_METRIC_INTERVAL: 0,
    ...overrides,
  };
  if (Object.keys(confFiles).length > 0) {
    settings.CONF_DIR = path.join(dir, 'conf');
    fs.mkdirSync(settings.CONF_DIR);
    for (const [name, text] of Object.entries(confFiles)) fs.writeFileSync(path.join(settings.CONF_DIR, name), text);
  }
  const clock = new ManualClock(NOW);
  const daemon = new CacheDaemon({ settings, clock, logger: silentLogger, instance: 'a', host: 'testhost', drainQuietMs: 0, ...options });
  const ports = await daemon.start();
  let stopped = false;
  const stop = async (): Promise<number> => {
    stopped = true;
    return daemon.stop();
  };
  t.teardown(async () => {
    if (!stopped) await daemon.stop();
  });
  const file = (metric: string): string => path.join(settings.LOCAL_DATA_DIR, ...metric.split('.')) + '.wsp';
  const values = (metric: string, from = NOW - 300): Array<number | null> => fetch(file(metric), from, NOW, {}, { clock })?.values ?? [];
  return { daemon, ports, clock, settings, stop, file, values };
}

test('line, UDP and pickle ingest end in the right files with the right values', async (t) => {
  const { daemon, ports, values } = await startDaemon(t);
  await sendAndClose(ports.line!, `tcp.metric 1.5 ${NOW - 60}\ntcp.metric 2.5 ${NOW}\n`);
  await sendUdp(ports.udp!, `udp.metric 7 ${NOW}\n`);
  await sendAndClose(ports.pickle!, pickleFrame([pickleTuple('pickle.metric', pickleTuple(NOW - 60, 3)), pickleTuple('pickle.metric', pickleTuple(NOW, '4.5'))]));
  await waitFor(() => daemon.stats.totalOf('metricsReceived') === 5, 'five points');
  t.is(daemon.cache.size, 5);
  await daemon.flushNow();
  t.is(daemon.cache.size, 0);
  t.deepEqual(values('tcp.metric').slice(-2), [1.5, 2.5]);
  t.deepEqual(values('udp.metric').slice(-1), [7]);
  t.deepEqual(values('pickle.metric').slice(-2), [3, 4.5]);
});

test('bad input is counted and skipped while the connection keeps working', async (t) => {
  const { daemon, ports, file } = await startDaemon(t);
  const socket = await connect(ports.line!);
  socket.write(`bad line\nx..y 1 ${NOW}\na/b 1 ${NOW}\nnan.value nan ${NOW}\n`);
  socket.write(Buffer.from([0xff, 0xfe, 0x0a]));
  socket.write(`${'z'.repeat(20_000)}\nafter.junk 1 ${NOW}\n`);
  await waitFor(() => daemon.stats.totalOf('metricsReceived') === 1, 'the good line');
  socket.destroy();
  const pickle = await connect(ports.pickle!);
  pickle.write(pickleFrame([pickleTuple('bad', 'shape'), pickleTuple('good.pickle', pickleTuple(NOW, 1))]));
  const hostile = Buffer.from('80025d2863706f7369780a73797374656d0a', 'hex');
  const header = Buffer.alloc(4);
  header.writeUInt32BE(hostile.length);
  pickle.write(Buffer.concat([header, hostile]));
  pickle.write(pickleFrame([pickleTuple('after.hostile', pickleTuple(NOW, 2))]));
  await waitFor(() => daemon.stats.totalOf('metricsReceived') === 3, 'the good pickled points');
  pickle.destroy();
  t.is(daemon.stats.totalOf('invalidLines'), 2);
  t.is(daemon.stats.totalOf('invalidNames'), 2);
  t.is(daemon.stats.totalOf('droppedNaN'), 1);
  t.is(daemon.stats.totalOf('oversizedLines'), 1);
  t.is(daemon.stats.totalOf('invalidPoints'), 1);
  t.is(daemon.stats.totalOf('invalidPickles'), 1);
  await daemon.flushNow();
  t.true(fs.existsSync(file('after.junk')));
  t.false(fs.existsSync(path.join(path.dirname(file('x')), 'x', 'y.wsp')));
  t.deepEqual(fs.readdirSync(path.dirname(file('x'))).sort(), ['after', 'good'].sort());
});

test('carbonlink answers cache-query, bulk queries, metadata and bad requests', async (t) => {
  const { daemon, ports } = await startDaemon(t);
  await sendAndClose(ports.line!, `q.a 1 ${NOW - 60}\nq.a 2 ${NOW}\nq.b 3 ${NOW}\n`);
  await waitFor(() => daemon.cache.size === 3, 'three cached points');
  const client = await CarbonlinkClient.open(ports.cacheQuery!);
  t.teardown(() => client.close());
  t.deepEqual(await client.request({ type: 'cache-query', metric: 'q.a' }), new Map([['datapoints', [[NOW - 60, 1], [NOW, 2]]]]));
  t.deepEqual(await client.request({ type: 'cache-query', metric: 'unknown' }), new Map([['datapoints', []]]));
  const bulk = (await client.request({ type: 'cache-query-bulk', metrics: ['q.a', 'q.b'] })) as Map<string, Map<string, unknown>>;
  t.deepEqual(bulk.get('datapointsByMetric')?.get('q.b'), [[NOW, 3]]);
  t.deepEqual(await client.request({ type: 'nonsense' }), new Map([['error', 'Invalid request type "nonsense"']]));
  t.true(((await client.requestRaw(Buffer.from('garbage'))) as Map<string, string>).has('error'));
  await daemon.flushNow();
  t.deepEqual(await client.request({ type: 'get-metadata', metric: 'q.a', key: 'aggregationMethod' }), new Map([['value', 'average']]));
  t.deepEqual(await client.request({ type: 'set-metadata', metric: 'q.a', key: 'aggregationMethod', value: 'max' }), new Map([['old_value', 'average'], ['new_value', 'max']]));
  t.true(((await client.request({ type: 'get-metadata', metric: 'no.such', key: 'aggregationMethod' })) as Map<string, string>).has('error'));
  t.is(daemon.stats.totalOf('cache.queries'), 2);
});

test('with flow control a full cache pauses the receivers and loses nothing', async (t) => {
  const { daemon, ports, values } = await startDaemon(t, { MAX_CACHE_SIZE: 10, CACHE_SIZE_LOW_WATERMARK: 5, USE_FLOW_CONTROL: true });
  const lines = Array.from({ length: 40 }, (_, i) => `flow.m${i} ${i} ${NOW}\n`).join('');
  await sendAndClose(ports.line!, lines);
  await waitFor(() => daemon.flow.isPaused, 'the receivers to pause');
  while (daemon.stats.totalOf('metricsReceived') < 40) {
    await daemon.flushNow();
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  await daemon.flushNow();
  t.false(daemon.flow.isPaused);
  t.is(daemon.cache.overflow, 0);
  for (let i = 0; i < 40; i++) t.deepEqual(values(`flow.m${i}`).slice(-1), [i]);
});

test('without flow control a full cache drops and counts the overflow', async (t) => {
  const { daemon, ports } = await startDaemon(t, { MAX_CACHE_SIZE: 10, CACHE_SIZE_LOW_WATERMARK: 5, USE_FLOW_CONTROL: false });
  await sendAndClose(ports.line!, Array.from({ length: 25 }, (_, i) => `drop.m${i} ${i} ${NOW}\n`).join(''));
  await waitFor(() => daemon.stats.totalOf('metricsReceived') === 25, 'all lines');
  t.is(daemon.cache.size, 10);
  t.is(daemon.cache.overflow, 15);
});

test('MAX_CREATES_PER_MINUTE defers new files instead of dropping their points', async (t) => {
  const { daemon, ports, clock, values } = await startDaemon(t, { MAX_CREATES_PER_MINUTE: 1 });
  await sendAndClose(ports.line!, `c.one 1 ${NOW}\nc.two 2 ${NOW}\n`);
  await waitFor(() => daemon.cache.size === 2, 'two points');
  await daemon.flushNow();
  t.is(daemon.stats.totalOf('creates'), 1);
  t.is(daemon.cache.size, 1);
  t.is(daemon.stats.totalOf('droppedCreates'), 0);
  clock.advance(60);
  await daemon.flushNow();
  t.is(daemon.stats.totalOf('creates'), 2);
  t.deepEqual([values('c.one').slice(-1), values('c.two').slice(-1)], [[1], [2]]);
});

test('stop() writes every cached point, and new files get the schema and aggregation of the config files', async (t) => {
  const { daemon, ports, stop, file, values } = await startDaemon(t, {}, {
    'storage-schemas.conf': '[fine]\npattern = ^fine\\.\nretentions = 10s:1h,1m:1d\n[default]\npattern = .*\nretentions = 1m:1d\n',
    'storage-aggregation.conf': '[sum]\npattern = \\.count$\nxFilesFactor = 0\naggregationMethod = sum\n',
  });
  await sendAndClose(ports.line!, `fine.requests.count 5 ${NOW}\nother 6 ${NOW}\n`);
  await waitFor(() => daemon.cache.size === 2, 'two points');
  t.is(await stop(), 2);
  const fine = info(file('fine.requests.count'));
  t.deepEqual(fine.archives.map((a) => [a.secondsPerPoint, a.points]), [[10, 360], [60, 1440]]);
  t.is(fine.aggregationMethod, 'sum');
  t.is(fine.xFilesFactor, 0);
  t.deepEqual(info(file('other')).archives.map((a) => a.secondsPerPoint), [60]);
  t.deepEqual(values('other').slice(-1), [6]);
});

test('storage rules are re-read when the files change', async (t) => {
  const { daemon, ports, file, settings } = await startDaemon(t, {}, { 'storage-schemas.conf': '[all]\npattern = .*\nretentions = 1m:1d\n' });
  fs.writeFileSync(path.join(settings.CONF_DIR, 'storage-schemas.conf'), '[all]\npattern = .*\nretentions = 5m:7d\n');
  fs.utimesSync(path.join(settings.CONF_DIR, 'storage-schemas.conf'), new Date(), new Date(Date.now() + 5000));
  t.true(daemon.reloadSchemasIfChanged());
  await sendAndClose(ports.line!, `later 1 ${NOW}\n`);
  await waitFor(() => daemon.cache.size === 1, 'one point');
  await daemon.flushNow();
  t.deepEqual(info(file('later')).archives.map((a) => a.secondsPerPoint), [300]);
});

test('self-metrics are recorded under carbon.agents.<host>-<instance>', async (t) => {
  const { daemon, ports, clock } = await startDaemon(t);
  await sendAndClose(ports.line!, `s.m 1 ${NOW}\ns.m 2 ${NOW - 60}\n`);
  await waitFor(() => daemon.stats.totalOf('metricsReceived') === 2, 'two points');
  await daemon.flushNow();
  daemon.recordSelfMetrics();
  const get = (stat: string): number | undefined => daemon.cache.get(`carbon.agents.testhost-a.${stat}`)[0]?.[1];
  t.is(get('metricsReceived'), 2);
  t.is(get('committedPoints'), 2);
  t.is(get('updateOperations'), 1);
  t.is(get('creates'), 1);
  t.true((get('memUsage') ?? 0) > 0);
  clock.advance(60);
  daemon.recordSelfMetrics();
  t.is(daemon.cache.get('carbon.agents.testhost-a.metricsReceived')[1]?.[1], 0);
});

test('the Prometheus endpoint serves the counters as text', async (t) => {
  const { daemon, ports } = await startDaemon(t, { PROMETHEUS_PORT: 0 });
  await sendAndClose(ports.line!, `prom.a 1 ${NOW}\nbad line\n`);
  await waitFor(() => daemon.stats.totalOf('metricsReceived') === 1 && daemon.stats.totalOf('invalidLines') === 1, 'the lines');
  const response = await globalThis.fetch(`http://127.0.0.1:${ports.prometheus}/metrics`);
  t.is(response.status, 200);
  const text = await response.text();
  t.regex(text, /^gph_cache_metrics_received_total 1$/m);
  t.regex(text, /^gph_cache_invalid_lines_total 1$/m);
  t.regex(text, /^gph_cache_size_points 1$/m);
  t.is((await globalThis.fetch(`http://127.0.0.1:${ports.prometheus}/other`)).status, 404);
});

test('stop() does not wait for idle carbonlink clients (graphite-web keeps its connections open)', async (t) => {
  const { ports, stop } = await startDaemon(t);
  const client = await CarbonlinkClient.open(ports.cacheQuery!);
  t.teardown(() => client.close());
  t.deepEqual(await client.request({ type: 'cache-query', metric: 'x' }), new Map([['datapoints', []]]));
  t.is(await stop(), 0);
});

test('stopping while the writer waits for an update token loses nothing', async (t) => {
  const { daemon, ports, stop, values, clock } = await startDaemon(t, { MAX_UPDATES_PER_SECOND: 1, MAX_UPDATES_PER_SECOND_ON_SHUTDOWN: Infinity });
  await sendAndClose(ports.line!, `tok.a 1 ${NOW}\ntok.b 2 ${NOW}\ntok.c 3 ${NOW}\n`);
  await waitFor(() => daemon.cache.size === 3, 'three points');
  clock.advance(1); // wakes the writer's idle sleep: its pass takes one token, then waits for the next
  await waitFor(() => daemon.cache.size === 2, 'one metric taken by the writer');
  t.is(await stop(), 3);
  t.deepEqual([values('tok.a').slice(-1), values('tok.b').slice(-1), values('tok.c').slice(-1)], [[1], [2], [3]]);
});

test('the max strategy with deferred creates ends its pass instead of spinning', async (t) => {
  const { daemon, ports } = await startDaemon(t, { CACHE_WRITE_STRATEGY: 'max', MAX_CREATES_PER_MINUTE: 1 });
  await sendAndClose(ports.line!, Array.from({ length: 20 }, (_, i) => `max.m${i} 1 ${NOW}\n`).join(''));
  await waitFor(() => daemon.cache.size === 20, 'twenty points');
  await daemon.flushNow();
  t.is(daemon.stats.totalOf('creates'), 1);
  t.is(daemon.cache.size, 19);
});

test('a client that never stops sending cannot hold up stop()', async (t) => {
  const { daemon, ports, stop } = await startDaemon(t, {});
  const socket = await connect(ports.line!);
  socket.on('error', () => {});
  const timer = setInterval(() => socket.write(`chatty 1 ${NOW}\n`), 20);
  t.teardown(() => clearInterval(timer));
  await waitFor(() => daemon.stats.totalOf('metricsReceived') > 3, 'a few points');
  await stop();
  t.pass();
});

test('timestamps whisper cannot store are refused at the door', async (t) => {
  const { daemon, ports } = await startDaemon(t);
  await sendAndClose(ports.line!, `big.ts 1 1700000000000\nneg.ts 1 -5\nok.ts 1 ${NOW}\n`);
  await waitFor(() => daemon.stats.totalOf('metricsReceived') === 1 && daemon.stats.totalOf('invalidPoints') === 2, 'one good, two refused');
  t.is(daemon.cache.size, 1);
});

test('a failing write is retried, then dropped and counted, and the journal keeps it meanwhile', async (t) => {
  const { daemon, ports, settings } = await startDaemon(t);
  fs.mkdirSync(path.join(settings.LOCAL_DATA_DIR, 'broken.wsp'), { recursive: true }); // a directory where the file should be
  await sendAndClose(ports.line!, `broken 1 ${NOW}\n`);
  await waitFor(() => daemon.cache.size === 1, 'one point');
  await daemon.flushNow();
  t.is(daemon.cache.size, 1, 'back in the cache for another try');
  await daemon.flushNow();
  await daemon.flushNow();
  t.is(daemon.cache.size, 0);
  t.is(daemon.stats.totalOf('errors'), 3);
});

test('the idle writer starts as soon as a burst of points is over, not a second later', async (t) => {
  const { daemon, ports, clock } = await startDaemon(t);
  const lines = Array.from({ length: 600 }, (_, i) => `burst.m${i} ${i} ${NOW}\n`).join('');
  await sendAndClose(ports.line!, lines);
  await waitFor(() => daemon.cache.size === 600, 'the burst');
  // One look sees the points arrive, the next sees that no more came: 0.1 s, not the idle second.
  clock.advance(0.05);
  await new Promise((resolve) => setTimeout(resolve, 50));
  clock.advance(0.05);
  await waitFor(() => daemon.cache.size === 0, 'everything written before the idle second is over');
  t.is(daemon.stats.totalOf('committedPoints'), 600);
});

test('points keep going to their own metrics when the line receivers\' name table starts again', async (t) => {
  const { daemon, ports, values } = await startDaemon(t, {}, {}, { maxNames: 3 });
  const metrics = Array.from({ length: 8 }, (_, i) => `names.m${i}`);
  for (let k = 0; k < 5; k++) {
    const order = k % 2 === 0 ? metrics : [...metrics].reverse();
    await sendAndClose(ports.line!, order.map((m) => `${m} ${Number(m.slice(7)) * 10 + k} ${NOW - 60 * (4 - k)}\n`).join(''));
  }
  await waitFor(() => daemon.stats.totalOf('metricsReceived') === 40, 'forty points');
  await daemon.flushNow();
  for (const [i, m] of metrics.entries()) t.deepEqual(values(m).slice(-5), [0, 1, 2, 3, 4].map((k) => i * 10 + k), m);
});
