/**
 * Golden images: each chart case is rendered and compared with the committed PNG by pixel
 * difference (pixelmatch) with a small tolerance, and the SVG with the committed SVG. A failing
 * case writes NAME.actual.png and NAME.diff.png next to the expected image. UPDATE_GOLDEN=1
 * rewrites the expected files (check them by eye before committing).
 */
import test from 'ava';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pixelmatch from 'pixelmatch';
import { PNG } from 'pngjs';
import { renderChart } from '../../../../src/lib/render/chart/render-chart.js';
import { CHART_CASES, SERIES } from './_chart-cases.js';

const GOLDEN = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../_fixtures/charts');
const UPDATE = process.env.UPDATE_GOLDEN === '1';
/** Share of pixels allowed to differ (anti-aliasing across Skia builds). */
const MAX_DIFF_SHARE = 0.002;

for (const chart of CHART_CASES) {
  test(`png: ${chart.name}`, async (t) => {
    const image = await renderChart((chart.series ?? SERIES)(), { format: 'png', options: chart.options, tz: 'UTC' });
    const expectedPath = path.join(GOLDEN, `${chart.name}.png`);
    if (UPDATE || !fs.existsSync(expectedPath)) {
      fs.writeFileSync(expectedPath, image);
      t.log(`wrote ${expectedPath}`);
    }
    const actual = PNG.sync.read(image);
    const expected = PNG.sync.read(fs.readFileSync(expectedPath));
    t.deepEqual([actual.width, actual.height], [expected.width, expected.height]);
    const diff = new PNG({ width: actual.width, height: actual.height });
    const differing = pixelmatch(actual.data, expected.data, diff.data, actual.width, actual.height, { threshold: 0.1 });
    const share = differing / (actual.width * actual.height);
    if (share > MAX_DIFF_SHARE) {
      fs.writeFileSync(path.join(GOLDEN, `${chart.name}.actual.png`), image);
      fs.writeFileSync(path.join(GOLDEN, `${chart.name}.diff.png`), PNG.sync.write(diff));
    }
    t.true(share <= MAX_DIFF_SHARE, `${differing} pixels differ (${(share * 100).toFixed(2)} %); see ${chart.name}.actual.png and .diff.png`);
  });
}

test('svg: the same drawing with graphite-web\'s metadata script', async (t) => {
  const chart = CHART_CASES[0];
  const svg = (await renderChart(SERIES(), { format: 'svg', options: chart.options, tz: 'UTC' })).toString('utf8');
  const expectedPath = path.join(GOLDEN, 'default.svg');
  if (UPDATE || !fs.existsSync(expectedPath)) fs.writeFileSync(expectedPath, svg);
  t.is(svg, fs.readFileSync(expectedPath, 'utf8'));
  t.regex(svg, /^<\?xml|^<svg/);
  t.regex(svg, /<g class="graphite">/);
  const metadata = JSON.parse(/metadata = (.*)\n/.exec(svg)![1]) as { x: { start: number }; series: Array<{ name: string; color: string }>; y: { labels: string[] } };
  t.is(metadata.x.start, 1704060060);
  t.deepEqual(
    metadata.series.map((s) => [s.name, s.color]),
    [
      ['web01.cpu', 'blue'],
      ['web02.cpu', 'green'],
      ['web03.cpu', 'red'],
    ],
  );
  t.true(metadata.y.labels.length >= 3);
});

for (const [background, why] of [
  ['00000080', 'half-transparent: whatever was left on the canvas would show through unless it is cleared'],
  ['white', 'opaque: the kept pixels are painted over, not cleared'],
] as const) {
  // Serial: charts of other sizes drawn meanwhile would take the kept canvas.
  test.serial(`a chart drawn on a canvas another chart used first is the chart drawn on a new one (background ${why})`, async (t) => {
    // A size no other case uses, so the first drawing gets a new canvas.
    const size = { width: 317, height: background === 'white' ? 213 : 211, bgcolor: background };
    const plain = await renderChart(SERIES(), { format: 'png', options: size, tz: 'UTC' });
    // Leaves a rotation, a clip and other state behind if the kept canvas were not restored to its defaults.
    const busy = await renderChart(SERIES(), { format: 'png', options: { ...size, title: 'Busy', vtitle: 'rotated', areaMode: 'stacked', bgcolor: 'red', lineMode: 'staircase', yMin: 10 }, tz: 'UTC' });
    t.false(busy.equals(plain));
    t.true((await renderChart(SERIES(), { format: 'png', options: size, tz: 'UTC' })).equals(plain));
  });
}

test('a zero or negative lineWidth draws no series line, as cairo (which clamps the width to 0)', async (t) => {
  const seriesColor = (png: Buffer): number => {
    const { data } = PNG.sync.read(png);
    let count = 0;
    for (let i = 0; i < data.length; i += 4) if (data[i + 2] > 150 && data[i] < 60 && data[i + 1] < 60) count++;
    return count;
  };
  const options = { width: 300, height: 200, colorList: '#0000ff', hideLegend: true, hideGrid: true };
  t.true(seriesColor(await renderChart(SERIES(), { format: 'png', options, tz: 'UTC' })) > 100);
  for (const lineWidth of [0, -2]) t.is(seriesColor(await renderChart(SERIES(), { format: 'png', options: { ...options, lineWidth }, tz: 'UTC' })), 0, `lineWidth=${lineWidth}`);
});
