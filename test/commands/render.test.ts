import test from 'ava';
import fs from 'node:fs';
import path from 'node:path';
import { runGph } from '../_helpers/run-gph.js';
import { NOW, makeTree } from '../lib/render/_render-fixture.js';

const TREE = { 'shop.a.sales': [1, 2, 3], 'shop.b.sales': [10, null, 30] };
const base = (dir: string): string[] => ['--storage-dir', dir, '--now', String(NOW), '--from', '-3min'];

test('json is the default when piped, exactly graphite-web format=json', (t) => {
  const dir = makeTree(t, TREE);
  const run = runGph(['render', 'sumSeries(shop.*.sales)', ...base(dir)]);
  t.is(run.status, 0, run.stderr);
  t.is(run.stdout, `[{"target": "sumSeries(shop.*.sales)", "tags": {"name": "sumSeries(shop.*.sales)", "aggregatedBy": "sum"}, "datapoints": [[11.0, ${NOW - 120}], [2.0, ${NOW - 60}], [33.0, ${NOW}]]}]\n`);
});

test('--format csv and raw; -o picks the format from the extension', (t) => {
  const dir = makeTree(t, TREE);
  const csv = runGph(['render', 'shop.a.sales', ...base(dir), '--format', 'csv']);
  t.is(csv.stdout, 'shop.a.sales,2023-12-31 23:58:00,1.0\r\nshop.a.sales,2023-12-31 23:59:00,2.0\r\nshop.a.sales,2024-01-01 00:00:00,3.0\r\n');
  const raw = runGph(['render', 'shop.b.sales', ...base(dir), '-f', 'raw']);
  t.is(raw.stdout, `shop.b.sales,${NOW - 120},${NOW + 60},60|10.0,None,30.0\n`);
  const out = path.join(dir, 'out.csv');
  const written = runGph(['render', 'shop.a.sales', ...base(dir), '-o', out]);
  t.is(written.status, 0, written.stderr);
  t.is(fs.readFileSync(out, 'utf8'), csv.stdout);
});

test('--format terminal draws a chart with a legend and the time range', (t) => {
  const dir = makeTree(t, TREE);
  const run = runGph(['render', 'shop.*.sales', ...base(dir), '--format', 'terminal', '--no-color', '--height', '5']);
  t.is(run.status, 0, run.stderr);
  t.regex(run.stdout, /^2023-12-31 23:57 \.\. 2024-01-01 00:00 UTC\n/);
  t.regex(run.stdout, /┤/);
  t.regex(run.stdout, /━━ shop\.a\.sales\n━━ shop\.b\.sales \(1 of 3 points null\)\n$/);
  t.notRegex(run.stdout, /\u001b\[/);
});

test('--max-data-points, --template and --json', (t) => {
  const dir = makeTree(t, TREE);
  const run = runGph(['render', 'template(shop.$s.sales)', '--template', 's=a', ...base(dir), '--max-data-points', '1', '--json']);
  t.is(run.status, 0, run.stderr);
  t.deepEqual(JSON.parse(run.stdout), [{ target: 'shop.a.sales', tags: { name: 'shop.a.sales' }, datapoints: [[2, NOW - 120]] }]);
});

test('errors name the problem and exit non-zero; an empty match is said on stderr', (t) => {
  const dir = makeTree(t, TREE);
  const unknown = runGph(['render', 'bogus(shop.a.sales)', ...base(dir)]);
  t.not(unknown.status, 0);
  t.regex(unknown.stderr, /Unknown render function "bogus"/);
  const parse = runGph(['render', 'sumSeries(shop.a.sales', ...base(dir)]);
  t.regex(parse.stderr, /RENDER_PARSE_ERROR/);
  const time = runGph(['render', 'shop.a.sales', '--storage-dir', dir, '--from', '-5m']);
  t.regex(time.stderr, /invalid offset unit 'm'/);
  const storage = runGph(['render', 'shop.a.sales', '--storage-dir', path.join(dir, 'nope')]);
  t.regex(storage.stderr, /No whisper directory/);
  const empty = runGph(['render', 'no.such', ...base(dir)]);
  t.is(empty.status, 0);
  t.is(empty.stdout, '[]\n');
  t.regex(empty.stderr, /no series matched/);
  const pdf = runGph(['render', 'shop.a.sales', ...base(dir), '-o', path.join(dir, 'x.pdf')]);
  t.is(pdf.status, 0, pdf.stderr);
  t.true(fs.readFileSync(path.join(dir, 'x.pdf')).toString('latin1').startsWith('%PDF-'));
  const jsonIntoPng = runGph(['render', 'shop.a.sales', ...base(dir), '-o', path.join(dir, 'chart.png'), '--json']);
  t.not(jsonIntoPng.status, 0);
  // Under --json the error is json too, on stdout.
  t.regex(JSON.parse(jsonIntoPng.stdout).error.message, /--json asks for json but ".*chart\.png" is named for png/);
  t.false(fs.existsSync(path.join(dir, 'chart.png')), 'nothing written');
  t.regex(runGph(['render', 'shop.a.sales', ...base(dir), '--format', 'csv', '--json']).stdout, /--json asks for json but --format asks for csv/);
  const unknownExt = runGph(['render', 'shop.a.sales', ...base(dir), '-o', path.join(dir, 'x.gif')]);
  t.regex(unknownExt.stderr, /Cannot tell the format of .*x\.gif/);
  const badColor = runGph(['render', 'shop.a.sales', ...base(dir), '-f', 'png', '-p', 'bgcolor=chartreuse']);
  t.regex(badColor.stderr, /Unknown colour "chartreuse"/);
  const huge = runGph(['render', 'shop.a.sales', ...base(dir), '-f', 'png', '--width', '100000']);
  t.regex(huge.stderr, /too large/);
});

test('--list-functions prints the 151 functions by group; --json as graphite-web /functions', (t) => {
  const text = runGph(['render', '--list-functions']);
  t.regex(text.stdout, /^Alias \(7\)/m);
  t.regex(text.stdout, /^Combine \(36\)/m);
  t.regex(text.stdout, /^Transform \(35\)/m);
  t.regex(text.stdout, /movingAverage\(seriesList, windowSize, xFilesFactor=None\)/);
  const json = JSON.parse(runGph(['render', '--list-functions', '--json']).stdout) as Record<string, { group: string; params: Array<{ name: string }> }>;
  t.is(Object.keys(json).length, 151);
  t.is(json.sumSeries.group, 'Combine');
  t.deepEqual(
    json.summarize.params.map((p) => p.name),
    ['seriesList', 'intervalString', 'func', 'alignToFrom'],
  );
});

test('-o chart.png and .svg draw charts; graph options with -p', (t) => {
  const dir = makeTree(t, TREE);
  const png = path.join(dir, 'chart.png');
  const run = runGph(['render', 'shop.*.sales', ...base(dir), '-o', png, '--width', '400', '--image-height', '200', '-p', 'areaMode=stacked', '--title', 'Shop']);
  t.is(run.status, 0, run.stderr);
  const bytes = fs.readFileSync(png);
  t.deepEqual([...bytes.subarray(1, 4)].map((b) => String.fromCharCode(b)).join(''), 'PNG');
  t.is(bytes.readUInt32BE(16), 400);
  t.is(bytes.readUInt32BE(20), 200);
  const svg = runGph(['render', 'shop.*.sales', ...base(dir), '--format', 'svg']);
  t.is(svg.status, 0, svg.stderr);
  t.regex(svg.stdout, /<svg[^>]*width="330"/);
  t.regex(svg.stdout, /metadata = \{"x":\{"start":/);
});
