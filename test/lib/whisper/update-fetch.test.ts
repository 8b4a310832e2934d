import test from 'ava';
import fc from 'fast-check';
import fs from 'node:fs';
import path from 'node:path';
import { FixedClock } from '../../../src/lib/clock.js';
import { GphError } from '../../../src/lib/errors.js';
import { create } from '../../../src/lib/whisper/create.js';
import { fetch } from '../../../src/lib/whisper/fetch.js';
import { METADATA_ARCHIVE_COUNT_OFFSET } from '../../../src/lib/whisper/format.js';
import { parseRetentions } from '../../../src/lib/whisper/retention.js';
import { update, updateMany } from '../../../src/lib/whisper/update.js';
import { dump } from '../../../src/lib/whisper/dump.js';
import { tempDir } from '../../_helpers/temp-dir.js';

const NOW = 1_700_000_040; // a whole minute

test('update() then fetch() returns the point and its propagated aggregate', (t) => {
  const file = path.join(tempDir(t), 'a.wsp');
  const clock = new FixedClock(NOW);
  create(file, parseRetentions('60:60,300:60'), { xFilesFactor: 0 });
  update(file, 42, NOW - 30, { clock });
  const fine = fetch(file, NOW - 120, NOW, {}, { clock });
  t.deepEqual(fine?.timeInfo, [NOW - 60, NOW + 60, 60]);
  t.deepEqual(fine?.values, [42, null]);
  const coarse = fetch(file, NOW - 3600 - 1, NOW, {}, { clock });
  t.is(coarse?.timeInfo[2], 300);
  t.true(coarse?.values.includes(42));
});

test('update() refuses future points and points as old as the retention', (t) => {
  const file = path.join(tempDir(t), 'a.wsp');
  const clock = new FixedClock(NOW);
  create(file, parseRetentions('60:10'));
  const before = fs.readFileSync(file);
  t.is((t.throws(() => update(file, 1, NOW + 1, { clock })) as GphError).code, 'WHISPER_TIMESTAMP_NOT_COVERED');
  t.is((t.throws(() => update(file, 1, NOW - 600, { clock })) as GphError).code, 'WHISPER_TIMESTAMP_NOT_COVERED');
  t.deepEqual(fs.readFileSync(file), before);
});

test('updateMany() keeps the last of duplicate intervals and the first of identical timestamps', (t) => {
  const file = path.join(tempDir(t), 'a.wsp');
  const clock = new FixedClock(NOW);
  create(file, parseRetentions('60:10'));
  updateMany(file, [[NOW - 120, 1], [NOW - 110, 2], [NOW - 60, 3], [NOW - 60, 4]], { clock });
  const result = fetch(file, NOW - 180, NOW, {}, { clock });
  t.deepEqual(result?.values.slice(0, 2), [2, 3]);
});

test('updateMany() never writes past its archive, unlike whisper.py', (t) => {
  const dir = tempDir(t);
  const clock = new FixedClock(NOW);
  const points = Array.from({ length: 12 }, (_, i) => [NOW + 60 * i, i] as const);
  create(path.join(dir, 'gph.wsp'), parseRetentions('60:4'), { xFilesFactor: 0 });
  create(path.join(dir, 'ref.wsp'), parseRetentions('60:4'), { xFilesFactor: 0 });
  updateMany(path.join(dir, 'gph.wsp'), points, { clock });
  updateMany(path.join(dir, 'ref.wsp'), points, { clock, compat: true });
  t.is(fs.statSync(path.join(dir, 'gph.wsp')).size, 76);
  t.true(fs.statSync(path.join(dir, 'ref.wsp')).size > 76);
  const slots = dump(path.join(dir, 'gph.wsp')).archives[0].slots.map((s) => s?.[1]);
  t.deepEqual([...slots].sort((a, b) => (a ?? 0) - (b ?? 0)), [8, 9, 10, 11]);
});

test('update then fetch returns every point written within the retention (property)', (t) => {
  const dir = tempDir(t);
  let n = 0;
  // Up to 200 points (batches above 64 are sorted another way), ages often repeated.
  const age = fc.oneof(fc.integer({ min: 0, max: 3599 }), fc.integer({ min: 0, max: 15 }));
  fc.assert(
    fc.property(fc.array(fc.tuple(age, fc.double({ noNaN: true })), { minLength: 1, maxLength: 200, size: 'max' }), (raw) => {
      const file = path.join(dir, `p${n++}.wsp`);
      const clock = new FixedClock(NOW);
      create(file, parseRetentions('60:60,600:24'), { xFilesFactor: 0 });
      const points = raw.map(([age, value]) => [NOW - age, value] as const);
      updateMany(file, points, { clock });
      const result = fetch(file, NOW - 3599, NOW, {}, { clock });
      if (!result) return false;
      const [start, , step] = result.timeInfo;
      // The newest point of each 60 s interval must be what fetch returns for it.
      // Within an interval the newest timestamp wins; of identical timestamps the first given wins.
      const newest = new Map<number, readonly [number, number]>();
      for (const point of points) {
        const interval = point[0] - (point[0] % 60);
        const held = newest.get(interval);
        if (!held || point[0] > held[0]) newest.set(interval, point);
      }
      return [...newest]
        .filter(([interval]) => interval >= start)
        .every(([interval, point]) => Object.is(result.values[(interval - start) / step], point[1]));
    }),
    { numRuns: 200 },
  );
  t.pass();
});

test('fetch() returns null outside the retention and refuses from > until', (t) => {
  const file = path.join(tempDir(t), 'a.wsp');
  const clock = new FixedClock(NOW);
  create(file, parseRetentions('60:10'));
  t.is(fetch(file, NOW + 10, NOW + 20, {}, { clock }), null);
  t.is(fetch(file, NOW - 10000, NOW - 5000, {}, { clock }), null);
  t.is((t.throws(() => fetch(file, NOW, NOW - 10, {}, { clock })) as GphError).code, 'WHISPER_INVALID_INTERVAL');
  t.is((t.throws(() => fetch(file, NOW - 100, NOW, { archive: '2m' }, { clock })) as GphError).code, 'WHISPER_INVALID_GRANULARITY');
});

test('fetch() on a truncated file fails with WHISPER_CORRUPT, not a crash', (t) => {
  const file = path.join(tempDir(t), 'a.wsp');
  const clock = new FixedClock(NOW);
  create(file, parseRetentions('60:5'));
  update(file, 1, NOW - 60, { clock });
  fs.truncateSync(file, 60);
  t.is((t.throws(() => fetch(file, NOW - 300, NOW, {}, { clock })) as GphError).code, 'WHISPER_CORRUPT');
});

test('a header claiming millions of archives fails with WHISPER_CORRUPT for writes and reads, without reading gigabytes', (t) => {
  const clock = new FixedClock(NOW);
  for (const archives of [0x100000, 0x10000000, 0xffffffff]) {
    const file = path.join(tempDir(t), 'a.wsp');
    create(file, parseRetentions('60:1000')); // over a page: the header's second read asks for the archive list
    const bytes = fs.readFileSync(file);
    bytes.writeUInt32BE(archives, METADATA_ARCHIVE_COUNT_OFFSET);
    fs.writeFileSync(file, bytes);
    t.is((t.throws(() => updateMany(file, [[NOW - 60, 1]], { clock })) as GphError).code, 'WHISPER_CORRUPT', `${archives} archives, update`);
    t.is((t.throws(() => fetch(file, NOW - 300, NOW, {}, { clock })) as GphError).code, 'WHISPER_CORRUPT', `${archives} archives, fetch`);
  }
});
