/**
 * The chart PNG encoders (gph's addon, and @napi-rs/image without it), checked by an independent
 * decoder (pngjs, which inflates with zlib and so checks the stream's Adler-32; it checks every
 * chunk's CRC too): any RGBA image comes back byte for byte, with the PNG header fields a viewer needs.
 */
import test from 'ava';
import fc from 'fast-check';
import { PNG } from 'pngjs';
import { nativeAddon } from '../../../../src/lib/native-addon.js';
import { encodePng, encodePngWithoutAddon } from '../../../../src/lib/render/chart/png-encoder.js';

const ENCODERS = [
  ['addon', encodePng],
  ['without the addon', encodePngWithoutAddon],
] as const;

/** A pseudo-random image: noise, flat areas, runs of one pixel or one byte (matches of every length), like a chart's. */
function image(width: number, height: number, seed: number, flatness: number): Uint8Array {
  const pixels = new Uint8Array(width * height * 4);
  let state = seed >>> 0 || 1;
  const next = (): number => {
    state = (state * 1103515245 + 12345) >>> 0;
    return state >>> 16;
  };
  for (let i = 0; i < pixels.length; ) {
    const kind = next() % 4;
    const length = Math.min(pixels.length - i, 1 + (next() % (kind === 0 ? 16 : 700)));
    if (kind === 0 || next() % 100 >= flatness) {
      for (let k = 0; k < length; k++) pixels[i + k] = next() & 255;
    } else if (kind === 1) {
      pixels.fill(next() & 255, i, i + length); // one byte repeated
    } else {
      const pixel = [next() & 255, next() & 255, next() & 255, 255];
      for (let k = 0; k < length; k++) pixels[i + k] = pixel[(i + k) & 3]; // one colour repeated
    }
    i += length;
  }
  return pixels;
}

function decodes(png: Buffer, width: number, height: number, pixels: Uint8Array | Uint8ClampedArray): boolean {
  const decoded = PNG.sync.read(png);
  return decoded.width === width && decoded.height === height && Buffer.compare(decoded.data, Buffer.from(pixels.buffer, pixels.byteOffset, pixels.byteLength)) === 0;
}

test('the addon is built (npm install builds it with node-gyp; without it the other encoder is used)', (t) => {
  t.is(typeof nativeAddon()?.encodePng, 'function');
});

for (const [name, encode] of ENCODERS) {
  test(`${name}: any RGBA image decodes back to the same pixels`, async (t) => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 40 }), fc.integer({ min: 1, max: 40 }), fc.integer(), fc.integer({ min: 0, max: 100 }), async (width, height, seed, flatness) => {
        const pixels = image(width, height, seed, flatness);
        return decodes(await encode(pixels, width, height), width, height, pixels);
      }),
      { numRuns: 80 },
    );
    t.pass();
  });

  test(`${name}: an 8-bit RGBA PNG with its signature, from a canvas-style Uint8ClampedArray`, async (t) => {
    const pixels = new Uint8ClampedArray(3 * 2 * 4).fill(200);
    const png = await encode(pixels, 3, 2);
    t.deepEqual([...png.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    t.is(png.toString('latin1', 12, 16), 'IHDR');
    t.is(png.readUInt32BE(16), 3);
    t.is(png.readUInt32BE(20), 2);
    t.is(png[24], 8, 'bit depth');
    t.is(png[25], 6, 'colour type RGBA');
    t.is(png.toString('latin1', png.length - 8, png.length - 4), 'IEND');
    t.deepEqual([...PNG.sync.read(png).data], [...pixels]);
  });
}

test('addon: images large enough to be encoded in two bands, with several blocks each, decode back', async (t) => {
  for (const [width, height, seed, flatness] of [
    [800, 600, 1, 95],
    [801, 333, 2, 60],
    [257, 1000, 3, 0],
    [4000, 17, 4, 100],
    [300, 300, 5, 99],
  ]) {
    const pixels = image(width, height, seed, flatness);
    t.true(decodes(await encodePng(pixels, width, height), width, height, pixels), `${width}x${height}`);
  }
  const blank = new Uint8Array(1000 * 500 * 4);
  const png = await encodePng(blank, 1000, 500);
  t.true(decodes(png, 1000, 500, blank));
  t.true(png.length < 10_000, `2 MB of blank pixels are mostly matches (${png.length} bytes)`);
});

test('addon: byte frequencies that would give Huffman codes longer than 15 bits still give a valid code', async (t) => {
  // One row (filtered as Sub: each byte less the one 4 before) whose filtered bytes are symbol k
  // Fibonacci(k) times, shuffled: an unlimited Huffman code for them is ~24 bits deep.
  const filtered: number[] = [];
  let [a, b] = [1, 1];
  for (let symbol = 1; symbol <= 24; symbol++, [a, b] = [b, a + b]) for (let k = 0; k < a; k++) filtered.push(symbol * 10);
  let state = 7;
  for (let i = filtered.length - 1; i > 0; i--) {
    state = (state * 1103515245 + 12345) >>> 0;
    const j = (state >>> 8) % (i + 1);
    [filtered[i], filtered[j]] = [filtered[j], filtered[i]];
  }
  const width = Math.floor(filtered.length / 4);
  const pixels = new Uint8Array(width * 4);
  for (let x = 0; x < pixels.length; x++) pixels[x] = (filtered[x] + (x >= 4 ? pixels[x - 4] : 0)) & 255;
  t.true(decodes(await encodePng(pixels, width, 1), width, 1, pixels));
});

test('addon: pixels of the wrong size are refused, not read past', (t) => {
  const addon = nativeAddon()!;
  t.throws(() => addon.encodePng(new Uint8Array(15), 2, 2), { instanceOf: TypeError, message: /width x height x 4/ });
  t.throws(() => addon.encodePng(new Uint16Array(16) as unknown as Uint8Array, 2, 2), { instanceOf: TypeError });
  t.throws(() => addon.encodePng(new Uint8Array(0), 0, 0), { instanceOf: TypeError });
});
