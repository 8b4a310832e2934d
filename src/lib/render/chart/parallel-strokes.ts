/**
 * Series coverage computed on two threads: a worker thread starts on a chart's series as soon as
 * they are handed over, while the main thread finishes the rest of the picture (Skia's drawing and
 * reading its pixels back); then the main thread takes whatever series the worker has not begun.
 * Series are taken by number from a shared counter, so each is covered once, by whichever thread
 * is free. A process that draws a single chart never starts the worker (starting one costs more
 * than it saves); from the second chart on it is used. When running from TypeScript sources (no
 * compiled worker script), or after the worker has failed repeatedly, everything runs on the
 * calling thread; a worker that fails mid-chart has its series covered by the main thread.
 */
import { type MessagePort, MessageChannel, Worker, receiveMessageOnPort } from 'node:worker_threads';
import { workerScriptExists } from '../../worker-script.js';
import type { Coverage } from './line-rasterizer.js';
import { type StrokeJob, coverStrokeJob, packStrokeJobs } from './stroke-jobs.js';
import type { StrokeBatchMessage, StrokeResultMessage, StrokeWorkerData } from './stroke-worker.js';

const WORKER_URL = new URL('./stroke-worker.js', import.meta.url);
/** Worker failures after which strokes stay on the calling thread. */
const MAX_WORKER_FAILURES = 3;

interface Batch {
  width: number;
  height: number;
  jobs: readonly StrokeJob[];
  /** The jobs packed over shared memory, which the worker reads too. */
  packed: Float64Array;
  results: Array<Coverage | undefined>;
  /** The worker the batch was handed to: if it is no longer the current one, it failed. */
  worker: Worker;
  /** Set by join(): receives each series' coverage in order, as soon as it and those before it are in. */
  each?: (index: number, coverage: Coverage) => void;
  delivered: number;
  settle?: () => void;
  /** Rejects join(): covering or handing over a series failed. */
  fail?: (error: unknown) => void;
}

let worker: Worker | undefined;
/** Where the worker's results arrive: read as messages, and also drained synchronously between the main thread's own series (so their compositing fills its time instead of waiting for the end). */
let results: MessagePort | undefined;
let failures = 0;
/** Series whose coverage came from the worker (for tests and diagnostics). */
let seriesFromWorker = 0;
let chartsCovered = 0;
let nextBatch = 0;
const batches = new Map<number, Batch>();

function workerAvailable(): boolean {
  return failures < MAX_WORKER_FAILURES && workerScriptExists(WORKER_URL);
}

function startWorker(): Worker {
  const { port1, port2 } = new MessageChannel();
  const started = new Worker(WORKER_URL, { workerData: { results: port2 } satisfies StrokeWorkerData, transferList: [port2] });
  started.unref();
  port1.on('message', receive);
  port1.unref();
  results = port1;
  const fail = (): void => {
    if (worker !== started) return;
    worker = undefined;
    drainResults();
    port1.close();
    results = undefined;
    failures++;
    // Series the worker took and never answered are covered here.
    for (const [id, batch] of batches) {
      if (!batch.each || batch.worker !== started) continue;
      try {
        coverMissing(batch);
      } catch (error) {
        forget(id);
        batch.fail!(error);
        continue;
      }
      deliver(id, batch);
    }
  };
  started.on('error', fail);
  started.on('exit', fail);
  return started;
}

function receive(message: StrokeResultMessage): void {
  const batch = batches.get(message.batch);
  if (!batch) return;
  batch.results[message.index] = { pixels: message.pixels, cover: message.cover };
  seriesFromWorker++;
  deliver(message.batch, batch);
}

/** Takes in (and delivers) every result the worker has sent so far, without waiting for the event loop. */
function drainResults(): void {
  for (let received = results && receiveMessageOnPort(results); received; received = results && receiveMessageOnPort(results)) receive(received.message as StrokeResultMessage);
}

function coverMissing(batch: Batch): void {
  for (let i = 0; i < batch.jobs.length; i++) batch.results[i] ??= coverStrokeJob(batch.packed, batch.jobs, i, batch.width, batch.height);
}

/** Drops a batch that is settled (or failed); the worker may let the process exit once none is left. */
function forget(id: number): void {
  batches.delete(id);
  if (batches.size > 0) return;
  worker?.unref();
  results?.unref();
}

/** Hands join() every result that is next in order, and settles the batch when all are handed. */
function deliver(id: number, batch: Batch): void {
  if (!batch.each) return;
  try {
    while (batch.delivered < batch.jobs.length && batch.results[batch.delivered] !== undefined) {
      batch.each(batch.delivered, batch.results[batch.delivered]!);
      batch.delivered++;
    }
  } catch (error) {
    forget(id);
    batch.fail!(error);
    return;
  }
  if (batch.delivered < batch.jobs.length) return;
  forget(id);
  batch.settle!();
}

export interface ParallelCoverage {
  /**
   * Covers the series not yet taken on this thread, then waits for the worker's; `each` gets every
   * series' coverage in drawing order, as soon as it and those before it are in (so compositing
   * goes on while the worker finishes). Must be called once for every coverInParallel (even to
   * give up: join(() => {})), or the worker keeps the process alive.
   */
  join(each: (index: number, coverage: Coverage) => void): Promise<void>;
}

/** Starts covering `jobs` (the series of one chart, in drawing order) on the worker, if there is one. */
export function coverInParallel(width: number, height: number, jobs: readonly StrokeJob[]): ParallelCoverage {
  chartsCovered++;
  if (!worker && chartsCovered > 1 && workerAvailable()) {
    try {
      worker = startWorker();
    } catch {
      failures++; // (e.g. no memory for another thread): this chart, at least, is covered here
    }
  }
  if (!worker || jobs.length === 0) {
    const packed = packStrokeJobs(jobs);
    return { join: async (each) => jobs.forEach((_, i) => each(i, coverStrokeJob(packed, jobs, i, width, height))) };
  }
  const id = nextBatch++;
  const next = new Int32Array(new SharedArrayBuffer(4));
  const packed = packStrokeJobs(jobs, true);
  const batch: Batch = { width, height, jobs, packed, results: new Array(jobs.length).fill(undefined), worker, delivered: 0 };
  batches.set(id, batch);
  worker.ref();
  results?.ref();
  const message: StrokeBatchMessage = { batch: id, width, height, jobs: packed, next };
  worker.postMessage(message);
  return {
    join: (each) =>
      new Promise((resolve, reject) => {
        batch.each = each;
        batch.settle = resolve;
        batch.fail = reject;
        try {
          for (;;) {
            const index = Atomics.add(next, 0, 1);
            if (index >= jobs.length) break;
            batch.results[index] = coverStrokeJob(packed, jobs, index, width, height);
            deliver(id, batch);
            drainResults();
            if (!batches.has(id)) return; // settled, or failed while handing over
          }
          // The worker took the others; some may have arrived already. If it has failed meanwhile, they are covered here.
          if (batch.worker !== worker) coverMissing(batch);
        } catch (error) {
          forget(id);
          reject(error);
          return;
        }
        deliver(id, batch);
      }),
  };
}

/** How the work has been shared so far: series covered by the worker, its failures, charts not yet joined. */
export function parallelStrokeStats(): { seriesFromWorker: number; workerFailures: number; workerRunning: boolean; pendingCharts: number } {
  return { seriesFromWorker, workerFailures: failures, workerRunning: worker !== undefined, pendingCharts: batches.size };
}

/** Stops the worker as if it had crashed (tests: the series it took are then covered on the calling thread). */
export async function killStrokeWorker(): Promise<void> {
  await worker?.terminate();
}
