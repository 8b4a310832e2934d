import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { FixedClock } from '../dist/lib/clock.js';
import { render } from '../dist/lib/render/render-request.js';
import { renderJson } from '../dist/lib/render/output/render-output.js';
const whisperDir = '/tmp/prof-fixture/whisper';
if (!fs.existsSync(whisperDir)) spawnSync('/usr/bin/python3', ['/work/shared/render-oracle/make-fixture.py', whisperDir, '1704067200', '--seed', '1', '--bench']);
const clock = new FixedClock(1704067200);
const target = process.argv[2];
const reps = Number(process.argv[3] ?? 300);
const times = [];
for (let i = 0; i < reps; i++) {
  const t0 = process.hrtime.bigint();
  const result = await render({ targets: [target], from: '-1d', until: 'now' }, { storageDir: whisperDir, clock });
  renderJson(result.series, {});
  times.push(Number(process.hrtime.bigint() - t0) / 1e6);
}
times.sort((a, b) => a - b);
console.log(target, 'median ms', times[times.length >> 1].toFixed(3));
