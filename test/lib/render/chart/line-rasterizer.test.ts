/**
 * gph's line rasteriser against geometry (covered area, butt ends, miter tips, clipping) and
 * against Skia (@napi-rs/canvas, the rasteriser it replaces for PNG series lines) on the same
 * polylines.
 */
import test from 'ava';
import { createCanvas, Path2D } from '@napi-rs/canvas';
import pixelmatch from 'pixelmatch';
import { type LineStyle, type Polyline, strokePolylines } from '../../../../src/lib/render/chart/line-rasterizer.js';

const W = 60;
const H = 40;
const everywhere = { x0: 0, y0: 0, x1: W, y1: H };
const white = (a = 1) => ({ r: 255, g: 255, b: 255, a });

function black(): Uint8Array {
  const pixels = new Uint8Array(W * H * 4);
  for (let i = 3; i < pixels.length; i += 4) pixels[i] = 255;
  return pixels;
}

/** Points as [x, y] pairs (readable here) made into the rasteriser's flat polylines. */
const flat = (points: ReadonlyArray<readonly [number, number]>): Polyline => points.flat();

function stroke(lines: Array<Array<[number, number]>>, style: Partial<LineStyle> = {}): Uint8Array {
  const pixels = black();
  strokePolylines(pixels, W, H, lines.map(flat), { lineWidth: 1.2, color: white(), clip: everywhere, ...style });
  return pixels;
}

const red = (pixels: Uint8Array, x: number, y: number) => pixels[(y * W + x) * 4];
const coveredArea = (pixels: Uint8Array) => {
  let sum = 0;
  for (let i = 0; i < pixels.length; i += 4) sum += pixels[i] / 255;
  return sum;
};

test('a horizontal line covers exactly its rectangle (butt ends, no caps)', (t) => {
  const pixels = stroke([[[5, 10], [15, 10]]], { lineWidth: 2 });
  for (let x = 0; x < W; x++) {
    for (let y = 0; y < H; y++) {
      const inside = x >= 5 && x < 15 && (y === 9 || y === 10);
      t.is(red(pixels, x, y), inside ? 255 : 0, `pixel ${x},${y}`);
    }
  }
});

test('antialiasing keeps the area: a slanted line covers length × width pixels', (t) => {
  const length = Math.hypot(40, 25);
  const area = coveredArea(stroke([[[10, 5], [50, 30]]], { lineWidth: 1.2 }));
  t.true(Math.abs(area - length * 1.2) < 0.01 * length * 1.2, `area ${area} for ${length * 1.2}`);
});

test('a line drawn over itself many times is blended once, even across sweeps', (t) => {
  const once = stroke([[[5, 10.3], [55, 10.3]]], { color: white(0.5) });
  const backAndForth: Array<[number, number]> = [];
  for (let i = 0; i < 40; i++) backAndForth.push(i % 2 ? [55, 10.3] : [5, 10.3]);
  const many = stroke([backAndForth], { color: white(0.5) });
  for (let x = 6; x < 54; x++) for (const y of [9, 10, 11]) t.true(Math.abs(red(many, x, y) - red(once, x, y)) <= 1, `pixel ${x},${y}: ${red(many, x, y)} vs ${red(once, x, y)}`);
});

test('a straight line drawn through many points is as even as one segment (no seams between sweeps)', (t) => {
  const once = stroke([[[4.3, 20.4], [55.7, 20.4]]]);
  const points: Array<[number, number]> = [];
  for (let i = 0; i <= 40; i++) points.push([4.3 + (51.4 * i) / 40, 20.4]);
  const many = stroke([points]);
  for (let x = 5; x < 55; x++) for (const y of [19, 20, 21]) t.true(Math.abs(red(many, x, y) - red(once, x, y)) <= 1, `pixel ${x},${y}: ${red(many, x, y)} vs ${red(once, x, y)}`);
});

test('corners are mitered up to cairo\'s limit of 10, beveled beyond it', (t) => {
  // A 16° V (miter ratio 1 / sin(8.1°) = 7.1): its tip reaches 0.6 × 7.1 = 4.3 px above the corner.
  const sharp = stroke([[[26, 38], [30, 10], [34, 38]]], { lineWidth: 1.2 });
  t.true(red(sharp, 29, 7) + red(sharp, 30, 7) > 100, `the miter tip is drawn: ${red(sharp, 29, 7)} + ${red(sharp, 30, 7)}`);
  for (let y = 0; y < 5; y++) t.is(red(sharp, 30, y), 0, `row ${y}`);
  // A 4° V is past the limit (1 / sin(2°) = 28.7 > 10): bevelled, nothing far above the corner.
  const needle = stroke([[[29, 38], [30, 10], [31, 38]]], { lineWidth: 1.2 });
  t.true(red(needle, 30, 10) > 0);
  for (let y = 0; y < 9; y++) t.is(red(needle, 30, y), 0, `row ${y}`);
});

test('nothing is drawn outside the clip, and a fractional clip edge covers part of its pixel', (t) => {
  const pixels = stroke([[[0, 20], [60, 20]]], { lineWidth: 2, clip: { x0: 10.5, y0: 0, x1: 30, y1: 40 } });
  for (let x = 0; x < 10; x++) t.is(red(pixels, x, 20), 0);
  t.true(Math.abs(red(pixels, 10, 20) - 128) <= 1, `half-covered edge pixel: ${red(pixels, 10, 20)}`);
  t.is(red(pixels, 20, 20), 255);
  for (let x = 30; x < W; x++) t.is(red(pixels, x, 20), 0);
});

test('a transparent line or a zero width draws nothing', (t) => {
  const blank = black();
  t.deepEqual(stroke([[[5, 5], [50, 30]]], { color: white(0) }), blank);
  t.deepEqual(stroke([[[5, 5], [50, 30]]], { lineWidth: 0 }), blank);
});

test('segments through NaN or infinite coordinates add nothing, and leave the rest of the line as it is', (t) => {
  const finite: Array<[number, number]> = [[30, 10], [40, 20]];
  const expected = stroke([finite]);
  for (const bad of [[Number.NaN, 5], [10, Number.NaN], [Number.POSITIVE_INFINITY, 5], [10, Number.NEGATIVE_INFINITY], [Number.NEGATIVE_INFINITY, Number.POSITIVE_INFINITY]] as Array<[number, number]>) {
    const pixels = stroke([[bad, [20, 5]], finite]);
    t.deepEqual(pixels, expected, `through ${bad.join(', ')}`);
  }
});

test('the same as Skia\'s stroke of a noisy series (within antialiasing rounding)', (t) => {
  const width = 400;
  const height = 200;
  let seed = 7;
  const random = () => (seed = (seed * 16807) % 2147483647) / 2147483647;
  const lines: Array<Array<[number, number]>> = [[], []];
  for (const line of lines) {
    let y = 100;
    for (let x = 20.3; x < 380; x += 1.04) {
      y = Math.min(190, Math.max(10, y + (random() - 0.5) * 12));
      line.push([x, y]);
    }
  }
  const clip = { x0: 15.5, y0: 5, x1: 385, y1: 195 };
  const canvas = createCanvas(width, height);
  const ctx = canvas.getContext('2d');
  ctx.fillStyle = 'black';
  ctx.fillRect(0, 0, width, height);
  const ours = new Uint8Array(ctx.getImageData(0, 0, width, height).data);
  ctx.beginPath();
  ctx.rect(clip.x0, clip.y0, clip.x1 - clip.x0, clip.y1 - clip.y0);
  ctx.clip();
  ctx.lineWidth = 1.2;
  ctx.lineJoin = 'miter';
  ctx.lineCap = 'butt';
  const colors = [{ r: 0, g: 128, b: 255, a: 1 }, { r: 255, g: 200, b: 0, a: 0.7 }];
  lines.forEach((line, i) => {
    const c = colors[i];
    ctx.strokeStyle = `rgba(${c.r},${c.g},${c.b},${c.a})`;
    ctx.stroke(new Path2D(line.map(([x, y], k) => `${k ? 'L' : 'M'}${x} ${y}`).join('')));
    strokePolylines(ours, width, height, [flat(line)], { lineWidth: 1.2, color: c, clip });
  });
  const skia = ctx.getImageData(0, 0, width, height).data;
  const differing = pixelmatch(skia, ours, undefined, width, height, { threshold: 0.1 });
  let drawn = 0;
  for (let i = 0; i < ours.length; i += 4) if (ours[i] || ours[i + 1] || ours[i + 2]) drawn++;
  t.true(drawn > 2000, `${drawn} pixels drawn`);
  // Where the two series cross, 8-bit blending rounds differently: ~1.5 % of the drawn pixels.
  t.true(differing < drawn * 0.025, `${differing} of ${drawn} drawn pixels differ from Skia's`);
});
