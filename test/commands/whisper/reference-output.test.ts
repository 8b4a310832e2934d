/**
 * gph's text output against what the whisper-* scripts printed for the same files
 * (test/_fixtures/whisper, recorded from python3-whisper), and gph writing those files byte for byte.
 */
import test from 'ava';
import fs from 'node:fs';
import path from 'node:path';
import { FixedClock } from '../../../src/lib/clock.js';
import { create } from '../../../src/lib/whisper/create.js';
import { updateMany } from '../../../src/lib/whisper/update.js';
import { runGph } from '../../_helpers/run-gph.js';
import { tempDir } from '../../_helpers/temp-dir.js';

const FIXTURES = path.resolve('test/_fixtures/whisper');
const NOW = 1_700_000_040;

function fixtureDir(t: Parameters<typeof tempDir>[0]): string {
  const dir = tempDir(t);
  for (const name of ['sample.wsp', 'other.wsp']) fs.copyFileSync(path.join(FIXTURES, name), path.join(dir, name));
  return dir;
}

const expected = (name: string): string => fs.readFileSync(path.join(FIXTURES, name), 'utf8');

const cases: Array<[string, string[], boolean]> = [
  ['fetch.txt', ['whisper', 'fetch', `--from=${NOW - 1800}`, 'sample.wsp'], false],
  ['fetch-pretty.txt', ['whisper', 'fetch', `--from=${NOW - 7200}`, '--pretty', 'sample.wsp'], false],
  ['fetch-json.txt', ['whisper', 'fetch', `--from=${NOW - 7200}`, '--json', '--drop', 'nulls', 'sample.wsp'], true],
  ['info.txt', ['whisper', 'info', 'sample.wsp'], false],
  ['dump.txt', ['whisper', 'dump', 'sample.wsp'], false],
  ['diff.txt', ['whisper', 'diff', 'sample.wsp', 'other.wsp'], false],
  ['diff-summary-json.txt', ['whisper', 'diff', '--summary', '--json', 'sample.wsp', 'other.wsp'], true],
];

for (const [fixture, args, compat] of cases) {
  test(`${args.slice(0, 2).join(' ')} prints ${fixture} as the reference did${compat ? ' (GPH_COMPAT=whisper)' : ''}`, (t) => {
    const run = runGph(args, { cwd: fixtureDir(t), env: { GPH_NOW: String(NOW), ...(compat ? { GPH_COMPAT: 'whisper' } : {}) } });
    t.is(run.status, 0, run.stderr);
    t.is(run.stdout, expected(fixture));
  });
}

test('info --json gives the document whisper-info --json gives', (t) => {
  const run = runGph(['whisper', 'info', '--json', 'sample.wsp'], { cwd: fixtureDir(t) });
  t.deepEqual(JSON.parse(run.stdout), JSON.parse(expected('info-json.txt')));
});

test('gph writes sample.wsp byte for byte as whisper.py did', (t) => {
  const file = path.join(tempDir(t), 'sample.wsp');
  const clock = new FixedClock(NOW);
  create(file, [{ secondsPerPoint: 60, points: 30 }, { secondsPerPoint: 300, points: 24 }], { xFilesFactor: 0.3, aggregationMethod: 'average' });
  const points: Array<[number, number]> = Array.from({ length: 40 }, (_, i) => [NOW - 45 * i, i % 7 === 0 ? 0 : i * 1.25]);
  points.push([NOW - 45 * 41, Number.NaN], [NOW - 45 * 42, Infinity], [NOW - 45 * 43, -0], [NOW - 45 * 44, 1e22], [NOW - 45 * 45, 0.1]);
  updateMany(file, points, { clock });
  t.deepEqual(fs.readFileSync(file), fs.readFileSync(path.join(FIXTURES, 'sample.wsp')));
});
