/**
 * The writer's idle rest, with a clock the test steers: it rests by elapsed time, so a wall clock
 * stepped back (NTP, an admin) cannot keep it from writing.
 */
import test from 'ava';
import type { Clock } from '../../../../src/lib/clock.js';
import { CacheStats } from '../../../../src/lib/carbon/cache-stats.js';
import { CacheWriter } from '../../../../src/lib/carbon/cache/cache-writer.js';
import { MetricCache } from '../../../../src/lib/carbon/cache/metric-cache.js';
import { embeddedDefaults } from '../../../../src/lib/carbon/config/cache-settings.js';
import { silentLogger } from '../../../../src/lib/logger.js';
import { tempDir } from '../../../_helpers/temp-dir.js';

test('a wall clock stepped back during the idle rest ends the rest instead of stretching it', async (t) => {
  let now = 1_700_000_000;
  let sleeps = 0;
  const clock: Clock = {
    now: () => now,
    sleep: () => {
      // The third 50 ms nap of the rest sees the clock go back an hour; the time never moves otherwise.
      if (++sleeps === 3) now -= 3600;
      return new Promise((resolve) => setImmediate(resolve));
    },
  };
  const cache = new MetricCache({ maxSize: Infinity, lowWatermark: 0, flowControl: true });
  const writer = new CacheWriter({ cache, settings: embeddedDefaults(tempDir(t)), schemas: () => [], aggregation: () => [], clock, logger: silentLogger, stats: new CacheStats() });
  let passes = 0;
  writer.drainPass = async () => {
    passes++;
    return 0;
  };
  const stop = new AbortController();
  const running = writer.run(stop.signal);
  for (let tick = 0; tick < 1000 && passes < 2; tick++) await new Promise((resolve) => setImmediate(resolve));
  stop.abort();
  await running;
  t.is(passes, 2, 'a second pass right after the clock went back');
});
