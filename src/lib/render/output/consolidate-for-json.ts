/**
 * maxDataPoints as graphite-web's renderViewJson applies it: each series is consolidated so the
 * whole time range fits in about maxDataPoints points, with the start nudged so buckets line up
 * between refreshes (and graphite's off-by-one: one value fewer dropped than the nudge covers).
 */
import type { TimeSeries } from '../time-series.js';

export function consolidateForJson(seriesList: readonly TimeSeries[], maxDataPoints: number): void {
  if (seriesList.length === 0) return;
  const startTime = Math.min(...seriesList.map((s) => s.start));
  const endTime = Math.max(...seriesList.map((s) => s.end));
  const timeRange = endTime - startTime;
  for (const series of seriesList) {
    if (maxDataPoints === 1) {
      series.consolidate(series.values.length);
      continue;
    }
    const numberOfDataPoints = timeRange / series.step;
    if (maxDataPoints >= numberOfDataPoints) continue;
    const valuesPerPoint = Math.ceil(numberOfDataPoints / maxDataPoints);
    const secondsPerPoint = Math.trunc(valuesPerPoint * series.step);
    const nudge = secondsPerPoint + (series.start % series.step) - (series.start % secondsPerPoint);
    series.start += nudge;
    const valuesToLose = Math.trunc(nudge / series.step);
    if (valuesToLose > 1) series.values = series.values.slice(valuesToLose - 1);
    series.consolidate(valuesPerPoint);
  }
}
