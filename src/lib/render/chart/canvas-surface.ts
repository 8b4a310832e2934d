/**
 * The rasteriser behind charts: @napi-rs/canvas (Skia, its binary inside the npm package) draws
 * PNG, SVG and PDF (Skia's PDF backend: vector, fonts embedded) from the same calls, and measures
 * text with the bundled DejaVu Sans font (npm dejavu-fonts-ttf), so a chart is the same on every machine, with or without system fonts.
 * PNGs are encoded by sharp (libvips, also from npm with its binary) at a fast zlib level: Skia's
 * own encoder has no speed setting and took most of a chart's time. Loaded only when a chart is
 * asked for.
 */
import { createRequire } from 'node:module';
import path from 'node:path';
import { CHART_FONT_FAMILY } from './chart-template.js';
import type { CanvasRenderingContext2D as SkiaContext } from '@napi-rs/canvas';
import type { DrawingContext } from './drawing-context.js';
import type { ChartFormat } from './render-chart.js';

type CanvasModule = typeof import('@napi-rs/canvas');
let loaded: CanvasModule | undefined;

async function canvasModule(): Promise<CanvasModule> {
  if (loaded) return loaded;
  const module = await import('@napi-rs/canvas');
  const fonts = path.join(path.dirname(createRequire(import.meta.url).resolve('dejavu-fonts-ttf/package.json')), 'ttf');
  for (const file of ['DejaVuSans.ttf', 'DejaVuSans-Bold.ttf', 'DejaVuSans-Oblique.ttf', 'DejaVuSans-BoldOblique.ttf']) {
    module.GlobalFonts.registerFromPath(path.join(fonts, file), CHART_FONT_FAMILY);
  }
  loaded = module;
  return module;
}

export interface ChartSurface {
  ctx: DrawingContext;
  /** The finished image. */
  finish(): Promise<Buffer>;
}

/** zlib level of chart PNGs: charts are flat colours, so a fast level costs little size. */
const PNG_COMPRESSION_LEVEL = 3;

async function encodePng(rgba: Uint8ClampedArray, width: number, height: number): Promise<Buffer> {
  const { default: sharp } = await import('sharp');
  return sharp(Buffer.from(rgba.buffer, rgba.byteOffset, rgba.byteLength), { raw: { width, height, channels: 4 } })
    .png({ compressionLevel: PNG_COMPRESSION_LEVEL, adaptiveFiltering: false })
    .toBuffer();
}

export async function createSurface(width: number, height: number, format: ChartFormat): Promise<ChartSurface> {
  const { createCanvas, SvgExportFlag, Path2D, PDFDocument } = await canvasModule();
  const drawingContext = (native: SkiaContext): DrawingContext => Object.assign(native, { strokeSvgPath: (d: string) => native.stroke(new Path2D(d)) }) as unknown as DrawingContext;
  if (format === 'pdf') {
    // One page of width x height points, as graphite-web's cairo PDFSurface.
    const document = new PDFDocument({ creator: 'gph', producer: 'gph (Skia/PDF)' });
    const ctx = drawingContext(document.beginPage(width, height));
    const finish = async (): Promise<Buffer> => {
      document.endPage();
      return document.close();
    };
    return { ctx, finish };
  }
  const canvas = format === 'svg' ? createCanvas(width, height, SvgExportFlag.ConvertTextToPaths) : createCanvas(width, height);
  const native = canvas.getContext('2d');
  const ctx = drawingContext(native);
  const finish = async (): Promise<Buffer> => ('getContent' in canvas ? canvas.getContent() : encodePng(native.getImageData(0, 0, width, height).data, width, height));
  return { ctx, finish };
}
