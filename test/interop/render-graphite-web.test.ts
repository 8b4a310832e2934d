/**
 * gph's render engine against the reference graphite-web 1.1.8 (Debian) over the same whisper
 * tree (../shared/render-oracle/make-fixture.py): the recorded golden answers for the shared
 * targets, and a live graphite-web for gph's own list covering the rest of the functions,
 * at-time forms, maxDataPoints and the grammar.
 */
import test from 'ava';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { render } from '../../src/lib/render/render-request.js';
import { renderJson } from '../../src/lib/render/output/render-output.js';
import pixelmatch from 'pixelmatch';
import { PNG } from 'pngjs';
import { runGph } from '../_helpers/run-gph.js';
import { FixedClock } from '../../src/lib/clock.js';
import { silentLogger } from '../../src/lib/logger.js';
import { WebServer } from '../../src/lib/web/web-server.js';
import { defaultWebSettings } from '../../src/lib/web/web-settings.js';
import { freePort, RENDER_ORACLE } from './_helpers/peers.js';
import { REFERENCE_PYTHON } from './_helpers/reference.js';
import { type JsonSeries, firstDifference, readTargets } from './_helpers/render-compare.js';

const GOLDEN = path.join(RENDER_ORACLE, 'golden');
const OWN_TARGETS = path.join(path.dirname(fileURLToPath(import.meta.url)), '_fixtures', 'render-targets.txt');
const fixtureRoot = fs.mkdtempSync(path.join(os.tmpdir(), 'gph-render-'));
const whisperDir = path.join(fixtureRoot, 'whisper');
let oraclePort = 0;
let oraclePid = '';
let gphWeb: WebServer | undefined;
let gphPort = 0;

test.before(async () => {
  const made = spawnSync(REFERENCE_PYTHON, [path.join(RENDER_ORACLE, 'make-fixture.py'), whisperDir, '1704067200', '--seed', '1'], { encoding: 'utf8' });
  if (made.status !== 0) throw new Error(`make-fixture.py failed: ${made.stderr}`);
  oraclePort = await freePort();
  const started = spawnSync('bash', [path.join(RENDER_ORACLE, 'start-graphite-web.sh'), whisperDir, String(oraclePort)], { encoding: 'utf8', timeout: 120_000 });
  if (started.status !== 0) throw new Error(`graphite-web did not start: ${started.stderr}`);
  oraclePid = started.stdout.trim().split('\n').pop()!;
  gphWeb = new WebServer({ settings: { ...defaultWebSettings(fixtureRoot), WHISPER_DIR: whisperDir }, clock: new FixedClock(1704067200), logger: silentLogger });
  gphPort = await gphWeb.listen(0);
});

test.after.always(async () => {
  await gphWeb?.close();
  if (oraclePid) spawnSync('bash', [path.join(RENDER_ORACLE, 'stop-graphite-web.sh'), oraclePid], { timeout: 60_000 });
  fs.rmSync(fixtureRoot, { recursive: true, force: true });
});

async function gphJson(params: URLSearchParams): Promise<JsonSeries[]> {
  const template = Object.fromEntries([...params].filter(([k]) => k.startsWith('template[')).map(([k, v]) => [k.slice(9, -1), v]));
  const result = await render(
    { targets: params.getAll('target'), from: params.get('from') ?? undefined, until: params.get('until') ?? undefined, now: params.get('now') ?? undefined, tz: params.get('tz') ?? undefined, template, strict: false },
    { storageDir: whisperDir },
  );
  const maxDataPoints = params.get('maxDataPoints');
  return JSON.parse(renderJson(result.series, { maxDataPoints: maxDataPoints ? Number(maxDataPoints) : undefined, noNullPoints: params.has('noNullPoints') }).toString()) as JsonSeries[];
}

interface GoldenEntry {
  id: string;
  target: string;
  extra: string;
  query: string;
  status: number;
  file: string;
}
const golden = JSON.parse(fs.readFileSync(path.join(GOLDEN, 'index.json'), 'utf8')) as { entries: GoldenEntry[] };

for (const entry of golden.entries) {
  test(`golden ${entry.id}: ${entry.target} ${entry.extra}`, async (t) => {
    const params = new URLSearchParams(entry.query);
    const want = JSON.parse(fs.readFileSync(path.join(GOLDEN, entry.file), 'utf8')) as JsonSeries[];
    t.is(firstDifference(await gphJson(params), want), undefined);
  });
}

for (const { expr, params } of readTargets(fs.readFileSync(OWN_TARGETS, 'utf8'))) {
  test(`live graphite-web: ${expr} ${params.toString().replace(/^from=-2h&until=now&now=1704067200&?/, '')}`, async (t) => {
    const query = new URLSearchParams(params);
    query.set('target', expr);
    query.set('format', 'json');
    const response = await globalThis.fetch(`http://127.0.0.1:${oraclePort}/render?${query}`);
    t.is(response.status, 200, `graphite-web answered ${response.status}`);
    const want = (await response.json()) as JsonSeries[];
    t.is(firstDifference(await gphJson(query), want), undefined);
  });
}

test('gph render prints the bytes graphite-web sends for format=json and raw', async (t) => {
  for (const format of ['json', 'raw', 'csv']) {
    const query = new URLSearchParams({ target: 'sumSeries(products.*.salesPerMinute)', from: '-30min', until: 'now', now: '1704067200', format });
    const want = await (await globalThis.fetch(`http://127.0.0.1:${oraclePort}/render?${query}`)).text();
    const run = runGph(['render', 'sumSeries(products.*.salesPerMinute)', '--from', '-30min', '--now', '1704067200', '--storage-dir', whisperDir, '--format', format]);
    t.is(run.status, 0, run.stderr);
    t.is(run.stdout, format === 'json' ? `${want}\n` : want, format);
  }
});

for (const entry of golden.entries.filter((_, i) => i % 3 === 0)) {
  test(`gph web vs graphite-web, same request: ${entry.target} ${entry.extra}`, async (t) => {
    const [mine, theirs] = await Promise.all([gphPort, oraclePort].map(async (port) => globalThis.fetch(`http://127.0.0.1:${port}/render?${entry.query}`)));
    t.is(mine.status, theirs.status);
    t.is(firstDifference((await mine.json()) as JsonSeries[], (await theirs.json()) as JsonSeries[]), undefined);
  });
}

for (const query of ['query=servers.*', 'query=products.*.salesPerMinute', 'query=servers.www01.&format=completer', 'query=servers.www0*.cpuUsage&format=nodelist&position=1', 'query=misc.*&wildcards=1']) {
  test(`gph web vs graphite-web /metrics/find?${query}`, async (t) => {
    const [mine, theirs] = await Promise.all([gphPort, oraclePort].map(async (port) => (await globalThis.fetch(`http://127.0.0.1:${port}/metrics/find?${query}`)).text()));
    t.deepEqual(JSON.parse(mine), JSON.parse(theirs));
    t.is(mine, theirs, 'byte for byte');
  });
}

/** A PDF's words as poppler's pdftotext reads them, sorted. */
function pdfWords(pdf: Buffer): string[] {
  const text = spawnSync('pdftotext', ['-', '-'], { input: pdf, encoding: 'latin1' });
  if (text.status !== 0) throw new Error(`pdftotext failed: ${text.stderr}`);
  return text.stdout.split(/\s+/).filter(Boolean).sort();
}

test("format=pdf: one page, as graphite-web, but of the size asked for, with real text, drawn as the PNG is", async (t) => {
  const query = 'target=products.*.salesPerMinute&from=-2h&until=now&now=1704067200&width=500&height=300&title=Sales';
  const [mine, theirs] = await Promise.all([gphPort, oraclePort].map(async (port) => globalThis.fetch(`http://127.0.0.1:${port}/render?${query}&format=pdf`)));
  t.is(mine.status, 200);
  t.is(theirs.status, 200);
  t.is(mine.headers.get('content-type'), theirs.headers.get('content-type'));
  const pdf = Buffer.from(await mine.arrayBuffer());
  const reference = Buffer.from(await theirs.arrayBuffer());
  // graphite-web 1.1.8's PDF is one page too, but scaled to 72/300 of the size asked for with the
  // chart misplaced on it and its text drawn as outlines, which gph does not copy (see the README).
  const pages = (bytes: Buffer): string => spawnSync('pdfinfo', ['-'], { input: bytes, encoding: 'latin1' }).stdout;
  t.regex(pages(reference), /^Pages:\s+1$/m);
  t.regex(pages(reference), /^Page size:\s+120 x 72 pts$/m);
  t.regex(pages(pdf), /^Pages:\s+1$/m);
  t.regex(pages(pdf), /^Page size:\s+500 x 300 pts$/m);
  // gph's text is text: title, the series of graphite-web's JSON answer in the legend, axis labels.
  const names = ((await (await globalThis.fetch(`http://127.0.0.1:${oraclePort}/render?${query}&format=json`)).json()) as JsonSeries[]).map((s) => s.target);
  const words = pdfWords(pdf);
  for (const word of ['Sales', ...names, '22:20', '23:40', '100.0', '0']) t.true(words.includes(word), word);
  // Rasterised by poppler, the page is gph's PNG of the same request up to antialiasing. Without
  // the grid (whose 1-pixel lines poppler and Skia place differently) under 1 % of pixels differ
  // here; the PNG of other series differs in about 4 %.
  const plain = `${query}&hideGrid=true`;
  const gridless = Buffer.from(await (await globalThis.fetch(`http://127.0.0.1:${gphPort}/render?${plain}&format=pdf`)).arrayBuffer());
  const rasterRoot = path.join(fixtureRoot, 'pdf-page');
  const raster = spawnSync('pdftoppm', ['-png', '-r', '72', '-singlefile', '-', rasterRoot], { input: gridless });
  t.is(raster.status, 0, String(raster.stderr));
  const fromPdf = PNG.sync.read(fs.readFileSync(`${rasterRoot}.png`));
  t.deepEqual([fromPdf.width, fromPdf.height], [500, 300]);
  const png = async (q: string): Promise<PNG> => PNG.sync.read(Buffer.from(await (await globalThis.fetch(`http://127.0.0.1:${gphPort}/render?${q}&format=png`)).arrayBuffer()));
  const differing = async (q: string): Promise<number> => pixelmatch(fromPdf.data, (await png(q)).data, undefined, 500, 300, { threshold: 0.1 }) / (500 * 300);
  const same = await differing(plain);
  const other = await differing(plain.replace('products.*.salesPerMinute', 'servers.*.cpuUsage'));
  t.true(same < 0.015, `${(same * 100).toFixed(2)} % of pixels differ`);
  t.true(other > 3 * same, `another chart differs in ${(other * 100).toFixed(2)} %`);
});
