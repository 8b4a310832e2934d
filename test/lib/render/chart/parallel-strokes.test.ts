/**
 * Series coverage shared with a worker thread, from the built module (the worker script exists
 * only in dist/, which `npm test` builds first): the same coverage as on one thread, the worker
 * really takes part from the second chart on, and a worker that dies mid-chart loses nothing.
 */
import fs from 'node:fs';
import path from 'node:path';
import test from 'ava';
import type * as Rasterizer from '../../../../src/lib/render/chart/line-rasterizer.js';
import type * as Parallel from '../../../../src/lib/render/chart/parallel-strokes.js';
import type { StrokeJob } from '../../../../src/lib/render/chart/stroke-jobs.js';

const built = (name: string): string => path.resolve(`dist/lib/render/chart/${name}.js`);
const W = 400;
const H = 300;

/** A chart's worth of noisy series (a seeded random walk each), some broken into several lines. */
function chart(seed: number, seriesCount: number): StrokeJob[] {
  let state = seed;
  const random = (): number => {
    state = (state * 1103515245 + 12345) >>> 0;
    return state / 2 ** 32;
  };
  return Array.from({ length: seriesCount }, () => {
    const lines: number[][] = [[]];
    let y = 150;
    for (let x = 10; x < 390; x += 0.8) {
      y = Math.min(290, Math.max(5, y + (random() - 0.5) * 14));
      if (random() < 0.01) lines.push([]);
      lines[lines.length - 1].push(x, y);
    }
    return { lines, style: { lineWidth: 1.2, clip: { x0: 10, y0: 5, x1: 390, y1: 295 } } };
  });
}

test('coverage shared with the worker is the coverage of one thread; the worker takes series from the second chart on, and its death mid-chart loses none', async (t) => {
  if (!fs.existsSync(built('stroke-worker'))) return t.fail('dist/ is missing: run npm run build');
  const { coverInParallel, parallelStrokeStats, killStrokeWorker } = (await import(built('parallel-strokes'))) as typeof Parallel;
  const { coverPolylines } = (await import(built('line-rasterizer'))) as typeof Rasterizer;
  const alone = (jobs: StrokeJob[]) => jobs.map((job) => coverPolylines(W, H, job.lines, job.style));
  const joined = async (covering: Parallel.ParallelCoverage): Promise<Rasterizer.Coverage[]> => {
    const order: number[] = [];
    const out: Rasterizer.Coverage[] = [];
    await covering.join((i, coverage) => {
      order.push(i);
      out[i] = coverage;
    });
    t.deepEqual(order, [...out.keys()], 'handed over in drawing order, once each');
    return out;
  };
  const same = (a: Rasterizer.Coverage[], b: Rasterizer.Coverage[]): boolean => a.length === b.length && a.every((c, i) => Buffer.compare(Buffer.from(c.pixels.buffer), Buffer.from(b[i].pixels.buffer)) === 0 && Buffer.compare(Buffer.from(c.cover.buffer), Buffer.from(b[i].cover.buffer)) === 0);

  const first = chart(1, 6);
  t.true(same(await joined(coverInParallel(W, H, first)), alone(first)), 'first chart, on the calling thread');
  t.false(parallelStrokeStats().workerRunning, 'no worker for a single chart');

  // From the second chart on the worker runs; it takes series while this thread is "busy".
  let fromWorker = 0;
  for (let seed = 2; seed < 200 && fromWorker === 0; seed++) {
    const jobs = chart(seed, 8);
    const covering = coverInParallel(W, H, jobs);
    const until = Date.now() + 20;
    while (Date.now() < until); // the rest of the picture being drawn meanwhile
    t.true(same(await joined(covering), alone(jobs)), `chart ${seed}`);
    fromWorker = parallelStrokeStats().seriesFromWorker;
  }
  t.true(fromWorker > 0, 'the worker covered some series');

  const jobs = chart(99, 8);
  const covering = coverInParallel(W, H, jobs);
  await killStrokeWorker();
  t.true(same(await joined(covering), alone(jobs)), 'every series covered after the worker died');
  t.is(parallelStrokeStats().workerFailures, 1);
  t.false(parallelStrokeStats().workerRunning);
  // The next chart starts a new worker and still gets the same coverage.
  const after = chart(100, 8);
  t.true(same(await joined(coverInParallel(W, H, after)), alone(after)));
  t.true(parallelStrokeStats().workerRunning);

  // A hand-over that throws rejects the join and leaves nothing pending (the worker would otherwise keep the process alive).
  await t.throwsAsync(coverInParallel(W, H, chart(101, 8)).join(() => {
    throw new Error('composite failed');
  }), { message: 'composite failed' });
  t.is(parallelStrokeStats().pendingCharts, 0);
  t.true(same(await joined(coverInParallel(W, H, after)), alone(after)), 'the next chart is covered as usual');
  t.is(parallelStrokeStats().pendingCharts, 0);
});
