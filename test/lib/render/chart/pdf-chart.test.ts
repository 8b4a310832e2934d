/**
 * PDF charts (Skia's PDF backend through @napi-rs/canvas): one page of width x height points,
 * the bundled DejaVu Sans embedded, drawn by the same layout as PNG and SVG.
 */
import test from 'ava';
import { renderChart } from '../../../../src/lib/render/chart/render-chart.js';
import { CHART_CASES, SERIES } from './_chart-cases.js';

for (const chart of CHART_CASES.slice(0, 3)) {
  test(`${chart.name}: a one-page PDF of the chart's size with its font embedded`, async (t) => {
    const pdf = await renderChart((chart.series ?? SERIES)(), { format: 'pdf', options: chart.options, tz: 'UTC' });
    const text = pdf.toString('latin1');
    t.true(text.startsWith('%PDF-1.'), 'a PDF header');
    t.regex(text, /%%EOF\s*$/);
    t.is(text.match(/\/Type \/Page\b/g)?.length, 1, 'one page');
    t.true(text.includes(`/MediaBox [0 0 ${chart.options.width} ${chart.options.height}]`), 'width x height points');
    t.regex(text, /\/FontName \/[A-Z]{6}\+DejaVuSans/, 'the bundled font, embedded (subset)');
  });
}

test('an absurd size is refused for PDF as for PNG', async (t) => {
  await t.throwsAsync(renderChart(SERIES(), { format: 'pdf', options: { width: 100000, height: 300 }, tz: 'UTC' }), { message: /too large/ });
});
