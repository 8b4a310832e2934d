/**
 * seedDemoData(): a small whisper tree with a day of synthetic metrics, so a newcomer sees gph
 * work on a fresh clone with no configuration (the main job until `gph cache start` exists).
 */
import fs from 'node:fs';
import path from 'node:path';
import { type Clock, nowSeconds } from '../clock.js';
import { metricFilePath } from '../carbon/metric-name.js';
import { create } from '../whisper/create.js';
import { parseRetentions } from '../whisper/retention.js';
import { updateMany } from '../whisper/update.js';

/** carbon's default-like schema: 10 s for 6 hours, 1 min for 7 days, 10 min for 5 years. */
export const DEMO_RETENTIONS = '10s:6h,1m:7d,10m:5y';
const DAY_SECONDS = 86_400;
const STEP_SECONDS = 10;

const METRICS: Array<{ name: string; aggregationMethod: string; value: (t: number, i: number) => number }> = [
  { name: 'demo.servers.web01.cpu', aggregationMethod: 'average', value: (t) => 40 + 30 * Math.sin((2 * Math.PI * t) / DAY_SECONDS) },
  { name: 'demo.servers.web02.cpu', aggregationMethod: 'average', value: (t) => 35 + 25 * Math.sin((2 * Math.PI * (t + 3600)) / DAY_SECONDS) },
  { name: 'demo.products.widget.salesPerMinute', aggregationMethod: 'sum', value: (_t, i) => (i * 7919) % 13 },
  { name: 'demo.queues.ingest.depthMax', aggregationMethod: 'max', value: (_t, i) => Math.abs(((i * 31) % 97) - 48) },
];

export interface DemoFile {
  metric: string;
  path: string;
  points: number;
}

/** (Re)creates the demo metrics under `dataDir` with the last day of points. */
export function seedDemoData(dataDir: string, clock: Clock): DemoFile[] {
  const now = nowSeconds(clock);
  return METRICS.map(({ name, aggregationMethod, value }) => {
    const file = metricFilePath(dataDir, name);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.rmSync(file, { force: true });
    create(file, parseRetentions(DEMO_RETENTIONS), { aggregationMethod, xFilesFactor: 0 });
    const points: Array<[number, number]> = [];
    for (let i = 0, t = now - DAY_SECONDS; t <= now; i++, t += STEP_SECONDS) points.push([t, Math.round(value(t, i) * 100) / 100]);
    updateMany(file, points, { clock });
    return { metric: name, path: file, points: points.length };
  });
}
