import test from 'ava';
import path from 'node:path';
import { FixedClock } from '../../../src/lib/clock.js';
import { GphError } from '../../../src/lib/errors.js';
import { create } from '../../../src/lib/whisper/create.js';
import { diff } from '../../../src/lib/whisper/diff.js';
import { fetch } from '../../../src/lib/whisper/fetch.js';
import { fill } from '../../../src/lib/whisper/fill.js';
import { merge } from '../../../src/lib/whisper/merge.js';
import { parseRetentions } from '../../../src/lib/whisper/retention.js';
import { updateMany } from '../../../src/lib/whisper/update.js';
import { tempDir } from '../../_helpers/temp-dir.js';

const NOW = 1_700_000_040;
const clock = new FixedClock(NOW);

function make(dir: string, name: string, points: Array<readonly [number, number]>): string {
  const file = path.join(dir, name);
  create(file, parseRetentions('60:30,300:30'), { xFilesFactor: 0 });
  updateMany(file, points, { clock });
  return file;
}

const series = (from: number, count: number, value: (i: number) => number): Array<readonly [number, number]> =>
  Array.from({ length: count }, (_, i) => [NOW - 60 * (from + i), value(i)] as const);

test('fill() writes only the empty slots of dst, zeros and single gaps included', (t) => {
  const dir = tempDir(t);
  const src = make(dir, 'src.wsp', series(0, 20, () => 7));
  const dst = make(dir, 'dst.wsp', [...series(0, 5, () => 1), [NOW - 60 * 6, 0], ...series(8, 4, () => 2)]);
  const report = fill(src, dst, { clock });
  const values = fetch(dst, NOW - 60 * 20, NOW, {}, { clock })?.values ?? [];
  t.deepEqual(values.slice(-20).reverse(), [1, 1, 1, 1, 1, 7, 0, 7, 2, 2, 2, 2, 7, 7, 7, 7, 7, 7, 7, 7]);
  t.true(report.pointsWritten >= 10);
});

test('merge() copies source points over destination points of the same archives', (t) => {
  const dir = tempDir(t);
  const a = make(dir, 'a.wsp', series(0, 5, (i) => i));
  const b = make(dir, 'b.wsp', series(3, 5, () => 9));
  merge(a, b, {}, { clock });
  const values = fetch(b, NOW - 60 * 8, NOW, {}, { clock })?.values ?? [];
  t.deepEqual(values.slice(-8).reverse(), [0, 1, 2, 3, 4, 9, 9, 9]);
});

test('diff() reports differing points per archive and refuses unalike files', (t) => {
  const dir = tempDir(t);
  const a = make(dir, 'a.wsp', series(0, 3, () => 1));
  const b = make(dir, 'b.wsp', series(0, 3, (i) => (i === 1 ? 5 : 1)));
  const result = diff(a, b, {}, { clock });
  t.deepEqual(result[0].diffs, [[NOW - 60, 1, 5]]);
  t.is(result[0].total, 3);
  const c = path.join(dir, 'c.wsp');
  create(c, parseRetentions('60:10'));
  t.is((t.throws(() => diff(a, c, {}, { clock })) as GphError).code, 'WHISPER_UNALIKE');
});
