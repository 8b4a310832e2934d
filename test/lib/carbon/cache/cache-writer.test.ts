/**
 * The writer's idle rest, with a clock the test steers: it rests by elapsed time, so a wall clock
 * stepped back (NTP, an admin) cannot keep it from writing. And files it knows it made are not
 * checked for again, unless one has gone. Batches in flight at once, as many as the executor runs.
 */
import fs from 'node:fs';
import path from 'node:path';
import test from 'ava';
import type { Clock } from '../../../../src/lib/clock.js';
import { CacheStats } from '../../../../src/lib/carbon/cache-stats.js';
import { CacheWriter } from '../../../../src/lib/carbon/cache/cache-writer.js';
import { MetricCache } from '../../../../src/lib/carbon/cache/metric-cache.js';
import type { WriteExecutor } from '../../../../src/lib/carbon/cache/write-executor.js';
import type { WriteJob, WriteJobResult } from '../../../../src/lib/carbon/cache/write-jobs.js';
import { embeddedDefaults } from '../../../../src/lib/carbon/config/cache-settings.js';
import { DEFAULT_SCHEMA } from '../../../../src/lib/carbon/config/storage-schemas.js';
import { create } from '../../../../src/lib/whisper/create.js';
import { fetch } from '../../../../src/lib/whisper/fetch.js';
import { updateMany } from '../../../../src/lib/whisper/update.js';
import { silentLogger } from '../../../../src/lib/logger.js';
import { tempDir } from '../../../_helpers/temp-dir.js';

test('a wall clock stepped back during the idle rest ends the rest instead of stretching it', async (t) => {
  let now = 1_700_000_000;
  let sleeps = 0;
  const clock: Clock = {
    now: () => now,
    sleep: () => {
      // The third nap of the rest sees the clock go back an hour; the time never moves otherwise.
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

test('a file the writer has not written yet is written into, not replaced, whether its existence is checked before (create limit) or by the writer thread (no limit)', async (t) => {
  const now = 1_700_000_000;
  const clock: Clock = { now: () => now, sleep: () => Promise.resolve() };
  for (const createsPerMinute of [Infinity, 1]) {
    const dir = tempDir(t);
    const settings = { ...embeddedDefaults(dir), MAX_CREATES_PER_MINUTE: createsPerMinute, LOG_CREATES: true };
    const file = path.join(settings.LOCAL_DATA_DIR, 'old', 'metric.wsp');
    const fresh = path.join(settings.LOCAL_DATA_DIR, 'new', 'metric.wsp');
    fs.mkdirSync(path.dirname(file), { recursive: true });
    create(file, [{ secondsPerPoint: 60, points: 60 }], {});
    updateMany(file, [[now - 600, 7]], { clock });
    const created: string[] = [];
    const logger = { ...silentLogger, info: (message: string) => created.push(message) };
    const cache = new MetricCache({ maxSize: Infinity, lowWatermark: 0, flowControl: true });
    const stats = new CacheStats();
    const writer = new CacheWriter({ cache, settings, schemas: () => [DEFAULT_SCHEMA], aggregation: () => [], clock, logger, stats });
    cache.store('old.metric', now - 60, 8);
    cache.store('new.metric', now - 60, 9);
    let written = 0;
    for (let pass = 0; pass < 3 && cache.size > 0; pass++) written += await writer.drainPass();
    t.is(written, 2, `limit ${createsPerMinute}`);
    t.deepEqual(fetch(file, now - 3600, now, {}, { clock })!.values.filter((v) => v !== null), [7, 8], 'the old file kept its point and got the new one');
    t.true(fs.existsSync(fresh));
    t.is(stats.totalOf('creates'), 1);
    t.is(created.length, 1);
    t.regex(created[0], /^new metric new\.metric matched schema/);
  }
});

test('droppedCreates counts the points of a metric whose file could not be made, not of a file that existed and could not be written', async (t) => {
  const now = 1_700_000_000;
  const clock: Clock = { now: () => now, sleep: () => Promise.resolve() };
  for (const createsPerMinute of [Infinity, 1000]) {
    const dir = tempDir(t);
    const settings = { ...embeddedDefaults(dir), MAX_CREATES_PER_MINUTE: createsPerMinute };
    // A corrupt file that exists, and a metric whose directory cannot be made (a file is in the way).
    fs.mkdirSync(path.join(settings.LOCAL_DATA_DIR, 'old'), { recursive: true });
    fs.writeFileSync(path.join(settings.LOCAL_DATA_DIR, 'old', 'metric.wsp'), 'junk!');
    fs.writeFileSync(path.join(settings.LOCAL_DATA_DIR, 'blocked'), 'a file, not a directory');
    const cache = new MetricCache({ maxSize: Infinity, lowWatermark: 0, flowControl: true });
    const stats = new CacheStats();
    const writer = new CacheWriter({ cache, settings, schemas: () => [DEFAULT_SCHEMA], aggregation: () => [], clock, logger: silentLogger, stats });
    cache.store('old.metric', now - 60, 1);
    cache.store('blocked.metric', now - 60, 2);
    for (let pass = 0; pass < 3; pass++) await writer.drainPass();
    t.is(stats.totalOf('errors'), 6, `limit ${createsPerMinute}: three attempts each`);
    t.is(stats.totalOf('droppedCreates'), 1, `limit ${createsPerMinute}: only the metric that needed a create`);
    t.is(stats.totalOf('creates'), 0);
    t.is(fs.readFileSync(path.join(settings.LOCAL_DATA_DIR, 'old', 'metric.wsp'), 'utf8'), 'junk!', 'the corrupt file is left as it was');
  }
});

/** An executor that holds each batch until the test lets it finish, failing the ones it is told to. */
function heldExecutor(concurrency: number) {
  const held: Array<{ jobs: WriteJob[]; finish: (fail?: boolean) => void }> = [];
  let running = 0;
  let mostAtOnce = 0;
  const executor: WriteExecutor = {
    concurrency,
    run: (jobs) => {
      running++;
      mostAtOnce = Math.max(mostAtOnce, running);
      return new Promise<WriteJobResult[]>((resolve, reject) => {
        held.push({
          jobs,
          finish: (fail) => {
            running--;
            if (fail) reject(new Error('writer worker exited (1)'));
            else resolve(jobs.map((job) => ({ metric: job.metric, written: job.points.length / 2, created: false, microseconds: 1 })));
          },
        });
      });
    },
    close: async () => {},
  };
  return { executor, held, mostAtOnce: () => mostAtOnce };
}

async function settle(): Promise<void> {
  for (let i = 0; i < 20; i++) await new Promise((resolve) => setImmediate(resolve));
}

test('the writer keeps as many batches in flight as its executor runs at once, and no more', async (t) => {
  const now = 1_700_000_000;
  const dir = tempDir(t);
  const cache = new MetricCache({ maxSize: Infinity, lowWatermark: 0, flowControl: true });
  const { executor, held, mostAtOnce } = heldExecutor(2);
  const writer = new CacheWriter({ cache, settings: embeddedDefaults(dir), schemas: () => [DEFAULT_SCHEMA], aggregation: () => [], clock: { now: () => now, sleep: () => Promise.resolve() }, logger: silentLogger, stats: new CacheStats(), executor });
  for (let m = 0; m < 2000; m++) cache.store(`many.m${m}`, now - 60, m);
  const pass = writer.drainPass();
  await settle();
  t.is(held.length, 2, 'two batches sent before either is done');
  t.is(writer.pointsInFlight('many.m0').length, 1, 'their points stay readable');
  for (let finished = 0; finished < held.length; finished++) {
    held[finished].finish();
    await settle();
  }
  t.is(await pass, 2000);
  t.is(mostAtOnce(), 2);
  t.is(held.length, 4, '2000 metrics in batches of 512');
  t.is(cache.size, 0);
});

test('a batch that fails while another is in flight: the pass waits for both, keeps the failed points and throws', async (t) => {
  const now = 1_700_000_000;
  const dir = tempDir(t);
  const cache = new MetricCache({ maxSize: Infinity, lowWatermark: 0, flowControl: true });
  const { executor, held } = heldExecutor(2);
  const writer = new CacheWriter({ cache, settings: embeddedDefaults(dir), schemas: () => [DEFAULT_SCHEMA], aggregation: () => [], clock: { now: () => now, sleep: () => Promise.resolve() }, logger: silentLogger, stats: new CacheStats(), executor });
  for (let m = 0; m < 2000; m++) cache.store(`many.m${m}`, now - 60, m);
  const pass = writer.drainPass();
  await settle();
  held[0].finish(true);
  await settle();
  t.is(held.length, 2, 'no new batch after a failure');
  let ended = false;
  pass.catch(() => {}).finally(() => (ended = true));
  await settle();
  t.false(ended, 'the pass waits for the batch still in flight');
  held[1].finish();
  await t.throwsAsync(pass, { message: /writer worker exited/ });
  t.is(cache.size, 2000 - 512, 'the failed batch and the metrics never sent are back in the cache; the other batch is written');
  t.deepEqual(writer.pointsInFlight('many.m0'), []);
});

test('with the max strategy a metric that gets points while its batch is written is not sent again until that batch is done', async (t) => {
  const now = 1_700_000_000;
  const dir = tempDir(t);
  const cache = new MetricCache({ maxSize: Infinity, lowWatermark: 0, flowControl: true });
  const { executor, held } = heldExecutor(2);
  const settings = { ...embeddedDefaults(dir), CACHE_WRITE_STRATEGY: 'max' as const };
  const writer = new CacheWriter({ cache, settings, schemas: () => [DEFAULT_SCHEMA], aggregation: () => [], clock: { now: () => now, sleep: () => Promise.resolve() }, logger: silentLogger, stats: new CacheStats(), executor });
  for (let k = 0; k < 5; k++) cache.store('busy.x', now - 60 * (k + 1), k);
  for (let m = 0; m < 1100; m++) cache.store(`many.m${m}`, now - 60, m);
  const pass = writer.drainPass();
  await settle();
  t.is(held.length, 2);
  t.true(held[0].jobs.some((job) => job.metric === 'busy.x'), 'the metric with the most points goes first');
  for (let k = 0; k < 3; k++) cache.store('busy.x', now - 10 * (k + 1), 100 + k);
  held[1].finish();
  await settle();
  t.is(held.length, 3, 'the rest of the metrics in a third batch');
  t.false(held[2].jobs.some((job) => job.metric === 'busy.x'), 'not while its first batch is in flight');
  t.is(writer.pointsInFlight('busy.x').length, 5);
  t.is(cache.countOf('busy.x'), 3, 'its new points wait in the cache, where carbonlink sees them too');
  held[0].finish();
  held[2].finish();
  t.is(await pass, 1105);
  t.is(cache.countOf('busy.x'), 3);
  t.deepEqual(writer.pointsInFlight('busy.x'), []);
});

test('onIdle runs after a pass that wrote points and emptied the cache, not after one that wrote nothing', async (t) => {
  const now = 1_700_000_000;
  const clock: Clock = { now: () => now, sleep: () => Promise.resolve() };
  const cache = new MetricCache({ maxSize: Infinity, lowWatermark: 0, flowControl: true });
  let idle = 0;
  const writer = new CacheWriter({ cache, settings: embeddedDefaults(tempDir(t)), schemas: () => [DEFAULT_SCHEMA], aggregation: () => [], clock, logger: silentLogger, stats: new CacheStats(), onIdle: () => idle++ });
  t.is(await writer.drainPass(), 0);
  t.is(idle, 0);
  cache.store('a.b', now - 60, 1);
  cache.store('a.c', now - 60, 2);
  t.is(await writer.drainPass(), 2);
  t.is(idle, 1);
});
