/**
 * gph cache among the Debian reference daemons: a real carbon-relay (pickle) and a real
 * carbon-c-relay (line protocol) feed it, and a real graphite-web reads its unflushed points
 * over carbonlink.
 */
import test from 'ava';
import fs from 'node:fs';
import path from 'node:path';
import { ManualClock, systemClock } from '../../src/lib/clock.js';
import { CacheDaemon } from '../../src/lib/carbon/cache-daemon.js';
import { type CacheSettings, embeddedDefaults } from '../../src/lib/carbon/config/cache-settings.js';
import { silentLogger } from '../../src/lib/logger.js';
import { fetch } from '../../src/lib/whisper/fetch.js';
import { sendAndClose } from '../_helpers/carbon-client.js';
import { tempDir } from '../_helpers/temp-dir.js';
import { waitFor } from '../_helpers/wait-for.js';
import { freePort, peersAvailable, startGraphiteWeb, startPeer } from './_helpers/peers.js';

test.before(() => {
  const missing = peersAvailable();
  if (missing) throw new Error(missing);
});

async function startGph(t: Parameters<typeof tempDir>[0], clock = new ManualClock(Math.floor(Date.now() / 1000))) {
  const dir = tempDir(t);
  const settings: CacheSettings = { ...embeddedDefaults(dir), LINE_RECEIVER_PORT: 0, PICKLE_RECEIVER_PORT: 0, CACHE_QUERY_PORT: 0, CARBON_METRIC_INTERVAL: 0 };
  const daemon = new CacheDaemon({ settings, clock, logger: silentLogger, drainQuietMs: 0 });
  const ports = await daemon.start();
  t.teardown(() => daemon.stop());
  return { daemon, ports, settings, dir };
}

const COUNT = 2000;

test('a real carbon-relay feeds gph cache over pickle, losing nothing', async (t) => {
  const { daemon, ports, settings } = await startGph(t);
  const relayLine = await freePort();
  await startPeer(t, 'start-carbon-relay.sh', ['consistent-hashing', String(relayLine), '0', '1', `127.0.0.1:${ports.pickle}:a`], {
    MAX_QUEUE_SIZE: '100000',
    CARBON_EXTRA: 'CARBON_METRIC_INTERVAL = 0',
  });
  const now = Math.floor(Date.now() / 1000);
  await sendAndClose(relayLine, Array.from({ length: COUNT }, (_, i) => `relay.py.m${i % 100} ${i} ${now - 60 * Math.floor(i / 100)}\n`).join(''));
  await waitFor(() => daemon.stats.totalOf('metricsReceived') >= COUNT, `${COUNT} points from carbon-relay`, 60_000);
  t.is(daemon.stats.totalOf('metricsReceived'), COUNT);
  await daemon.flushNow();
  const file = path.join(settings.LOCAL_DATA_DIR, 'relay', 'py', 'm7.wsp');
  const values = fetch(file, now - 1300, now, {}, { clock: systemClock })?.values.filter((v) => v !== null);
  t.is(values?.length, 20);
});

test('a real carbon-c-relay feeds gph cache over the line protocol, losing nothing', async (t) => {
  const { daemon, ports, dir } = await startGph(t);
  const config = path.join(dir, 'c-relay.conf');
  fs.writeFileSync(config, `cluster gph\n    forward\n        127.0.0.1:${ports.line}\n    ;\nmatch *\n    send to gph\n    stop\n    ;\n`);
  const relayPort = await freePort();
  await startPeer(t, 'start-carbon-c-relay.sh', [config, String(relayPort), '-s']);
  const now = Math.floor(Date.now() / 1000);
  await sendAndClose(relayPort, Array.from({ length: COUNT }, (_, i) => `relay.c.m${i % 100} ${i} ${now - 60 * Math.floor(i / 100)}\n`).join(''));
  await waitFor(() => daemon.stats.totalOf('metricsReceived') >= COUNT, `${COUNT} points from carbon-c-relay`, 60_000);
  t.is(daemon.stats.totalOf('metricsReceived'), COUNT);
  t.is(daemon.stats.totalOf('invalidLines') + daemon.stats.totalOf('invalidNames'), 0);
});

test('graphite-web with CARBONLINK_HOSTS pointing at gph shows points not yet on disk', async (t) => {
  const { daemon, ports, settings } = await startGph(t);
  const now = Math.floor(Date.now() / 1000);
  await sendAndClose(ports.line!, `link.metric 1 ${now - 120}\n`);
  await waitFor(() => daemon.cache.size === 1, 'the first point');
  await daemon.flushNow(); // the file exists, so graphite-web finds the metric
  await sendAndClose(ports.line!, `link.metric 2 ${now - 60}\nlink.metric 3 ${now}\n`);
  await waitFor(() => daemon.cache.size === 2, 'two cached points');
  const web = await startGraphiteWeb(t, settings.LOCAL_DATA_DIR, `127.0.0.1:${ports.cacheQuery}:a`);
  const response = await globalThis.fetch(`http://127.0.0.1:${web}/render?target=link.metric&from=-10min&format=json`);
  t.is(response.status, 200);
  const series = (await response.json()) as Array<{ target: string; datapoints: Array<[number | null, number]> }>;
  const values = series[0].datapoints.map(([v]) => v).filter((v) => v !== null);
  t.deepEqual(values, [1, 2, 3]);
  t.true(daemon.stats.totalOf('cache.queries') + daemon.stats.totalOf('cache.bulk_queries') > 0);
});
