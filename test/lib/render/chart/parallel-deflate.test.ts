/**
 * Compressing in parts at once: whatever the data and the number of parts, zlib's own inflate
 * (which checks the Adler-32) gives the data back, and the combined checksum is the whole's.
 */
import zlib from 'node:zlib';
import test from 'ava';
import fc from 'fast-check';
import { adler32Combine, deflateParallel } from '../../../../src/lib/render/chart/parallel-deflate.js';

/** Adler-32 computed the plain way, as RFC 1950 defines it. */
function adler32(data: Uint8Array): number {
  let a = 1;
  let b = 0;
  for (const byte of data) {
    a = (a + byte) % 65521;
    b = (b + a) % 65521;
  }
  return ((b << 16) | a) >>> 0;
}

test('the combined Adler-32 of two pieces is the Adler-32 of both', (t) => {
  fc.assert(
    fc.property(fc.uint8Array({ maxLength: 300 }), fc.uint8Array({ maxLength: 70000 }), (a, b) => {
      const both = new Uint8Array(a.length + b.length);
      both.set(a);
      both.set(b, a.length);
      return adler32Combine(adler32(a), adler32(b), b.length) === adler32(both);
    }),
    { numRuns: 60 },
  );
  t.pass();
});

test('any data in any number of parts inflates back to itself, checksum included', async (t) => {
  await fc.assert(
    fc.asyncProperty(fc.uint8Array({ maxLength: 5000 }), fc.integer({ min: 1, max: 7 }), fc.integer({ min: 0, max: 9 }), fc.boolean(), async (random, parts, level, runs) => {
      // Long runs as in a chart (large flat areas), or incompressible bytes.
      const data = runs ? Uint8Array.from(random, (byte, i) => (i % 97 < 80 ? 0 : byte)) : random;
      const deflated = await deflateParallel(data, parts, level);
      return Buffer.compare(zlib.inflateSync(deflated), Buffer.from(data)) === 0;
    }),
    { numRuns: 80 },
  );
  t.pass();
});

test('a large image-like buffer in two parts: the parts are joined, not recompressed whole, and its size stays within 1 % of one stream', async (t) => {
  const data = new Uint8Array(1 << 21);
  for (let i = 0; i < data.length; i += 4096) data.fill((i >> 12) & 0xff, i, i + 64);
  const parallel = await deflateParallel(data, 2, 1);
  const whole = zlib.deflateSync(data, { level: 1 });
  t.deepEqual(zlib.inflateSync(parallel), Buffer.from(data));
  t.true(parallel.includes(Buffer.from([0x00, 0x00, 0xff, 0xff])), 'sync-flushed parts');
  t.true(parallel.length <= whole.length * 1.01 + 16);
});
