/**
 * The chart PNG encoder, checked by an independent decoder (pngjs): any RGBA image comes back
 * byte for byte, with the PNG header fields a viewer needs.
 */
import test from 'ava';
import fc from 'fast-check';
import { PNG } from 'pngjs';
import { encodePng } from '../../../../src/lib/render/chart/png-encoder.js';

test('any RGBA image decodes back to the same pixels', async (t) => {
  await fc.assert(
    fc.asyncProperty(fc.integer({ min: 1, max: 40 }), fc.integer({ min: 1, max: 40 }), fc.integer(), async (width, height, seed) => {
      const pixels = new Uint8Array(width * height * 4);
      let state = seed >>> 0 || 1;
      for (let i = 0; i < pixels.length; i++) {
        state = (state * 1103515245 + 12345) >>> 0;
        pixels[i] = state >>> 24;
      }
      const decoded = PNG.sync.read(await encodePng(pixels, width, height));
      return decoded.width === width && decoded.height === height && Buffer.compare(decoded.data, Buffer.from(pixels)) === 0;
    }),
    { numRuns: 60 },
  );
  t.pass();
});

test('an 8-bit RGBA PNG with its signature, from a canvas-style Uint8ClampedArray', async (t) => {
  const pixels = new Uint8ClampedArray(3 * 2 * 4).fill(200);
  const png = await encodePng(pixels, 3, 2);
  t.deepEqual([...png.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  t.is(png.toString('latin1', 12, 16), 'IHDR');
  t.is(png.readUInt32BE(16), 3);
  t.is(png.readUInt32BE(20), 2);
  t.is(png[24], 8, 'bit depth');
  t.is(png[25], 6, 'colour type RGBA');
  t.is(png.toString('latin1', png.length - 8, png.length - 4), 'IEND');
  t.deepEqual([...PNG.sync.read(png).data], [...pixels]);
});
