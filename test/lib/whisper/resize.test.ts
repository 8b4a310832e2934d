import test from 'ava';
import fs from 'node:fs';
import path from 'node:path';
import { FixedClock } from '../../../src/lib/clock.js';
import { GphError } from '../../../src/lib/errors.js';
import { create } from '../../../src/lib/whisper/create.js';
import { fetch } from '../../../src/lib/whisper/fetch.js';
import { info } from '../../../src/lib/whisper/info.js';
import { resize } from '../../../src/lib/whisper/resize.js';
import { parseRetentions } from '../../../src/lib/whisper/retention.js';
import { updateMany } from '../../../src/lib/whisper/update.js';
import { tempDir } from '../../_helpers/temp-dir.js';

const NOW = 1_700_000_040;

function filled(dir: string, name: string, retentions: string): string {
  const file = path.join(dir, name);
  create(file, parseRetentions(retentions), { xFilesFactor: 0 });
  const clock = new FixedClock(NOW);
  updateMany(file, Array.from({ length: 10 }, (_, i) => [NOW - 60 * i, i + 1] as const), { clock });
  return file;
}

test('resize() keeps every slot, including the oldest one whisper-resize drops', (t) => {
  const dir = tempDir(t);
  const clock = new FixedClock(NOW);
  const file = filled(dir, 'a.wsp', '60:10');
  const report = resize(file, parseRetentions('60:20'), {}, { clock });
  t.is(report.pointsMigrated, 10);
  t.is(info(file).archives[0].points, 20);
  const values = fetch(file, NOW - 1200, NOW, {}, { clock })?.values.filter((v) => v !== null);
  t.is(values?.length, 10);
  t.true(fs.existsSync(`${file}.bak`));
  t.false(fs.existsSync(`${file}.tmp`));
});

test('resize() in compatibility mode drops the oldest slot like whisper-resize', (t) => {
  const dir = tempDir(t);
  const clock = new FixedClock(NOW);
  const file = filled(dir, 'a.wsp', '60:10');
  resize(file, parseRetentions('60:20'), { nobackup: true }, { clock, compat: true });
  t.is(fetch(file, NOW - 1200, NOW, {}, { clock })?.values.filter((v) => v !== null).length, 9);
  t.false(fs.existsSync(`${file}.bak`));
});

test('resize() --aggregate computes lower archives from the old data', (t) => {
  const dir = tempDir(t);
  const clock = new FixedClock(NOW);
  const file = filled(dir, 'a.wsp', '60:10');
  resize(file, parseRetentions('60:10,300:10'), { aggregate: true, aggregationMethod: 'sum', xFilesFactor: 0 }, { clock });
  const coarse = fetch(file, NOW - 3000, NOW, { archive: 300 }, { clock });
  const total = coarse?.values.reduce((sum: number, v) => sum + (v ?? 0), 0);
  t.is(total, 55);
});

test('resize() with invalid archives changes nothing', (t) => {
  const dir = tempDir(t);
  const file = filled(dir, 'a.wsp', '60:10');
  const before = fs.readFileSync(file);
  t.is((t.throws(() => resize(file, parseRetentions('60:30,90:60'))) as GphError).code, 'WHISPER_INVALID_CONFIG');
  t.deepEqual(fs.readFileSync(file), before);
  t.deepEqual(fs.readdirSync(dir), ['a.wsp']);
});

test('resize() --newfile leaves the original alone', (t) => {
  const dir = tempDir(t);
  const file = filled(dir, 'a.wsp', '60:10');
  const before = fs.readFileSync(file);
  resize(file, parseRetentions('60:30'), { newfile: path.join(dir, 'b.wsp') }, { clock: new FixedClock(NOW) });
  t.deepEqual(fs.readFileSync(file), before);
  t.is(info(path.join(dir, 'b.wsp')).archives[0].points, 30);
});
