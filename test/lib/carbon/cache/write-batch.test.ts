/**
 * Write batches as they cross to a writer thread: packed and unpacked (through a structured
 * clone, as postMessage sends them), the jobs and results come back as they were.
 */
import test from 'ava';
import fc from 'fast-check';
import { packJobs, packResults, unpackJobs, unpackResults } from '../../../../src/lib/carbon/cache/write-batch.js';
import type { CreateSpec, WriteJob, WriteJobResult } from '../../../../src/lib/carbon/cache/write-jobs.js';

const archives = [{ secondsPerPoint: 10, points: 8640 }];
const specs: CreateSpec[] = [
  { archives, xFilesFactor: 0.5, aggregationMethod: 'average', sparse: false, fallocate: true },
  { archives, xFilesFactor: 0, aggregationMethod: 'sum', sparse: false, fallocate: true },
  { archives: [{ secondsPerPoint: 60, points: 10 }], xFilesFactor: 0.5, aggregationMethod: 'max', sparse: true, fallocate: false },
];

const job = fc.record({
  metric: fc.stringMatching(/^[a-z.]{1,12}$/),
  create: fc.option(fc.constantFrom(...specs), { nil: undefined }),
  points: fc.array(fc.double(), { maxLength: 8 }).map((values) => Float64Array.from(values.length % 2 ? values.slice(1) : values)),
});

test('jobs packed for a writer thread come back as they were, each create spec sent once (property)', (t) => {
  fc.assert(
    fc.property(fc.array(job, { maxLength: 30 }), fc.boolean(), (drawn, withFiles) => {
      const jobs: WriteJob[] = drawn.map((j, i) => (withFiles ? { ...j, file: `/data/${i}.wsp` } : j));
      const packed = structuredClone(packJobs(jobs));
      const back = unpackJobs(packed);
      t.is(packed.specs.length, new Set(jobs.map((j) => j.create).filter(Boolean)).size);
      t.is(packed.files === undefined, !withFiles || jobs.length === 0);
      back.forEach((b, i) => {
        t.is(b.metric, jobs[i].metric);
        t.is(b.file, jobs[i].file);
        t.deepEqual(b.create, jobs[i].create);
        t.deepEqual([...b.points], [...jobs[i].points]);
      });
      return back.length === jobs.length;
    }),
    { numRuns: 300 },
  );
});

test('results packed by a writer thread come back as runWriteJobs gave them', (t) => {
  const jobs: WriteJob[] = ['a', 'b', 'c', 'd'].map((metric) => ({ metric, points: new Float64Array(0) }));
  const results: WriteJobResult[] = [
    { metric: 'a', written: 30, created: true, microseconds: 12.5 },
    { metric: 'b', written: 0, created: false, microseconds: 0, error: 'EACCES: permission denied', createFailed: true },
    { metric: 'c', written: 0, created: false, microseconds: 0, missing: true },
    { metric: 'd', written: 0, created: true, microseconds: 0, error: 'disk full' },
  ];
  t.deepEqual(unpackResults(structuredClone(packResults(results)), jobs), results);
});
