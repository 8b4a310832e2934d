import test from 'ava';
import fc from 'fast-check';
import { isGphError } from '../../../src/lib/errors.js';
import { AGGREGATION_METHODS, type ArchiveSpec } from '../../../src/lib/whisper/format.js';
import { decodeHeader, encodeHeader } from '../../../src/lib/whisper/header.js';

const archivesArbitrary = fc
  .array(fc.record({ secondsPerPoint: fc.integer({ min: 1, max: 100_000 }), points: fc.integer({ min: 1, max: 40_000 }) }), { minLength: 1, maxLength: 6 })
  .map((list) => list as ArchiveSpec[]);

test('encodeHeader() lays out a default 60:10 file like whisper.py', (t) => {
  const bytes = encodeHeader([{ secondsPerPoint: 60, points: 10 }], 'average', 0.5);
  t.is(Buffer.from(bytes).toString('hex'), '0000000100000258' + '3f000000' + '00000001' + '0000001c0000003c0000000a');
});

test('decodeHeader() inverts encodeHeader() (property)', (t) => {
  fc.assert(
    fc.property(archivesArbitrary, fc.constantFrom(...AGGREGATION_METHODS), fc.float({ min: 0, max: 1, noNaN: true }), (archives, method, xff) => {
      const header = decodeHeader(encodeHeader(archives, method, xff), 'x.wsp');
      let offset = 16 + 12 * archives.length;
      return (
        header.aggregationMethod === method &&
        Object.is(header.xFilesFactor, Math.fround(xff)) &&
        header.maxRetention === Math.max(...archives.map((a) => a.secondsPerPoint * a.points)) &&
        header.archives.every((a, i) => {
          const ok = a.offset === offset && a.secondsPerPoint === archives[i].secondsPerPoint && a.points === archives[i].points;
          offset += a.points * 12;
          return ok;
        })
      );
    }),
  );
  t.pass();
});

test('decodeHeader() throws only WHISPER_CORRUPT on random bytes (property)', (t) => {
  fc.assert(
    fc.property(fc.uint8Array({ maxLength: 200 }), (bytes) => {
      try {
        decodeHeader(bytes, 'random.wsp');
        return true;
      } catch (error) {
        return isGphError(error, 'WHISPER_CORRUPT');
      }
    }),
    { numRuns: 5000 },
  );
  t.pass();
});

test('decodeHeader() rejects an unknown aggregation type, a bad xFilesFactor and a short archive table', (t) => {
  const good = encodeHeader([{ secondsPerPoint: 60, points: 5 }, { secondsPerPoint: 300, points: 10 }], 'sum', 0.5);
  const badType = Uint8Array.from(good);
  badType[3] = 9;
  t.is((t.throws(() => decodeHeader(badType, 'a.wsp')) as { reference?: { message: string } }).reference?.message, 'Unable to read header (a.wsp)');
  const badXff = Uint8Array.from(good);
  badXff.set([0x40, 0, 0, 0], 8);
  t.throws(() => decodeHeader(badXff, 'a.wsp'), { message: /xFilesFactor 2/ });
  t.is((t.throws(() => decodeHeader(good.subarray(0, 34), 'a.wsp')) as { reference?: { message: string } }).reference?.message, 'Unable to read archive1 metadata (a.wsp)');
  t.is(decodeHeader(badType, 'a.wsp', true).aggregationMethod, 'average');
});
