/**
 * gph's addon computes a series' coverage in C (native/line-coverage.c) as line-rasterizer.ts does
 * in TypeScript: for any lines, widths and clips, the same pixels in the same order with the same
 * float coverage, bit for bit; and blends a coverage onto a picture to the same bytes.
 */
import test from 'ava';
import fc from 'fast-check';
import { nativeAddon } from '../../../../src/lib/native-addon.js';
import { compositeCoverageInJs, coverPolylines } from '../../../../src/lib/render/chart/line-rasterizer.js';
import { type StrokeJob, packStrokeJobs } from '../../../../src/lib/render/chart/stroke-jobs.js';

const addon = nativeAddon();

/** Coordinates a chart gives (inside and around the image, fractional), with now and then a jump, a repeat, NaN or an infinity. */
const coordinate = (limit: number) =>
  fc.oneof(
    { weight: 12, arbitrary: fc.double({ min: -5, max: limit + 5, noNaN: true }) },
    { weight: 2, arbitrary: fc.integer({ min: 0, max: limit }) },
    { weight: 1, arbitrary: fc.constantFrom(Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, -1e12, 1e12, 0, limit) },
  );

const job = (width: number, height: number) =>
  fc.record({
    lines: fc.array(
      fc.tuple(fc.array(fc.tuple(coordinate(width), coordinate(height)), { maxLength: 40 }), fc.boolean()).map(([points, odd]) => (odd ? [...points.flat(), 3] : points.flat())),
      { maxLength: 4 },
    ),
    style: fc.record({
      lineWidth: fc.oneof(fc.constantFrom(0, 1.2, 2, 0.5, 10, -1), fc.double({ min: 0, max: 12, noNaN: true })),
      clip: fc.oneof(
        fc.constant({ x0: 0, y0: 0, x1: width, y1: height }),
        fc.record({ x0: fc.double({ min: -2, max: width, noNaN: true }), y0: fc.double({ min: -2, max: height, noNaN: true }), x1: fc.double({ min: 0, max: width + 2, noNaN: true }), y1: fc.double({ min: 0, max: height + 2, noNaN: true }) }),
        fc.constant({ x0: Number.NaN, y0: 0, x1: width, y1: height }),
        // Edges far outside the image (they must not wrap around as int32).
        fc.record({ x0: fc.constantFrom(-1e15, -(2 ** 32) + 30, 0, 5e9, 2 ** 32 + 5, 1e15), y0: fc.constant(0), x1: fc.constantFrom(-1e15, -(2 ** 32) + 30, width, 5e9, 1e15), y1: fc.constantFrom(height, 1e15, -1e15) }),
      ),
    }),
  });

test('the addon covers exactly what line-rasterizer.ts covers, bit for bit', (t) => {
  t.truthy(addon, 'gph\'s addon is built');
  fc.assert(
    fc.property(
      fc.integer({ min: 1, max: 90 }).chain((width) => fc.integer({ min: 1, max: 70 }).chain((height) => fc.tuple(fc.constant(width), fc.constant(height), fc.array(job(width, height), { minLength: 1, maxLength: 3 })))),
      ([width, height, jobs]) => {
        const packed = packStrokeJobs(jobs as StrokeJob[]);
        return jobs.every((j, index) => {
          const expected = coverPolylines(width, height, j.lines, j.style);
          const actual = addon!.coverSeries(packed, index, width, height);
          return Buffer.from(actual.pixels.buffer).equals(Buffer.from(expected.pixels.buffer)) && Buffer.from(actual.cover.buffer).equals(Buffer.from(expected.cover.buffer));
        });
      },
    ),
    { numRuns: 600 },
  );
  t.pass();
});

test('a chart-sized noisy series, through the shared array a worker reads', (t) => {
  let state = 5;
  const line: number[] = [];
  for (let x = 70; x < 780; x += 0.7) {
    state = (state * 1103515245 + 12345) >>> 0;
    line.push(x, 40 + (state >>> 16) / 120);
  }
  const jobs: StrokeJob[] = [{ lines: [line, line.slice(0, 200)], style: { lineWidth: 1.2, clip: { x0: 70, y0: 40.5, x1: 780, y1: 560 } } }];
  const expected = coverPolylines(800, 600, jobs[0].lines, jobs[0].style);
  const actual = addon!.coverSeries(packStrokeJobs(jobs, true), 0, 800, 600);
  t.true(expected.pixels.length > 10_000);
  t.deepEqual(Buffer.from(actual.pixels.buffer), Buffer.from(expected.pixels.buffer));
  t.deepEqual(Buffer.from(actual.cover.buffer), Buffer.from(expected.cover.buffer));
});

test('a clip entirely outside the image draws nothing; an odd last number of a line is no point', (t) => {
  const line = [0, 5, 50, 30, 90, 10];
  const style = (x0: number, x1: number) => ({ lineWidth: 2, clip: { x0, y0: 0, x1, y1: 40 } });
  for (const [x0, x1] of [[5e9, 6e9], [2 ** 32 + 5, 1e15], [-1e15, -(2 ** 32) + 30], [-1e15, -1]]) {
    const jobs: StrokeJob[] = [{ lines: [line], style: style(x0, x1) }];
    t.is(coverPolylines(100, 40, jobs[0].lines, jobs[0].style).pixels.length, 0, `clip ${x0}..${x1}`);
    t.is(addon!.coverSeries(packStrokeJobs(jobs), 0, 100, 40).pixels.length, 0, `clip ${x0}..${x1}`);
  }
  const odd: StrokeJob[] = [{ lines: [[...line, 7], line], style: style(0, 100) }, { lines: [line], style: style(0, 50) }];
  const packed = packStrokeJobs(odd);
  odd.forEach((job, i) => t.deepEqual([...addon!.coverSeries(packed, i, 100, 40).pixels], [...coverPolylines(100, 40, job.lines, job.style).pixels]));
});

test('a series that is not in the packed array, or is cut short, is refused', (t) => {
  const packed = packStrokeJobs([{ lines: [[1, 2, 3, 4]], style: { lineWidth: 1, clip: { x0: 0, y0: 0, x1: 10, y1: 10 } } }]);
  t.throws(() => addon!.coverSeries(packed, 1, 10, 10), { message: /no such series/ });
  t.throws(() => addon!.coverSeries(packed.subarray(0, packed.length - 1), 0, 10, 10), { message: /cut short/ });
  t.throws(() => addon!.coverSeries(packed, 0, 0, 10), { instanceOf: TypeError });
  t.is(addon!.coverSeries(packed, 0, 10, 10).pixels.length > 0, true);
});

test('the addon composites a coverage onto opaque and translucent pixels to the same bytes as the TypeScript', (t) => {
  fc.assert(
    fc.property(
      fc.integer({ min: 1, max: 300 }).chain((pixelCount) =>
        fc.tuple(
          fc.uint8Array({ minLength: pixelCount * 4, maxLength: pixelCount * 4 }),
          fc.boolean(),
          fc.uniqueArray(fc.integer({ min: 0, max: pixelCount - 1 }), { maxLength: pixelCount }),
          fc.array(fc.float({ min: Math.fround(1 / 512), max: 1, noNaN: true }), { minLength: pixelCount, maxLength: pixelCount }),
          fc.oneof(
            { weight: 5, arbitrary: fc.record({ r: fc.integer({ min: 0, max: 255 }), g: fc.integer({ min: 0, max: 255 }), b: fc.integer({ min: 0, max: 255 }), a: fc.oneof(fc.double({ min: 0, max: 1, noNaN: true }), fc.constantFrom(0, 1, 0.5)) }) },
            // Colours out of range: stored as a Uint8Array stores them (truncated, modulo 256); a NaN alpha draws nothing.
            { weight: 1, arbitrary: fc.record({ r: fc.constantFrom(2 ** 31 + 257, 1e10, -3.7, 300, Number.NaN, Number.POSITIVE_INFINITY), g: fc.double(), b: fc.integer(), a: fc.constantFrom(Number.NaN, 2, 1e-9, -1) }) },
          ),
        ),
      ),
      ([bytes, opaque, indexes, covers, color]) => {
        if (opaque) for (let i = 3; i < bytes.length; i += 4) bytes[i] = 255;
        const coverage = { pixels: Int32Array.from(indexes), cover: Float32Array.from(covers.slice(0, indexes.length)) };
        const expected = Uint8Array.from(bytes);
        compositeCoverageInJs(expected, coverage, color);
        const actual = Uint8ClampedArray.from(bytes);
        addon!.compositeCoverage(actual, coverage.pixels, coverage.cover, color.r, color.g, color.b, color.a);
        return Buffer.from(actual.buffer).equals(Buffer.from(expected.buffer));
      },
    ),
    { numRuns: 500 },
  );
  t.pass();
});
