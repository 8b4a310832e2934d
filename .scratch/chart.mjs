import { FixedClock } from '../dist/lib/clock.js';
import { render } from '../dist/lib/render/render-request.js';
import { renderChart } from '../dist/lib/render/chart/render-chart.js';
const clock = new FixedClock(1704067200);
const result = await render({ targets: ['bench.series.s00*'], from: '-1d', until: 'now' }, { storageDir: '/tmp/prof-fixture/whisper', clock });
const times = [];
let size = 0;
for (let i = 0; i < 60; i++) { const t0 = process.hrtime.bigint(); const png = await renderChart(result.series, { format: 'png', options: { width: 800, height: 600 }, tz: 'UTC' }); size = png.length; times.push(Number(process.hrtime.bigint() - t0) / 1e6); }
times.sort((a, b) => a - b);
console.log('chart only median', times[30].toFixed(2), 'ms', size, 'bytes');
