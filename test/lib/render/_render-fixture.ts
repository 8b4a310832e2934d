/** Small whisper trees for render tests: values per minute ending at NOW, oldest first. */
import type { ExecutionContext } from 'ava';
import fs from 'node:fs';
import path from 'node:path';
import { FixedClock } from '../../../src/lib/clock.js';
import { type RenderRequest, render } from '../../../src/lib/render/render-request.js';
import type { TimeSeries, Value } from '../../../src/lib/render/time-series.js';
import { create } from '../../../src/lib/whisper/create.js';
import { parseRetentions } from '../../../src/lib/whisper/retention.js';
import { updateMany } from '../../../src/lib/whisper/update.js';
import { tempDir } from '../../_helpers/temp-dir.js';

/** 2024-01-01 00:00:00 UTC, a Monday. */
export const NOW = 1704067200;

export interface MetricSpec {
  values: Value[];
  /** Seconds per point (default 60). */
  step?: number;
}

/** Writes one .wsp per metric; the last value is stamped NOW, earlier ones a step apart. */
export function makeTree(t: ExecutionContext, metrics: Record<string, Value[] | MetricSpec>): string {
  const dir = tempDir(t);
  const clock = new FixedClock(NOW);
  for (const [name, spec] of Object.entries(metrics)) {
    const { values, step = 60 } = Array.isArray(spec) ? { values: spec } : spec;
    const file = path.join(dir, ...name.split('.')) + '.wsp';
    fs.mkdirSync(path.dirname(file), { recursive: true });
    create(file, parseRetentions(`${step}:${Math.max(1440, values.length * 4)}`), { xFilesFactor: 0 });
    const points = values.flatMap((v, i) => (v === null ? [] : [[NOW - (values.length - 1 - i) * step, v] as const]));
    updateMany(file, points, { clock });
  }
  return dir;
}

/** Renders targets over `dir` with now = NOW; from defaults to the last `minutes` minutes. */
export async function renderIn(dir: string, targets: string | string[], request: Partial<RenderRequest> = {}): Promise<TimeSeries[]> {
  const result = await render({ targets: Array.isArray(targets) ? targets : [targets], from: '-4min', now: String(NOW), ...request }, { storageDir: dir, clock: new FixedClock(NOW) });
  return result.series;
}

export const values = (series: readonly TimeSeries[]): Value[][] => series.map((s) => s.points());
export const names = (series: readonly TimeSeries[]): string[] => series.map((s) => s.name);
/** Values rounded to 9 decimals, for comparisons with worked-out expectations. */
export const rounded = (series: readonly TimeSeries[]): Value[][] => values(series).map((vs) => vs.map((v) => (v === null ? null : Math.round(v * 1e9) / 1e9)));
