import test from 'ava';
import fs from 'node:fs';
import path from 'node:path';
import { FixedClock } from '../../../src/lib/clock.js';
import { create } from '../../../src/lib/whisper/create.js';
import { parseRetentions } from '../../../src/lib/whisper/retention.js';
import { updateMany } from '../../../src/lib/whisper/update.js';
import { spawnSync } from 'node:child_process';
import { GPH_BIN, runGph } from '../../_helpers/run-gph.js';
import { tempDir } from '../../_helpers/temp-dir.js';

const NOW = 1_700_000_040;

function sample(dir: string, name = 'a.wsp'): string {
  const file = path.join(dir, name);
  create(file, parseRetentions('60:10,300:12'));
  updateMany(file, [[NOW - 60, 1.5], [NOW - 120, Number.NaN], [NOW - 180, -0], [NOW - 240, 1e22]], { clock: new FixedClock(NOW) });
  return file;
}

test('fetch prints whisper-fetch text and honours --now and GPH_NOW', (t) => {
  const dir = tempDir(t);
  sample(dir);
  const expected = `${NOW - 240}\t10000000000000000000000.000000\n${NOW - 180}\t-0.000000\n${NOW - 120}\tnan\n${NOW - 60}\t1.500000\n${NOW}\tNone\n`;
  const withFlag = runGph(['whisper', 'fetch', '--now', String(NOW), '--from', String(NOW - 300), 'a.wsp'], { cwd: dir });
  t.is(withFlag.status, 0, withFlag.stderr);
  t.is(withFlag.stdout, expected);
  const withEnv = runGph(['whisper', 'fetch', '--from', String(NOW - 300), 'a.wsp'], { cwd: dir, env: { GPH_NOW: String(NOW) } });
  t.is(withEnv.stdout, expected);
});

test('fetch --json is valid JSON (NaN and infinities become null)', (t) => {
  const dir = tempDir(t);
  sample(dir);
  const run = runGph(['whisper', 'fetch', '--now', String(NOW), '--from', String(NOW - 300), '--json', 'a.wsp'], { cwd: dir });
  t.is(run.status, 0, run.stderr);
  t.deepEqual(JSON.parse(run.stdout), { path: 'a.wsp', start: NOW - 240, end: NOW + 60, step: 60, values: [1e22, 0, null, 1.5, null] });
});

test('fetch in compatibility mode prints the Python-literal JSON of whisper-fetch', (t) => {
  const dir = tempDir(t);
  sample(dir);
  const run = runGph(['whisper', 'fetch', '--from', String(NOW - 300), '--json', 'a.wsp'], { cwd: dir, env: { GPH_NOW: String(NOW), GPH_COMPAT: 'whisper' } });
  t.is(run.stdout, `{\n    "start" : ${NOW - 240},\n    "end" : ${NOW + 60},\n    "step" : 60,\n    "values" : [1e+22, -0.0, nan, 1.5, null]\n  }\n`);
});

test('a missing file is a one-line error with a code, exit 1, and --json gives an error document', (t) => {
  const dir = tempDir(t);
  const run = runGph(['whisper', 'fetch', 'missing.wsp'], { cwd: dir });
  t.is(run.status, 1);
  t.regex(run.stderr, /^Error: Cannot open "missing.wsp": no such file\nCode: FILE_NOT_FOUND\nHint: /);
  const json = runGph(['whisper', 'info', '--json', 'missing.wsp'], { cwd: dir });
  t.is(json.status, 1);
  t.is(JSON.parse(json.stdout).error.code, 'FILE_NOT_FOUND');
});

test('a corrupt header names the file and leaves it as it was', (t) => {
  const dir = tempDir(t);
  const file = path.join(dir, 'bad.wsp');
  fs.writeFileSync(file, Buffer.from('000000090000025800000000', 'hex'));
  const before = fs.readFileSync(file);
  const run = runGph(['whisper', 'update', 'bad.wsp', 'N:1'], { cwd: dir });
  t.is(run.status, 1);
  t.regex(run.stderr, /Cannot read "bad.wsp": file has 12 bytes/);
  t.regex(run.stderr, /Code: WHISPER_CORRUPT/);
  t.deepEqual(fs.readFileSync(file), before);
});

test('bad flags and bad retention strings are usage or input errors', (t) => {
  const dir = tempDir(t);
  sample(dir);
  t.is(runGph(['whisper', 'fetch', '--drop', 'bogus', 'a.wsp'], { cwd: dir }).status, 2);
  t.is(runGph(['whisper', 'fetch', '--nonsense', 'a.wsp'], { cwd: dir }).status, 2);
  const retention = runGph(['whisper', 'create', 'b.wsp', '60:xx'], { cwd: dir });
  t.is(retention.status, 1);
  t.regex(retention.stderr, /Code: WHISPER_INVALID_RETENTION/);
  const method = runGph(['whisper', 'create', '--aggregationMethod=median', 'c.wsp', '60:10'], { cwd: dir });
  t.regex(method.stderr, /Code: WHISPER_INVALID_AGGREGATION/);
  t.false(fs.existsSync(path.join(dir, 'b.wsp')));
  t.false(fs.existsSync(path.join(dir, 'c.wsp')));
});

test('create, update, info, set-aggregation and set-xff work together', (t) => {
  const dir = tempDir(t);
  const env = { GPH_NOW: String(NOW) };
  t.is(runGph(['whisper', 'create', 'c.wsp', '1m:10m,5m:1h'], { cwd: dir }).stdout, 'Created: c.wsp (304 bytes)\n');
  t.is(runGph(['whisper', 'update', 'c.wsp', 'N:5', `${NOW - 60}:4`], { cwd: dir, env }).status, 0);
  t.is(runGph(['whisper', 'set-aggregation', 'c.wsp', 'max'], { cwd: dir }).stdout, 'Updated aggregation method: c.wsp (average -> max)\n');
  t.is(runGph(['whisper', 'set-xff', 'c.wsp', '0.1'], { cwd: dir }).stdout, 'Updated xFilesFactor: c.wsp (0.5 -> 0.1)\n');
  const info = JSON.parse(runGph(['whisper', 'info', '--json', 'c.wsp'], { cwd: dir }).stdout);
  t.is(info.aggregationMethod, 'max');
  t.is(info.xFilesFactor, 0.10000000149011612);
  t.is(runGph(['whisper', 'info', 'c.wsp', 'maxRetention'], { cwd: dir }).stdout, '3600\n');
  const values = JSON.parse(runGph(['whisper', 'fetch', '--json', '--from', String(NOW - 120), 'c.wsp'], { cwd: dir, env }).stdout).values;
  t.deepEqual(values, [4, 5]);
});

test('resize and find-corrupt take many files in one run', (t) => {
  const dir = tempDir(t);
  fs.mkdirSync(path.join(dir, 'tree'));
  for (const name of ['x.wsp', 'y.wsp', 'z.wsp']) sample(path.join(dir, 'tree'), name);
  const resize = runGph(['whisper', 'resize', '--json', '--nobackup', 'tree', '60:20,300:24'], { cwd: dir, env: { GPH_NOW: String(NOW) } });
  t.is(resize.status, 0, resize.stderr);
  t.is(JSON.parse(resize.stdout).length, 3);
  const info = JSON.parse(runGph(['whisper', 'info', '--json', 'tree/x.wsp', 'tree/y.wsp'], { cwd: dir }).stdout);
  t.deepEqual(info.map((i: { archives: Array<{ points: number }> }) => i.archives[0].points), [20, 20]);
  t.is(runGph(['whisper', 'find-corrupt', 'tree'], { cwd: dir }).status, 0);
  fs.truncateSync(path.join(dir, 'tree', 'y.wsp'), 50);
  const scan = runGph(['whisper', 'find-corrupt', '--json', 'tree'], { cwd: dir });
  t.is(scan.status, 0);
  const report = JSON.parse(scan.stdout);
  t.is(report.checked, 3);
  t.deepEqual(report.corrupt.map((c: { path: string }) => path.basename(c.path)), ['y.wsp']);
  const text = runGph(['whisper', 'find-corrupt', 'tree'], { cwd: dir });
  t.is(text.status, 1);
  t.regex(text.stderr, /Corrupt Whisper file: .*y\.wsp \(file is truncated/);
});

test('dump, diff, merge and fill run from the command line', (t) => {
  const dir = tempDir(t);
  const env = { GPH_NOW: String(NOW) };
  sample(dir, 'a.wsp');
  create(path.join(dir, 'b.wsp'), parseRetentions('60:10,300:12'));
  t.regex(runGph(['whisper', 'dump', 'a.wsp'], { cwd: dir }).stdout, /^Meta data:\n  aggregation method: average\n/);
  const before = runGph(['whisper', 'diff', '--summary', '--columns', 'a.wsp', 'b.wsp'], { cwd: dir, env }).stdout;
  t.regex(before, /^archive total differing\n0 4 4\n/);
  t.is(runGph(['whisper', 'fill', 'a.wsp', 'b.wsp'], { cwd: dir, env }).status, 0);
  t.regex(runGph(['whisper', 'diff', '--summary', '--columns', 'a.wsp', 'b.wsp'], { cwd: dir, env }).stdout, /^archive total differing\n0 4 1\n/);
  t.is(runGph(['whisper', 'merge', 'a.wsp', 'b.wsp'], { cwd: dir, env }).status, 0);
  t.regex(runGph(['whisper', 'diff', '--summary', '--columns', 'a.wsp', 'b.wsp'], { cwd: dir, env }).stdout, /^archive total differing\n0 4 1\n/);
});

test('a reader that closes the pipe early ends gph quietly', (t) => {
  const dir = tempDir(t);
  const file = path.join(dir, 'big.wsp');
  create(file, parseRetentions('1s:2d'));
  const child = spawnSync('bash', ['-c', `node ${JSON.stringify(GPH_BIN)} whisper dump ${JSON.stringify(file)} | head -1; exit \${PIPESTATUS[0]}`], { encoding: 'utf8' });
  t.is(child.stdout, 'Meta data:\n');
  t.is(child.status, 0, child.stderr);
  t.is(child.stderr, '');
});

test('--table shows readable tables for fetch, info, dump and diff', (t) => {
  const dir = tempDir(t);
  sample(dir, 'a.wsp');
  sample(dir, 'b.wsp');
  const env = { GPH_NOW: String(NOW) };
  for (const args of [['fetch', '--from', String(NOW - 300)], ['info'], ['dump'], ['diff']]) {
    const files = args[0] === 'diff' ? ['a.wsp', 'b.wsp'] : ['a.wsp'];
    const run = runGph(['whisper', ...args, '--table', ...files], { cwd: dir, env });
    t.is(run.status, 0, run.stderr);
    t.regex(run.stdout, /┌/, args[0]);
  }
});
