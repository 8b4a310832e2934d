/**
 * The writer's worker thread, from the built module (the worker script exists only in dist/, which
 * `npm test` builds first): a worker that dies fails its batch and a new one takes over.
 */
import test from 'ava';
import fs from 'node:fs';
import path from 'node:path';
import type * as Executor from '../../../../src/lib/carbon/cache/write-executor.js';
import type * as Writer from '../../../../src/lib/carbon/cache/cache-writer.js';
import type * as Cache from '../../../../src/lib/carbon/cache/metric-cache.js';
import type * as Stats from '../../../../src/lib/carbon/cache-stats.js';
import type * as Settings from '../../../../src/lib/carbon/config/cache-settings.js';
import type * as Schemas from '../../../../src/lib/carbon/config/storage-schemas.js';
import { FixedClock } from '../../../../src/lib/clock.js';
import { fetch } from '../../../../src/lib/whisper/fetch.js';
import { tempDir } from '../../../_helpers/temp-dir.js';

const built = path.resolve('dist/lib/carbon/cache/write-executor.js');

test('a writer worker that dies is replaced; after MAX_WORKER_RESTARTS deaths batches run on the main thread', async (t) => {
  if (!fs.existsSync(built)) return t.fail('dist/ is missing: run npm run build');
  const { WorkerExecutor, MAX_WORKER_RESTARTS } = (await import(built)) as typeof Executor;
  const dir = tempDir(t);
  const deaths: boolean[] = [];
  const executor = new WorkerExecutor((_error, restarting) => deaths.push(restarting));
  t.teardown(() => executor.close());
  const job = (n: number) => ({ metric: `m${n}`, file: path.join(dir, `m${n}.wsp`), create: { archives: [{ secondsPerPoint: 60, points: 10 }], aggregationMethod: 'average' as const, xFilesFactor: 0.5, sparse: false, fallocate: false }, points: new Float64Array([1_700_000_000, n]) });
  const options = { lock: false, autoflush: false, now: 1_700_000_000 };
  t.is((await executor.run([job(1)], options))[0].written, 1);
  const kill = (): Promise<number> => (executor as unknown as { worker: { terminate(): Promise<number> } }).worker.terminate();
  for (let i = 0; i < MAX_WORKER_RESTARTS; i++) {
    // A batch in the worker when it dies fails (the writer then puts its points back); a batch the
    // worker finished first succeeds: either is correct, so both are accepted.
    const inFlight = executor.run(Array.from({ length: 200 }, (_, k) => job(1000 * (i + 1) + k)), options);
    await kill();
    await inFlight.then(
      (results) => t.is(results.length, 200),
      (error: Error) => t.regex(error.message, /writer worker exited/),
    );
    t.is(executor.restarts, i + 1);
    t.is((await executor.run([job(2 + i)], options))[0].written, 1, 'a new worker writes');
  }
  await kill();
  t.deepEqual(deaths, [...Array(MAX_WORKER_RESTARTS).fill(true), false]);
  t.is((await executor.run([job(50)], options))[0].written, 1, 'the main thread writes once the restarts are used up');
});

test('points of a batch whose worker dies go back to the cache, and carbonlink sees them while they are written', async (t) => {
  if (!fs.existsSync(built)) return t.fail('dist/ is missing: run npm run build');
  const { WorkerExecutor } = (await import(built)) as typeof Executor;
  const { CacheWriter } = (await import(path.resolve('dist/lib/carbon/cache/cache-writer.js'))) as typeof Writer;
  const { MetricCache } = (await import(path.resolve('dist/lib/carbon/cache/metric-cache.js'))) as typeof Cache;
  const { CacheStats } = (await import(path.resolve('dist/lib/carbon/cache-stats.js'))) as typeof Stats;
  const { embeddedDefaults } = (await import(path.resolve('dist/lib/carbon/config/cache-settings.js'))) as typeof Settings;
  const { DEFAULT_SCHEMA } = (await import(path.resolve('dist/lib/carbon/config/storage-schemas.js'))) as typeof Schemas;
  const now = 1_700_000_000;
  const executor = new WorkerExecutor();
  t.teardown(() => executor.close());
  const cache = new MetricCache({ maxSize: Infinity, lowWatermark: 0, flowControl: true });
  const writer = new CacheWriter({ cache, settings: embeddedDefaults(tempDir(t)), schemas: () => [DEFAULT_SCHEMA], aggregation: () => [], clock: { now: () => now, sleep: () => Promise.resolve() }, logger: { debug() {}, info() {}, warn() {}, error() {} }, stats: new CacheStats(), executor });
  for (let m = 0; m < 300; m++) for (let k = 0; k < 5; k++) cache.store(`w.m${m}`, now - 60 * (k + 1), m + k);
  const pass = writer.drainPass();
  // The batch is in the worker now: its points are in flight, readable for carbonlink.
  t.is(cache.size, 0);
  t.deepEqual(writer.pointsInFlight('w.m7').sort((a, b) => a[0] - b[0]), [5, 4, 3, 2, 1].map((k) => [now - 60 * k, 7 + k - 1]) as Array<[number, number]>);
  await (executor as unknown as { worker: { terminate(): Promise<number> } }).worker.terminate();
  await pass.then(
    () => t.pass('the worker finished first'),
    () => t.is(cache.size, 1500, 'every point back in the cache'),
  );
});

test('a pool of writer workers gives update batches sent together to different workers, and creates files on the first', async (t) => {
  if (!fs.existsSync(built)) return t.fail('dist/ is missing: run npm run build');
  const { WorkerPool } = (await import(built)) as typeof Executor;
  const dir = tempDir(t);
  const pool = new WorkerPool(2);
  t.teardown(() => pool.close());
  t.is(pool.concurrency, 4, 'two batches per worker: one written, one queued');
  const job = (n: number, create: boolean) => ({ metric: `m${n}`, file: path.join(dir, `m${n}.wsp`), create: create ? { archives: [{ secondsPerPoint: 60, points: 10 }], aggregationMethod: 'average' as const, xFilesFactor: 0.5, sparse: false, fallocate: false } : undefined, points: new Float64Array([1_700_000_000, n]) });
  const options = { lock: false, autoflush: false, now: 1_700_000_000 };
  const workers = (pool as unknown as { workers: Array<{ busy: number }> }).workers;
  const creating = [pool.run([job(1, true), job(2, false)], options), pool.run([job(3, true)], options)];
  t.deepEqual(workers.map((w) => w.busy), [2, 0], 'creates on one thread');
  const created = (await Promise.all(creating)).flat();
  t.deepEqual(created.map((r) => [r.metric, r.written, r.created, r.missing]), [['m1', 1, true, undefined], ['m2', 0, false, true], ['m3', 1, true, undefined]]);
  const updating = [pool.run([job(1, false)], options), pool.run([job(3, false)], options)];
  t.deepEqual(workers.map((w) => w.busy), [1, 1], 'one update batch each');
  t.deepEqual((await Promise.all(updating)).flat().map((r) => [r.metric, r.written, r.error]), [['m1', 1, undefined], ['m3', 1, undefined]]);
  t.deepEqual(workers.map((w) => w.busy), [0, 0]);
  // A batch that creates: the file on the first worker, then its points by the other one.
  const sent: Array<Array<[string, boolean, number]>> = [[], []];
  workers.forEach((worker, i) => {
    const run = (worker as unknown as Executor.WorkerExecutor).run.bind(worker);
    (worker as unknown as Executor.WorkerExecutor).run = (jobs, opts) => {
      sent[i].push(...jobs.map((j) => [j.metric, Boolean(j.create), j.points.length / 2] as [string, boolean, number]));
      return run(jobs, opts);
    };
  });
  t.deepEqual((await pool.run([job(5, true), job(3, false)], options)).map((r) => [r.metric, r.written, r.created, r.error]), [['m5', 1, true, undefined], ['m3', 1, false, undefined]]);
  t.deepEqual(sent, [[['m5', true, 0]], [['m5', false, 1], ['m3', false, 1]]]);
  sent.forEach((list) => (list.length = 0));
  // The first worker has used up its restarts (it would write on the main thread): the other one takes every batch.
  (workers[0] as unknown as { closed: boolean }).closed = true;
  const rest = [pool.run([job(4, true)], options), pool.run([job(1, false)], options)];
  t.deepEqual(workers.map((w) => w.busy), [0, 2]);
  t.deepEqual((await Promise.all(rest)).flat().map((r) => [r.metric, r.written, r.error]), [['m4', 1, undefined], ['m1', 1, undefined]]);
  t.deepEqual(sent[0], [], 'nothing for the worker that gave up');
});

test('where new files are made without a name, a pool gives batches that create files to every worker, each publishing its files with their points', async (t) => {
  if (!fs.existsSync(built)) return t.fail('dist/ is missing: run npm run build');
  const { WorkerPool } = (await import(built)) as typeof Executor;
  const dir = tempDir(t);
  let asked = 0;
  const pool = new WorkerPool(2, undefined, () => ++asked > 0);
  t.teardown(() => pool.close());
  const job = (n: number) => ({ metric: `m${n}`, file: path.join(dir, `m${n}.wsp`), create: { archives: [{ secondsPerPoint: 60, points: 10 }], aggregationMethod: 'average' as const, xFilesFactor: 0.5, sparse: false, fallocate: false }, points: new Float64Array([1_700_000_000 - 60, n, 1_700_000_000, n + 1]) });
  const options = { lock: false, autoflush: false, now: 1_700_000_000 };
  const workers = (pool as unknown as { workers: Array<{ busy: number }> }).workers;
  const creating = [pool.run([job(1), job(2)], options), pool.run([job(3)], options)];
  t.deepEqual(workers.map((w) => w.busy), [1, 1], 'side by side');
  t.deepEqual((await Promise.all(creating)).flat().map((r) => [r.metric, r.written, r.created, r.error]), [['m1', 2, true, undefined], ['m2', 2, true, undefined], ['m3', 2, true, undefined]]);
  t.is(asked, 1, 'asked once');
  t.deepEqual(fs.readdirSync(dir).sort(), ['m1.wsp', 'm2.wsp', 'm3.wsp']);
  const clock = new FixedClock(1_700_000_000);
  t.deepEqual(fetch(path.join(dir, 'm3.wsp'), 1_700_000_000 - 120, 1_700_000_000, {}, { clock })?.values.slice(-2), [3, 4]);
  // The same jobs again: the files exist, so the points are written into them.
  t.deepEqual((await pool.run([job(1)], options)).map((r) => [r.metric, r.written, r.created]), [['m1', 2, false]]);
});
