/**
 * X-axis layout as graphite-web does it (render/glyph.py xAxisConfigs, find_x_times): the seconds
 * per pixel choose minor/major grid and label steps and the label format; tick times are aligned
 * to the unit in the chart's time zone.
 */
import { strftimeWall } from './strftime.js';
import { type Wall, fromWall, toWall } from '../zone-time.js';

const SEC = 1;
const MIN = 60;
const HOUR = 3600;
const DAY = 86400;
/** graphite-web's DATE_FORMAT default. */
const DATE_FORMAT = '%m/%d';

export interface XAxisConfig {
  seconds: number;
  minorGridUnit: number;
  minorGridStep: number;
  majorGridUnit: number;
  majorGridStep: number;
  labelUnit: number;
  labelStep: number;
  format: string;
  maxInterval?: number;
}

const c = (seconds: number, minorGridUnit: number, minorGridStep: number, majorGridUnit: number, majorGridStep: number, labelUnit: number, labelStep: number, format: string, maxInterval?: number): XAxisConfig => ({
  seconds,
  minorGridUnit,
  minorGridStep,
  majorGridUnit,
  majorGridStep,
  labelUnit,
  labelStep,
  format,
  maxInterval,
});

export const X_AXIS_CONFIGS: XAxisConfig[] = [
  c(0, SEC, 5, MIN, 1, SEC, 5, '%H:%M:%S', 10 * MIN),
  c(0.07, SEC, 10, MIN, 1, SEC, 10, '%H:%M:%S', 20 * MIN),
  c(0.14, SEC, 15, MIN, 1, SEC, 15, '%H:%M:%S', 30 * MIN),
  c(0.27, SEC, 30, MIN, 2, MIN, 1, '%H:%M', 2 * HOUR),
  c(0.5, MIN, 1, MIN, 2, MIN, 1, '%H:%M', 2 * HOUR),
  c(1.2, MIN, 1, MIN, 4, MIN, 2, '%H:%M', 3 * HOUR),
  c(2, MIN, 1, MIN, 10, MIN, 5, '%H:%M', 6 * HOUR),
  c(5, MIN, 2, MIN, 10, MIN, 10, '%H:%M', 12 * HOUR),
  c(10, MIN, 5, MIN, 20, MIN, 20, '%H:%M', DAY),
  c(30, MIN, 10, HOUR, 1, HOUR, 1, '%H:%M', 2 * DAY),
  c(60, MIN, 30, HOUR, 2, HOUR, 2, '%H:%M', 2 * DAY),
  c(100, HOUR, 2, HOUR, 4, HOUR, 4, '%a %H:%M', 6 * DAY),
  c(255, HOUR, 6, HOUR, 12, HOUR, 12, `${DATE_FORMAT} %H:%M`, 10 * DAY),
  c(600, HOUR, 6, DAY, 1, DAY, 1, DATE_FORMAT, 14 * DAY),
  c(1000, HOUR, 12, DAY, 1, DAY, 1, DATE_FORMAT, 365 * DAY),
  c(2000, DAY, 1, DAY, 2, DAY, 2, DATE_FORMAT, 365 * DAY),
  c(4000, DAY, 2, DAY, 4, DAY, 4, DATE_FORMAT, 365 * DAY),
  c(8000, DAY, 3.5, DAY, 7, DAY, 7, DATE_FORMAT, 365 * DAY),
  c(16000, DAY, 7, DAY, 14, DAY, 14, DATE_FORMAT, 365 * DAY),
  c(32000, DAY, 15, DAY, 30, DAY, 30, DATE_FORMAT, 365 * DAY),
  c(64000, DAY, 30, DAY, 60, DAY, 60, `${DATE_FORMAT} %Y`),
  c(100000, DAY, 60, DAY, 120, DAY, 120, `${DATE_FORMAT} %Y`),
  c(120000, DAY, 120, DAY, 240, DAY, 240, `${DATE_FORMAT} %Y`),
];

/** The configuration for a time range drawn over `graphWidth` pixels. */
export function chooseXAxis(timeRange: number, graphWidth: number): XAxisConfig {
  const secondsPerPixel = timeRange / graphWidth;
  const potential = X_AXIS_CONFIGS.filter((conf) => conf.seconds <= secondsPerPixel && (conf.maxInterval ?? timeRange + 1) >= timeRange);
  return potential.length ? potential[potential.length - 1] : X_AXIS_CONFIGS[X_AXIS_CONFIGS.length - 1];
}

/** Tick times from the first unit-aligned time at or after `start` up to (not including) `end`. */
export function xTimes(start: number, end: number, unit: number, step: number, zone: string): number[] {
  const w: Wall = toWall(start, zone);
  let first: number;
  if (unit === SEC) first = fromWall(w.year, w.month, w.day, w.hour, w.minute, zone, w.second - (w.second % step)) ?? start;
  else if (unit === MIN) first = fromWall(w.year, w.month, w.day, w.hour, w.minute - (w.minute % step), zone) ?? start;
  else if (unit === HOUR) first = fromWall(w.year, w.month, w.day, w.hour - (w.hour % step), 0, zone) ?? start;
  else first = fromWall(w.year, w.month, w.day, 0, 0, zone) ?? start;
  const delta = unit * step;
  while (first < start) first += delta;
  const out: number[] = [];
  for (let t = first; t < end && out.length < 10_000; t += delta) out.push(t);
  return out;
}

export function formatXLabel(epochSeconds: number, format: string, zone: string): string {
  return strftimeWall(format, toWall(epochSeconds, zone));
}
