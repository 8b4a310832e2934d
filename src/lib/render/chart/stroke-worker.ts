/**
 * The chart stroke worker thread: takes series of a batch by number from a shared counter (the
 * main thread takes the others once its own drawing is done) and sends back each one's coverage
 * as soon as it has it, on the port it was given (which the main thread also reads synchronously).
 */
import { type MessagePort, parentPort, workerData } from 'node:worker_threads';
import { coverStrokeJob, unpackStrokeJobs } from './stroke-jobs.js';

export interface StrokeBatchMessage {
  batch: number;
  width: number;
  height: number;
  /** The series, packed by packStrokeJobs over a SharedArrayBuffer (the main thread reads it too). */
  jobs: Float64Array;
  /** Int32Array over a SharedArrayBuffer: the next series number not yet taken by either thread. */
  next: Int32Array;
}

export interface StrokeWorkerData {
  results: MessagePort;
}

export interface StrokeResultMessage {
  batch: number;
  index: number;
  pixels: Int32Array;
  cover: Float32Array;
}

const results = (workerData as StrokeWorkerData | undefined)?.results;

parentPort?.on('message', (message: StrokeBatchMessage) => {
  const jobs = unpackStrokeJobs(message.jobs);
  for (;;) {
    const index = Atomics.add(message.next, 0, 1);
    if (index >= jobs.length) break;
    const { pixels, cover } = coverStrokeJob(message.jobs, jobs, index, message.width, message.height);
    const result: StrokeResultMessage = { batch: message.batch, index, pixels, cover };
    results!.postMessage(result, [pixels.buffer as ArrayBuffer, cover.buffer as ArrayBuffer]);
  }
});
