/**
 * Where the cache writer's batches run: inline on the main thread, or in a worker thread
 * (dist/lib/carbon/cache/write-worker.js) so the receivers keep reading while the disk works.
 */
import { Worker } from 'node:worker_threads';
import { workerScriptExists } from '../../worker-script.js';
import { type PackedResults, packJobs, unpackResults } from './write-batch.js';
import { type WriteJob, type WriteJobResult, type WriteOptions, runWriteJobs } from './write-jobs.js';

export interface WriteExecutor {
  /** Batches the writer keeps in flight: being written, or queued to start as soon as a thread is free. */
  readonly concurrency: number;
  run(jobs: WriteJob[], options: WriteOptions): Promise<WriteJobResult[]>;
  close(): Promise<void>;
}

/** Runs batches on the calling thread. */
export const inlineExecutor: WriteExecutor = {
  concurrency: 1,
  run: async (jobs, options) => runWriteJobs(jobs, options),
  close: async () => {},
};

const WORKER_URL = new URL('./write-worker.js', import.meta.url);

/** True when the compiled worker script is there (it is not when running from TypeScript sources). */
export function workerAvailable(): boolean {
  return workerScriptExists(WORKER_URL);
}

/** Worker deaths after which batches run on the main thread for good. */
export const MAX_WORKER_RESTARTS = 5;

/**
 * Runs batches in one worker thread, one batch at a time. If the worker dies, the batches in it
 * fail (the writer puts their points back) and a new worker takes over; after
 * MAX_WORKER_RESTARTS deaths, batches run on the main thread.
 */
export class WorkerExecutor implements WriteExecutor {
  /** One batch written, the next one waiting in the worker's queue (no idle gap between them). */
  readonly concurrency = 2;
  private worker!: Worker;
  private nextId = 0;
  private closed = false;
  /** Workers started after a death. */
  restarts = 0;
  private readonly pending = new Map<number, { jobs: readonly WriteJob[]; resolve: (results: WriteJobResult[]) => void; reject: (error: Error) => void }>();

  constructor(private readonly onDeath: (error: Error, restarting: boolean) => void = () => {}) {
    this.start();
  }

  private start(): void {
    const worker = new Worker(WORKER_URL);
    this.worker = worker;
    let dead = false;
    worker.on('message', (message: { id: number; results: PackedResults }) => {
      const waiter = this.pending.get(message.id);
      this.pending.delete(message.id);
      waiter?.resolve(unpackResults(message.results, waiter.jobs));
    });
    const die = (error: Error): void => {
      if (dead || this.closed) return;
      dead = true;
      for (const waiter of this.pending.values()) waiter.reject(error);
      this.pending.clear();
      const restarting = this.restarts < MAX_WORKER_RESTARTS;
      this.onDeath(error, restarting);
      if (restarting) {
        this.restarts++;
        this.start();
      } else this.closed = true;
    };
    worker.on('error', die);
    worker.on('exit', (code) => die(new Error(`writer worker exited (${code})`)));
  }

  /** False once its restarts are used up (it then writes on the calling thread) or it is closed. */
  get alive(): boolean {
    return !this.closed;
  }

  /** Batches sent and not yet answered. */
  get busy(): number {
    return this.pending.size;
  }

  run(jobs: WriteJob[], options: WriteOptions): Promise<WriteJobResult[]> {
    if (this.closed) return inlineExecutor.run(jobs, options);
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { jobs, resolve, reject });
      // The points are copied, not transferred: until the batch is written they stay readable here
      // (carbonlink answers them from the writer's in-flight points, and a failed batch puts them back).
      this.worker.postMessage({ id, jobs: packJobs(jobs), options });
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.worker.terminate();
  }
}

/**
 * Several writer workers: each batch goes to the one with the fewest batches in hand, so every
 * worker writes one (files of different metrics, on as many cores) and has the next one queued.
 * Where new files are made without a name (unnamed-file.ts: only their final link changes the
 * directory), batches that create files go the same way, and each worker publishes its new
 * files with their points. Where they are made under temporary names, files are all created
 * by the first live worker: each create then changes the directory three times under its lock,
 * and two threads doing so side by side are slower together than one alone (ext4, measured);
 * the points of such a batch are written once its files are made, by the least busy worker, so
 * while one thread creates the next files another writes into those made before.
 * Each worker is replaced on its own when it dies, as a WorkerExecutor.
 */
export class WorkerPool implements WriteExecutor {
  readonly concurrency: number;
  private readonly workers: WorkerExecutor[];
  private createsSideBySide?: boolean;

  /** `unnamedCreates`: whether new files are made without a name (asked once, at the first batch with creates). */
  constructor(
    threads: number,
    onDeath?: (error: Error, restarting: boolean) => void,
    private readonly unnamedCreates: () => boolean = () => false,
  ) {
    this.workers = Array.from({ length: Math.max(1, threads) }, () => new WorkerExecutor(onDeath));
    this.concurrency = this.workers.reduce((sum, worker) => sum + worker.concurrency, 0);
  }

  run(jobs: WriteJob[], options: WriteOptions): Promise<WriteJobResult[]> {
    // A worker that has used up its restarts writes on the main thread: it gets batches only
    // when no worker is left.
    const alive = this.workers.filter((worker) => worker.alive);
    if (alive.length === 0) return this.workers[0].run(jobs, options);
    if (!jobs.some((job) => job.create) || (this.createsSideBySide ??= this.unnamedCreates())) return idlest(alive).run(jobs, options);
    if (alive.length === 1) return alive[0].run(jobs, options);
    return this.createThenWrite(alive, jobs, options);
  }

  /** A batch with creates: the files on the first live worker, then every job's points on the least busy one. */
  private async createThenWrite(alive: WorkerExecutor[], jobs: WriteJob[], options: WriteOptions): Promise<WriteJobResult[]> {
    const creating = jobs.filter((job) => job.create);
    const made = await alive[0].run(creating.map((job) => ({ ...job, points: NO_POINTS })), options);
    const creates = new Map(creating.map((job, i) => [job, made[i]]));
    // Points of jobs whose create failed are not written (the result carries the error).
    const writing = jobs.filter((job) => creates.get(job)?.error === undefined);
    // On a tie, a worker other than the creating one (it has the next creates coming).
    const stillAlive = this.workers.filter((worker) => worker.alive);
    const writer = stillAlive.length > 0 ? idlest([...stillAlive.slice(1), stillAlive[0]]) : this.workers[0];
    const written = writing.length === 0 ? [] : await writer.run(writing.map((job) => ({ ...job, create: undefined })), options);
    const writes = new Map(writing.map((job, i) => [job, written[i]]));
    return jobs.map((job) => {
      const created = creates.get(job);
      const write = writes.get(job);
      if (!write) return created!;
      if (!created) return write;
      return { ...write, created: created.created, microseconds: created.microseconds + write.microseconds };
    });
  }

  async close(): Promise<void> {
    await Promise.all(this.workers.map((worker) => worker.close()));
  }
}

const NO_POINTS = new Float64Array(0);

/** The worker with the fewest batches in hand (the first of them on a tie). */
function idlest(workers: readonly WorkerExecutor[]): WorkerExecutor {
  let best = workers[0];
  for (const worker of workers) if (worker.busy < best.busy) best = worker;
  return best;
}
