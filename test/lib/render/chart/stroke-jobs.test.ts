import test from 'ava';
import fc from 'fast-check';
import { type StrokeJob, packStrokeJobs, unpackStrokeJobs } from '../../../../src/lib/render/chart/stroke-jobs.js';

const coordinate = fc.double({ min: -1e6, max: 1e6, noNaN: true });
const job: fc.Arbitrary<StrokeJob> = fc.record({
  lines: fc.array(
    fc.array(fc.tuple(coordinate, coordinate), { maxLength: 20 }).map((points) => points.flat()),
    { maxLength: 5 },
  ),
  style: fc.record({ lineWidth: fc.double({ min: 0, max: 50, noNaN: true }), clip: fc.record({ x0: coordinate, y0: coordinate, x1: coordinate, y1: coordinate }) }),
});

test('a chart\'s series packed in one array come back as they were (lines, widths and clips, in order)', (t) => {
  fc.assert(
    fc.property(fc.array(job, { maxLength: 12 }), (jobs) => {
      const back = unpackStrokeJobs(packStrokeJobs(jobs));
      t.deepEqual(
        back.map((j) => ({ lines: j.lines.map((l) => Array.from(l)), style: j.style })),
        jobs.map((j) => ({ lines: j.lines.map((l) => Array.from(l)), style: j.style })),
      );
    }),
  );
});

test('unpacked lines are views into the packed array, not copies', (t) => {
  const packed = packStrokeJobs([{ lines: [[1, 2, 3, 4]], style: { lineWidth: 1.2, clip: { x0: 0, y0: 0, x1: 10, y1: 10 } } }]);
  const line = unpackStrokeJobs(packed)[0].lines[0] as Float64Array;
  t.is(line.buffer, packed.buffer);
  t.deepEqual(Array.from(line), [1, 2, 3, 4]);
});
