import test from 'ava';
import fs from 'node:fs';
import path from 'node:path';
import { FixedClock, ManualClock } from '../../../src/lib/clock.js';
import { CacheDaemon } from '../../../src/lib/carbon/cache-daemon.js';
import { CarbonlinkPool, parseCarbonlinkHost } from '../../../src/lib/carbon/carbonlink/carbonlink-client.js';
import { type CacheSettings, embeddedDefaults } from '../../../src/lib/carbon/config/cache-settings.js';
import { silentLogger } from '../../../src/lib/logger.js';
import { render } from '../../../src/lib/render/render-request.js';
import { create } from '../../../src/lib/whisper/create.js';
import { fetch as fetchWhisper } from '../../../src/lib/whisper/fetch.js';
import { parseRetentions } from '../../../src/lib/whisper/retention.js';
import { updateMany } from '../../../src/lib/whisper/update.js';
import { sendAndClose } from '../../_helpers/carbon-client.js';
import { tempDir } from '../../_helpers/temp-dir.js';
import { waitFor } from '../../_helpers/wait-for.js';
import { NOW, makeTree } from './_render-fixture.js';

test('points still in a gph cache are merged over the whisper values (carbonlink)', async (t) => {
  const dir = tempDir(t);
  const clock = new ManualClock(NOW);
  const settings: CacheSettings = { ...embeddedDefaults(dir), LINE_RECEIVER_PORT: 0, PICKLE_RECEIVER_PORT: 0, CACHE_QUERY_PORT: 0, CARBON_METRIC_INTERVAL: 0 };
  const daemon = new CacheDaemon({ settings, clock, logger: silentLogger, drainQuietMs: 0 });
  const ports = await daemon.start();
  t.teardown(() => daemon.stop());
  await sendAndClose(ports.line!, `live.metric 1 ${NOW - 120}\n`);
  await waitFor(() => daemon.cache.size === 1, 'first point cached');
  await daemon.flushNow();
  t.true(fs.existsSync(path.join(settings.LOCAL_DATA_DIR, 'live', 'metric.wsp')));
  await sendAndClose(ports.line!, `live.metric 2 ${NOW - 60}\nlive.metric 3 ${NOW}\n`);
  await waitFor(() => daemon.cache.size === 2, 'two later points cached, not written');
  const request = { targets: ['live.metric'], from: '-3min', now: String(NOW) };
  const onDisk = await render(request, { storageDir: settings.LOCAL_DATA_DIR, clock });
  t.deepEqual(onDisk.series[0].points(), [1, null, null]);
  const pool = new CarbonlinkPool([parseCarbonlinkHost(`127.0.0.1:${ports.cacheQuery}`)]);
  const live = await render(request, { storageDir: settings.LOCAL_DATA_DIR, clock, carbonlink: pool });
  t.deepEqual(live.series[0].points(), [1, 2, 3]);
  t.deepEqual(live.warnings, []);
});

test('a cache that does not answer is reported and the whisper data is still returned', async (t) => {
  const dir = makeTree(t, { 'm.x': [5, 6] });
  const pool = new CarbonlinkPool([parseCarbonlinkHost('127.0.0.1:1')], { timeoutMs: 500 });
  const result = await render({ targets: ['m.x'], from: '-2min', now: String(NOW) }, { storageDir: dir, carbonlink: pool });
  t.deepEqual(result.series[0].points(), [5, 6]);
  t.is(result.warnings.length, 1);
  t.regex(result.warnings[0], /carbonlink 127\.0\.0\.1:1 did not answer/);
});

test('several caches are chosen by carbon\'s hash ring, as the relay routes', (t) => {
  const pool = new CarbonlinkPool(['127.0.0.1:7002:a', '127.0.0.1:7102:b'].map(parseCarbonlinkHost));
  const hosts = new Set(Array.from({ length: 50 }, (_, i) => pool.hostFor(`metric.${i}`).instance));
  t.deepEqual([...hosts].sort(), ['a', 'b']);
  t.throws(() => parseCarbonlinkHost('nohost'), { message: /Invalid carbonlink host/ });
});

test('a corrupt whisper file is skipped with a warning, the rest is served', async (t) => {
  const dir = makeTree(t, { 'c.good': [1, 2] });
  fs.writeFileSync(path.join(dir, 'c', 'bad.wsp'), 'not whisper');
  const result = await render({ targets: ['c.*'], from: '-2min', now: String(NOW) }, { storageDir: dir });
  t.deepEqual(
    result.series.map((s) => s.name),
    ['c.good'],
  );
  t.regex(result.warnings.join('\n'), /bad\.wsp/);
});

test('files too big to read whole are read by ranges, with the same values as a small file and as whisper fetch', async (t) => {
  const dir = tempDir(t);
  const clock = new FixedClock(NOW);
  const points = Array.from({ length: 40 }, (_, i): [number, number] => [NOW - 60 * i, i * 1.5]);
  // 60:30000 is 360,000 bytes of points (over the 256 KiB read in one call); 60:100 is small.
  for (const [name, retention] of [['big', '60:30000'], ['small', '60:100']]) {
    const file = path.join(dir, 'size', `${name}.wsp`);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    create(file, parseRetentions(retention));
    updateMany(file, points, { clock });
  }
  t.true(fs.statSync(path.join(dir, 'size', 'big.wsp')).size > 256 * 1024);
  const result = await render({ targets: ['size.*'], from: '-30min', now: String(NOW) }, { storageDir: dir, clock });
  const expected = fetchWhisper(path.join(dir, 'size', 'big.wsp'), NOW - 1800, NOW, {}, { clock })!.values;
  t.deepEqual(result.series.map((s) => s.name), ['size.big', 'size.small']);
  t.deepEqual(result.series[0].points(), expected);
  t.deepEqual(result.series[1].points(), expected);
});
