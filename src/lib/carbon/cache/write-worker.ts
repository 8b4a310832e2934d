/**
 * The cache writer's worker thread: runs batches of whisper writes off the main thread, so
 * receiving never waits for the disk.
 */
import { parentPort } from 'node:worker_threads';
import { type PackedJobs, packResults, unpackJobs } from './write-batch.js';
import { type WriteOptions, runWriteJobs } from './write-jobs.js';

parentPort?.on('message', (message: { id: number; jobs: PackedJobs; options: WriteOptions }) => {
  parentPort!.postMessage({ id: message.id, results: packResults(runWriteJobs(unpackJobs(message.jobs), message.options)) });
});
