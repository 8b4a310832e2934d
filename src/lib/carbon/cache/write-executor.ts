/**
 * Where the cache writer's batches run: inline on the main thread, or in a worker thread
 * (dist/lib/carbon/cache/write-worker.js) so the receivers keep reading while the disk works.
 */
import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { type WriteJob, type WriteJobResult, type WriteOptions, runWriteJobs } from './write-jobs.js';

export interface WriteExecutor {
  run(jobs: WriteJob[], options: WriteOptions): Promise<WriteJobResult[]>;
  close(): Promise<void>;
}

/** Runs batches on the calling thread. */
export const inlineExecutor: WriteExecutor = {
  run: async (jobs, options) => runWriteJobs(jobs, options),
  close: async () => {},
};

const WORKER_URL = new URL('./write-worker.js', import.meta.url);

/** True when the compiled worker script is there (it is not when running from TypeScript sources). */
export function workerAvailable(): boolean {
  return WORKER_URL.protocol === 'file:' && fs.existsSync(fileURLToPath(WORKER_URL));
}

/**
 * Runs batches in one worker thread, one batch at a time. If the worker dies, the batch in it
 * fails (the writer puts its points back) and later batches run on the main thread.
 */
export class WorkerExecutor implements WriteExecutor {
  private readonly worker = new Worker(WORKER_URL);
  private nextId = 0;
  private dead?: Error;
  private readonly pending = new Map<number, { resolve: (results: WriteJobResult[]) => void; reject: (error: Error) => void }>();

  constructor(private readonly onDeath: (error: Error) => void = () => {}) {
    this.worker.on('message', (message: { id: number; results: WriteJobResult[] }) => {
      this.pending.get(message.id)?.resolve(message.results);
      this.pending.delete(message.id);
    });
    const die = (error: Error): void => {
      if (this.dead) return;
      this.dead = error;
      for (const waiter of this.pending.values()) waiter.reject(error);
      this.pending.clear();
      this.onDeath(error);
    };
    this.worker.on('error', die);
    this.worker.on('exit', (code) => die(new Error(`writer worker exited (${code})`)));
  }

  run(jobs: WriteJob[], options: WriteOptions): Promise<WriteJobResult[]> {
    if (this.dead) return inlineExecutor.run(jobs, options);
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.worker.postMessage({ id, jobs, options }, jobs.map((j) => j.points.buffer as ArrayBuffer));
    });
  }

  async close(): Promise<void> {
    this.dead ??= new Error('closed');
    await this.worker.terminate();
  }
}
