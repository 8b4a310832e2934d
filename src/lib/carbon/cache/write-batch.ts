/**
 * A batch of write jobs, and its results, as they cross to a writer thread: a few arrays instead
 * of an object per job. postMessage clones what it sends on the receiving thread, and an object
 * per job (name, file, create spec with its archives, a typed array of points) cost ~2 µs each
 * there, one job per metric written; a string per job and a share of one typed array cost a
 * tenth of that. Files are not sent: the writer thread finds them from the metric's name.
 */
import type { CreateSpec, WriteJob, WriteJobResult } from './write-jobs.js';

export interface PackedJobs {
  metrics: string[];
  /** Only when the jobs name their files (tests); else each is found from its metric. */
  files?: string[];
  /** Job i's points (timestamp, value, ...) are points[offsets[i], offsets[i + 1]). */
  points: Float64Array;
  offsets: Uint32Array;
  /** Job i's create is specs[creates[i] - 1] (0: none). */
  creates: Uint32Array;
  specs: CreateSpec[];
}

export interface PackedResults {
  written: Float64Array;
  microseconds: Float64Array;
  /** CREATED | CREATE_FAILED | MISSING per job. */
  flags: Uint8Array;
  /** (job index, message) of the jobs that failed. */
  errors: Array<[number, string]>;
}

const CREATED = 1;
const CREATE_FAILED = 2;
const MISSING = 4;

export function packJobs(jobs: readonly WriteJob[]): PackedJobs {
  const count = jobs.length;
  const offsets = new Uint32Array(count + 1);
  for (let i = 0; i < count; i++) offsets[i + 1] = offsets[i] + jobs[i].points.length;
  const points = new Float64Array(offsets[count]);
  const creates = new Uint32Array(count);
  // Each spec object once (the writer gives the jobs of one schema and aggregation the same object).
  const specNumbers = new Map<CreateSpec, number>();
  const metrics = new Array<string>(count);
  let files: string[] | undefined;
  for (let i = 0; i < count; i++) {
    const job = jobs[i];
    metrics[i] = job.metric;
    points.set(job.points, offsets[i]);
    if (job.create) {
      let number = specNumbers.get(job.create);
      if (number === undefined) specNumbers.set(job.create, (number = specNumbers.size + 1));
      creates[i] = number;
    }
    if (job.file !== undefined) (files ??= new Array<string>(count))[i] = job.file;
  }
  return { metrics, files, points, offsets, creates, specs: [...specNumbers.keys()] };
}

export function unpackJobs(packed: PackedJobs): WriteJob[] {
  return packed.metrics.map((metric, i) => ({
    metric,
    file: packed.files?.[i],
    create: packed.creates[i] > 0 ? packed.specs[packed.creates[i] - 1] : undefined,
    points: packed.points.subarray(packed.offsets[i], packed.offsets[i + 1]),
  }));
}

export function packResults(results: readonly WriteJobResult[]): PackedResults {
  const written = new Float64Array(results.length);
  const microseconds = new Float64Array(results.length);
  const flags = new Uint8Array(results.length);
  const errors: Array<[number, string]> = [];
  results.forEach((result, i) => {
    written[i] = result.written;
    microseconds[i] = result.microseconds;
    flags[i] = (result.created ? CREATED : 0) | (result.createFailed ? CREATE_FAILED : 0) | (result.missing ? MISSING : 0);
    if (result.error !== undefined) errors.push([i, result.error]);
  });
  return { written, microseconds, flags, errors };
}

/** The results of `jobs` (the batch that was packed), as runWriteJobs gave them. */
export function unpackResults(packed: PackedResults, jobs: readonly WriteJob[]): WriteJobResult[] {
  const results: WriteJobResult[] = jobs.map((job, i) => {
    const flags = packed.flags[i];
    const result: WriteJobResult = { metric: job.metric, written: packed.written[i], created: (flags & CREATED) !== 0, microseconds: packed.microseconds[i] };
    if (flags & CREATE_FAILED) result.createFailed = true;
    if (flags & MISSING) result.missing = true;
    return result;
  });
  for (const [i, message] of packed.errors) results[i].error = message;
  return results;
}
