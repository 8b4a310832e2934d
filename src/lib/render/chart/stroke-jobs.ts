/**
 * Series strokes as messages between threads: all of a chart's series packed in one Float64Array
 * (handed to a worker without copying object by object, and transferred as one buffer):
 * [series count, then per series: line width, clip x0, y0, x1, y1, line count, then per line
 * its point count and x, y pairs].
 */
import { nativeAddon } from '../../native-addon.js';
import { type Coverage, type LineStyle, type Polyline, coverPolylines } from './line-rasterizer.js';

/** One series to stroke: its lines and everything of its style but the colour (composited later, on the image). */
export interface StrokeJob {
  lines: readonly Polyline[];
  style: Omit<LineStyle, 'color'>;
}

/** Numbers per series before its lines: width, the clip's four edges, the line count. */
const SERIES_HEADER = 6;

/** The jobs packed in one array; `shared`: over a SharedArrayBuffer, so that a worker thread reads the same memory. */
export function packStrokeJobs(jobs: readonly StrokeJob[], shared = false): Float64Array {
  let length = 1;
  for (const job of jobs) {
    length += SERIES_HEADER;
    for (const line of job.lines) length += 1 + 2 * (line.length >> 1);
  }
  const packed = shared ? new Float64Array(new SharedArrayBuffer(length * Float64Array.BYTES_PER_ELEMENT)) : new Float64Array(length);
  let at = 0;
  packed[at++] = jobs.length;
  for (const { lines, style } of jobs) {
    packed[at++] = style.lineWidth;
    packed[at++] = style.clip.x0;
    packed[at++] = style.clip.y0;
    packed[at++] = style.clip.x1;
    packed[at++] = style.clip.y1;
    packed[at++] = lines.length;
    for (const line of lines) {
      // (An odd last number is no point: the rasteriser ignores it, and it is left out here.)
      const points = line.length >> 1;
      packed[at++] = points;
      if ((line.length & 1) === 0) packed.set(line, at);
      else for (let i = 0; i < 2 * points; i++) packed[at + i] = line[i];
      at += 2 * points;
    }
  }
  return packed;
}

/** The jobs, their lines as views into the packed array (nothing copied). */
export function unpackStrokeJobs(packed: Float64Array): StrokeJob[] {
  const jobs: StrokeJob[] = [];
  let at = 1;
  for (let j = 0; j < packed[0]; j++) {
    const style = { lineWidth: packed[at], clip: { x0: packed[at + 1], y0: packed[at + 2], x1: packed[at + 3], y1: packed[at + 4] } };
    const lineCount = packed[at + 5];
    at += SERIES_HEADER;
    const lines: Float64Array[] = [];
    for (let l = 0; l < lineCount; l++) {
      const count = packed[at++];
      lines.push(packed.subarray(at, at + 2 * count));
      at += 2 * count;
    }
    jobs.push({ lines, style });
  }
  return jobs;
}

/**
 * The coverage of series `index` of a chart width × height: by gph's addon from the packed array
 * when it is built (~25 % less CPU), else by line-rasterizer.ts from the unpacked `jobs`.
 */
export function coverStrokeJob(packed: Float64Array, jobs: readonly StrokeJob[], index: number, width: number, height: number): Coverage {
  const addon = nativeAddon();
  if (addon) return addon.coverSeries(packed, index, width, height);
  return coverPolylines(width, height, jobs[index].lines, jobs[index].style);
}
