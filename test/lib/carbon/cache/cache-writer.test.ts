/**
 * The writer's idle rest, with a clock the test steers: it rests by elapsed time, so a wall clock
 * stepped back (NTP, an admin) cannot keep it from writing. And files it knows it made are not
 * checked for again, unless one has gone.
 */
import fs from 'node:fs';
import path from 'node:path';
import test from 'ava';
import type { Clock } from '../../../../src/lib/clock.js';
import { CacheStats } from '../../../../src/lib/carbon/cache-stats.js';
import { CacheWriter } from '../../../../src/lib/carbon/cache/cache-writer.js';
import { MetricCache } from '../../../../src/lib/carbon/cache/metric-cache.js';
import { embeddedDefaults } from '../../../../src/lib/carbon/config/cache-settings.js';
import { DEFAULT_SCHEMA } from '../../../../src/lib/carbon/config/storage-schemas.js';
import { fetch } from '../../../../src/lib/whisper/fetch.js';
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

test('a file removed after it was written is created again on the next write, without an error', async (t) => {
  const now = 1_700_000_000;
  const clock: Clock = { now: () => now, sleep: () => Promise.resolve() };
  const dir = tempDir(t);
  const cache = new MetricCache({ maxSize: Infinity, lowWatermark: 0, flowControl: true });
  const stats = new CacheStats();
  const settings = embeddedDefaults(dir);
  const writer = new CacheWriter({ cache, settings, schemas: () => [DEFAULT_SCHEMA], aggregation: () => [], clock, logger: silentLogger, stats });
  const file = path.join(settings.LOCAL_DATA_DIR, 'a', 'b.wsp');
  cache.store('a.b', now - 120, 1);
  t.is(await writer.drainPass(), 1);
  t.true(fs.existsSync(file));
  fs.rmSync(file);
  cache.store('a.b', now - 60, 2);
  // The first pass finds the file gone and keeps the point; the next one creates the file and writes it.
  let written = 0;
  for (let pass = 0; pass < 3 && written === 0; pass++) written += await writer.drainPass();
  t.is(written, 1);
  t.is(cache.size, 0);
  t.is(stats.totalOf('errors'), 0);
  t.is(stats.totalOf('creates'), 2);
  t.deepEqual(fetch(file, now - 300, now, {}, { clock })!.values.filter((v) => v !== null), [2]);
});
