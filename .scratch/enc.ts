import { createCanvas } from '@napi-rs/canvas';
import { PNG } from 'pngjs';
import zlib from 'node:zlib';
const W = 800, H = 600;
const canvas = createCanvas(W, H);
const ctx = canvas.getContext('2d');
ctx.fillStyle = '#000'; ctx.fillRect(0, 0, W, H);
for (let s = 0; s < 10; s++) { ctx.strokeStyle = `hsl(${s * 36},90%,60%)`; ctx.beginPath(); for (let x = 50; x < 780; x += 1) ctx.lineTo(x, 300 + Math.sin(x / 20 + s) * 100 + s * 10); ctx.stroke(); }
ctx.fillStyle = '#fff'; ctx.font = '12px sans-serif'; for (let i = 0; i < 20; i++) ctx.fillText('label ' + i, 10 + i * 30, 580);
const time = (name: string, f: () => Buffer | Uint8Array) => { f(); const t0 = process.hrtime.bigint(); let n = 0; let out: any; for (let i = 0; i < 10; i++) { out = f(); n = out.length; } console.log(name, (Number(process.hrtime.bigint() - t0) / 1e7).toFixed(2), 'ms', n, 'bytes'); };
time('skia encodeSync', () => canvas.encodeSync('png'));
time('getImageData', () => Buffer.from(ctx.getImageData(0, 0, W, H).data.buffer));
time('canvas.data()', () => (canvas as any).data());
for (const filterType of [0, 1, 4, -1]) for (const level of [1, 6]) {
  time(`pngjs f${filterType} l${level}`, () => { const png = new PNG({ width: W, height: H, filterType, deflateLevel: level, deflateStrategy: level === 1 ? 0 : 3 } as any); png.data = Buffer.from(ctx.getImageData(0, 0, W, H).data.buffer); return PNG.sync.write(png, { filterType, deflateLevel: level } as any); });
}
