/**
 * gph cache with ENABLE_TAGS registers tagged series with a real Debian graphite-web 1.1.8
 * (its default LocalDatabaseTagDB) over /tags/tagMultiSeries, and graphite-web finds them by
 * tag and renders them with seriesByTag from the _tagged/ files gph wrote.
 */
import test from 'ava';
import { systemClock } from '../../src/lib/clock.js';
import { CacheDaemon } from '../../src/lib/carbon/cache-daemon.js';
import { type CacheSettings, embeddedDefaults } from '../../src/lib/carbon/config/cache-settings.js';
import { silentLogger } from '../../src/lib/logger.js';
import { sendAndClose } from '../_helpers/carbon-client.js';
import { tempDir } from '../_helpers/temp-dir.js';
import { waitFor } from '../_helpers/wait-for.js';
import { freePort, startGraphiteWebWith } from './_helpers/peers.js';

test('series written by gph cache are registered with graphite-web and found by their tags', async (t) => {
  const dir = tempDir(t);
  const whisperDir = `${dir}/whisper`;
  const webPort = await freePort();
  await startGraphiteWebWith(t, whisperDir, webPort, 'DEFAULT_CACHE_DURATION = 0');
  const settings: CacheSettings = {
    ...embeddedDefaults(dir),
    LOCAL_DATA_DIR: whisperDir,
    LINE_RECEIVER_PORT: 0,
    PICKLE_RECEIVER_PORT: -1,
    CACHE_QUERY_PORT: -1,
    CARBON_METRIC_INTERVAL: 0,
    CACHE_JOURNAL: 'off',
    ENABLE_TAGS: true,
    GRAPHITE_URL: `http://127.0.0.1:${webPort}`,
  };
  const daemon = new CacheDaemon({ settings, clock: systemClock, logger: silentLogger, instance: 'a', host: 'interop', drainQuietMs: 0 });
  const ports = await daemon.start();
  t.teardown(() => daemon.stop());

  const now = Math.floor(Date.now() / 1000);
  await sendAndClose(ports.line!, `disk.used;host=web01;env=prod 42 ${now}\ndisk.used;host=web02;env=dev 7 ${now}\nplain.metric 1 ${now}\n`);
  await waitFor(() => daemon.stats.totalOf('committedPoints') === 3 && daemon.stats.totalOf('tagsRegistered') >= 3, 'points written and series registered', 30_000);
  t.is(daemon.stats.totalOf('tagErrors'), 0);

  const get = async (query: string): Promise<unknown> => {
    const response = await globalThis.fetch(`http://127.0.0.1:${webPort}${query}`, { signal: AbortSignal.timeout(30_000) });
    t.is(response.status, 200, query);
    return response.json();
  };
  t.deepEqual(await get('/tags/findSeries?expr=env=prod'), ['disk.used;env=prod;host=web01']);
  t.deepEqual(((await get('/tags/findSeries?expr=name=disk.used')) as string[]).sort(), ['disk.used;env=dev;host=web02', 'disk.used;env=prod;host=web01']);
  t.deepEqual(((await get('/tags/host')) as { values: Array<{ value: string }> }).values.map((v) => v.value), ['web01', 'web02']);
  const rendered = (await get(`/render?target=${encodeURIComponent("seriesByTag('host=web01')")}&from=-5min&format=json`)) as Array<{ target: string; datapoints: Array<[number | null, number]> }>;
  t.is(rendered.length, 1);
  t.is(rendered[0].target, 'disk.used;env=prod;host=web01');
  t.true(rendered[0].datapoints.some(([v]) => v === 42), 'graphite-web reads the hashed _tagged/ file gph wrote');
});
