import { Flags } from '@oclif/core';
import path from 'node:path';
import { nowSeconds } from '../lib/clock.js';
import { fetch } from '../lib/whisper/fetch.js';
import { DEMO_RETENTIONS, seedDemoData } from '../lib/demo/seed-demo-data.js';
import { GphCommand } from '../cli/gph-command.js';
import { renderTable } from '../cli/table.js';

const HOUR_SECONDS = 3600;

export default class Demo extends GphCommand {
  static summary = 'Write a day of demo metrics into ./data/whisper and show what gph reads back.';
  static description = `Creates four metrics with the schema ${DEMO_RETENTIONS} under the data directory (default ./data/whisper), writes the last 24 hours of points, and prints the last hour of each. Safe to run again: it rewrites only the demo files.`;
  static examples = ['<%= config.bin %> demo', '<%= config.bin %> demo --data-dir /tmp/gph-demo --json'];
  static flags = { 'data-dir': Flags.string({ summary: 'Where to write the whisper files.', default: path.join('data', 'whisper') }) };

  async run(): Promise<unknown> {
    const { flags } = await this.parse(Demo);
    const clock = this.clockFrom(flags.now);
    const files = seedDemoData(flags['data-dir'], clock);
    const now = nowSeconds(clock);
    const summaries = files.map((file) => {
      const values = (fetch(file.path, now - HOUR_SECONDS, now, {}, { clock })?.values ?? []).filter((v): v is number => v !== null);
      return { ...file, lastHour: { count: values.length, min: Math.min(...values), max: Math.max(...values), last: values[values.length - 1] ?? null } };
    });
    if (this.jsonEnabled()) return { dataDir: flags['data-dir'], files: summaries };
    this.print(`Wrote ${files.reduce((n, f) => n + f.points, 0)} points into ${files.length} whisper files under ${flags['data-dir']}\n`);
    this.print(renderTable(['metric', 'points (last hour)', 'min', 'max', 'last'], summaries.map((s) => [s.metric, s.lastHour.count, s.lastHour.min, s.lastHour.max, s.lastHour.last])));
    this.print(`\nTry:\n  gph whisper info ${files[0].path}\n  gph whisper fetch --pretty --from ${now - 600} ${files[0].path}\n  gph whisper dump ${files[2].path} | head\n`);
    return undefined;
  }
}
