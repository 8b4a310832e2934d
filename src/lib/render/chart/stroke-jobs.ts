/**
 * Series strokes as messages between threads: one series' polylines packed in one Float64Array
 * ([line count, then per line its point count and x, y pairs]), which a worker can be handed
 * without copying object by object.
 */
import type { LineStyle, Polyline } from './line-rasterizer.js';

/** One series to stroke: its lines and everything of its style but the colour (composited later, on the image). */
export interface StrokeJob {
  lines: readonly Polyline[];
  style: Omit<LineStyle, 'color'>;
}

export interface PackedStrokeJob {
  coords: Float64Array;
  style: Omit<LineStyle, 'color'>;
}

export function packStrokeJob(job: StrokeJob): PackedStrokeJob {
  let length = 1;
  for (const line of job.lines) length += 1 + line.length;
  const coords = new Float64Array(length);
  let at = 0;
  coords[at++] = job.lines.length;
  for (const line of job.lines) {
    coords[at++] = line.length / 2;
    for (let i = 0; i < line.length; i++) coords[at++] = line[i];
  }
  return { coords, style: { lineWidth: job.style.lineWidth, clip: job.style.clip } };
}

/** The job's lines as views into the packed array (nothing copied). */
export function unpackStrokeJob(packed: PackedStrokeJob): StrokeJob {
  const { coords } = packed;
  const lines: Float64Array[] = [];
  let at = 1;
  for (let l = 0; l < coords[0]; l++) {
    const count = coords[at++];
    lines.push(coords.subarray(at, at + 2 * count));
    at += 2 * count;
  }
  return { lines, style: packed.style };
}
