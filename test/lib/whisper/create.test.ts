import test from 'ava';
import fc from 'fast-check';
import fs from 'node:fs';
import path from 'node:path';
import { GphError } from '../../../src/lib/errors.js';
import { FixedClock } from '../../../src/lib/clock.js';
import { create, createWithPoints } from '../../../src/lib/whisper/create.js';
import { updateManyPacked } from '../../../src/lib/whisper/update.js';
import { canFallocate } from '../../../src/lib/whisper/native-fallocate.js';
import { info } from '../../../src/lib/whisper/info.js';
import { parseRetentions } from '../../../src/lib/whisper/retention.js';
import { tempDir } from '../../_helpers/temp-dir.js';

test('create() writes a zeroed file of the layout size, sorted by precision', (t) => {
  const dir = tempDir(t);
  const file = path.join(dir, 'a.wsp');
  const size = create(file, parseRetentions('1h:7d,60:1440'), { xFilesFactor: 0.1, aggregationMethod: 'max' });
  t.is(size, 16 + 24 + 12 * (1440 + 168));
  t.is(fs.statSync(file).size, size);
  const header = info(file);
  t.deepEqual(header.archives.map((a) => a.secondsPerPoint), [60, 3600]);
  t.is(header.xFilesFactor, Math.fround(0.1));
  t.is(header.aggregationMethod, 'max');
  t.true(fs.readFileSync(file).subarray(40).every((b) => b === 0));
});

test('fallocate allocates the data blocks without writing them (the native addon built at npm install)', (t) => {
  t.true(canFallocate(), 'build/Release/gph_native.node is missing: npm install builds it with node-gyp (python3, make, g++)');
  const dir = tempDir(t);
  const retentions = '10s:1d,1m:7d';
  create(path.join(dir, 'sparse.wsp'), parseRetentions(retentions), { sparse: true });
  const size = create(path.join(dir, 'fallocated.wsp'), parseRetentions(retentions), { fallocate: true, sparse: true });
  const allocated = (name: string): number => fs.statSync(path.join(dir, name)).blocks * 512;
  t.true(allocated('fallocated.wsp') >= size, `${allocated('fallocated.wsp')} bytes allocated for ${size}`);
  t.true(allocated('sparse.wsp') < size / 4, 'a sparse file stays a hole (fallocate comes first, as in whisper.py)');
  t.deepEqual(fs.readFileSync(path.join(dir, 'fallocated.wsp')), fs.readFileSync(path.join(dir, 'sparse.wsp')));
});

test('create() with sparse gives the same bytes', (t) => {
  const dir = tempDir(t);
  create(path.join(dir, 'a.wsp'), parseRetentions('60:100,300:100'));
  create(path.join(dir, 'b.wsp'), parseRetentions('60:100,300:100'), { sparse: true });
  create(path.join(dir, 'c.wsp'), parseRetentions('60:100,300:100'), { fallocate: true });
  const a = fs.readFileSync(path.join(dir, 'a.wsp'));
  t.deepEqual(fs.readFileSync(path.join(dir, 'b.wsp')), a);
  t.deepEqual(fs.readFileSync(path.join(dir, 'c.wsp')), a);
});

test('create() refuses bad settings before touching the disk (no junk file)', (t) => {
  const dir = tempDir(t);
  const file = path.join(dir, 'a.wsp');
  t.is((t.throws(() => create(file, parseRetentions('60:10'), { aggregationMethod: 'median' })) as GphError).code, 'WHISPER_INVALID_AGGREGATION');
  t.is((t.throws(() => create(file, parseRetentions('60:10'), { xFilesFactor: Number.NaN })) as GphError).code, 'WHISPER_INVALID_XFF');
  t.is((t.throws(() => create(file, parseRetentions('60:10'), { xFilesFactor: 'abc' })) as GphError).code, 'WHISPER_INVALID_XFF');
  t.deepEqual(fs.readdirSync(dir), []);
});

test('create() in compatibility mode leaves the empty file whisper.py leaves', (t) => {
  const dir = tempDir(t);
  const file = path.join(dir, 'a.wsp');
  t.throws(() => create(file, parseRetentions('60:10'), { aggregationMethod: 'median' }, { compat: true }));
  t.is(fs.statSync(file).size, 0);
});

test('create() never replaces an existing file', (t) => {
  const dir = tempDir(t);
  const file = path.join(dir, 'a.wsp');
  fs.writeFileSync(file, 'keep me');
  t.is((t.throws(() => create(file, parseRetentions('60:10'))) as GphError).code, 'WHISPER_EXISTS');
  t.is(fs.readFileSync(file, 'utf8'), 'keep me');
  t.deepEqual(fs.readdirSync(dir), ['a.wsp']);
});

test('create() leaves only the file: its temp name is gone after success and after a failed publish', (t) => {
  const dir = tempDir(t);
  create(path.join(dir, 'a.wsp'), parseRetentions('60:10'));
  create(path.join(dir, 'b.wsp'), parseRetentions('60:10'), { fallocate: true });
  t.deepEqual(fs.readdirSync(dir).sort(), ['a.wsp', 'b.wsp']);
  // An existing target is refused and left as it was, with no temp file behind.
  fs.writeFileSync(path.join(dir, 'c.wsp'), 'theirs');
  t.is((t.throws(() => create(path.join(dir, 'c.wsp'), parseRetentions('60:10'))) as GphError).code, 'WHISPER_EXISTS');
  t.deepEqual(fs.readdirSync(dir).sort(), ['a.wsp', 'b.wsp', 'c.wsp']);
  t.is(fs.readFileSync(path.join(dir, 'c.wsp'), 'utf8'), 'theirs');
});

test('createWithPoints() makes the same bytes as create() then updateManyPacked(), in every create mode and in compatibility mode (property)', (t) => {
  const dir = tempDir(t);
  const now = 1_700_000_000;
  const clock = new FixedClock(now);
  const layouts = ['10s:1d,1m:7d', '60:100,300:100,3600:50', '1s:5m'];
  let n = 0;
  fc.assert(
    fc.property(
      fc.constantFrom(...layouts),
      fc.constantFrom({}, { sparse: true }, { fallocate: true }),
      fc.constantFrom('average', 'sum', 'max', 'last'),
      fc.array(fc.tuple(fc.integer({ min: -20, max: 700_000 }), fc.double({ noNaN: true, noDefaultInfinity: true })), { maxLength: 60 }),
      fc.boolean(),
      (layout, mode, aggregationMethod, raw, compat) => {
        const packed = Float64Array.from(raw.flatMap(([age, value]) => [now - age, value]));
        const expected = path.join(dir, `e${n}.wsp`);
        const made = path.join(dir, `m${n++}.wsp`);
        const createOptions = { ...mode, aggregationMethod, xFilesFactor: 0.3 };
        create(expected, parseRetentions(layout), createOptions);
        updateManyPacked(expected, packed, { clock });
        t.is(createWithPoints(made, parseRetentions(layout), createOptions, packed, { clock, compat }), fs.statSync(expected).size);
        return fs.readFileSync(made).equals(fs.readFileSync(expected));
      },
    ),
    { numRuns: 150 },
  );
  t.true(fs.readdirSync(dir).every((name) => name.endsWith('.wsp')), 'no temp file left');
});

test('createWithPoints() never replaces an existing file and leaves no temp file', (t) => {
  const dir = tempDir(t);
  const file = path.join(dir, 'a.wsp');
  fs.writeFileSync(file, 'keep me');
  const error = t.throws(() => createWithPoints(file, parseRetentions('60:10'), {}, Float64Array.of(1_700_000_000, 1), { clock: new FixedClock(1_700_000_000) })) as GphError;
  t.is(error.code, 'WHISPER_EXISTS');
  t.is(fs.readFileSync(file, 'utf8'), 'keep me');
  t.deepEqual(fs.readdirSync(dir), ['a.wsp']);
});
