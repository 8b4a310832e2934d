import test from 'ava';
import fs from 'node:fs';
import path from 'node:path';
import { ManualClock } from '../../../src/lib/clock.js';
import { CacheDaemon } from '../../../src/lib/carbon/cache-daemon.js';
import { type CacheSettings, embeddedDefaults } from '../../../src/lib/carbon/config/cache-settings.js';
import { MetricFilter } from '../../../src/lib/carbon/metric-filter.js';
import { silentLogger } from '../../../src/lib/logger.js';
import { sendAndClose } from '../../_helpers/carbon-client.js';
import { tempDir } from '../../_helpers/temp-dir.js';
import { waitFor } from '../../_helpers/wait-for.js';

test('whitelist and blacklist decide as carbon regexlist does, and are re-read when they change', (t) => {
  const dir = tempDir(t);
  const clock = new ManualClock(1_700_000_000);
  const filter = new MetricFilter(dir, clock, silentLogger);
  t.is(filter.verdict('any.thing'), 'ok', 'no files: everything is taken');
  fs.writeFileSync(path.join(dir, 'whitelist.conf'), '# only servers\n^servers\\.\n\n');
  fs.writeFileSync(path.join(dir, 'blacklist.conf'), 'secret\n');
  clock.advance(2);
  t.is(filter.verdict('servers.web01.cpu'), 'ok');
  t.is(filter.verdict('apps.web01.cpu'), 'notWhitelisted');
  t.is(filter.verdict('servers.secret.cpu'), 'blacklisted');
  fs.writeFileSync(path.join(dir, 'whitelist.conf'), '');
  const later = new Date(Date.now() + 5000);
  fs.utimesSync(path.join(dir, 'whitelist.conf'), later, later);
  clock.advance(2);
  t.is(filter.verdict('apps.web01.cpu'), 'ok', 'an emptied whitelist takes everything again');
});

test('the cache drops filtered names quietly and counts them (USE_WHITELIST)', async (t) => {
  const dir = tempDir(t);
  fs.writeFileSync(path.join(dir, 'blacklist.conf'), '^junk\\.\n');
  const settings: CacheSettings = { ...embeddedDefaults(dir), CONF_DIR: dir, USE_WHITELIST: true, LINE_RECEIVER_PORT: 0, PICKLE_RECEIVER_PORT: -1, CACHE_QUERY_PORT: -1, CARBON_METRIC_INTERVAL: 0 };
  const daemon = new CacheDaemon({ settings, clock: new ManualClock(1_700_000_000), logger: silentLogger, drainQuietMs: 0 });
  const ports = await daemon.start();
  t.teardown(() => daemon.stop());
  await sendAndClose(ports.line!, 'junk.a 1 1700000000\ngood.a 2 1700000000\njunk.b 3 1700000000\n');
  await waitFor(() => daemon.stats.totalOf('metricsReceived') + daemon.stats.totalOf('blacklistMatches') >= 3, 'three lines handled');
  t.is(daemon.stats.totalOf('metricsReceived'), 1);
  t.is(daemon.stats.totalOf('blacklistMatches'), 2);
});
