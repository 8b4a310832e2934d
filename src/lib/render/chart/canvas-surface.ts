/**
 * The rasteriser behind charts: @napi-rs/canvas (Skia, its binary inside the npm package) draws
 * PNG, SVG and PDF (Skia's PDF backend: vector, fonts embedded) from the same calls, and measures
 * text with the bundled DejaVu Sans font (npm dejavu-fonts-ttf), so a chart is the same on every machine, with or without system fonts.
 * PNG series lines are stroked by gph's own rasteriser (line-rasterizer.ts, partly on a worker
 * thread: parallel-strokes.ts) after Skia has drawn the rest, and the PNG is written by
 * png-encoder.ts (Skia's own encoder has no speed setting and took most of a chart's time).
 * Loaded only when a chart is asked for.
 */
import { createRequire } from 'node:module';
import path from 'node:path';
import { CHART_FONT_FAMILY } from './chart-template.js';
import type { CanvasRenderingContext2D as SkiaContext } from '@napi-rs/canvas';
import type { DrawingContext } from './drawing-context.js';
import { type LineStyle, type Polyline, compositeCoverage } from './line-rasterizer.js';
import { type ParallelCoverage, coverInParallel } from './parallel-strokes.js';
import { encodePng } from './png-encoder.js';
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
  /** Gives up on a chart whose drawing failed (stops work started for it). */
  discard(): Promise<void>;
}

/**
 * The last PNG chart's canvas, kept for the next chart of the same size (making one costs about as
 * much as drawing a chart's text): it is given back once its pixels are read, and a chart takes it
 * or, if there is none, makes its own. A canvas keeps its default state saved, so restoring gives a
 * kept one back its default state; its pixels are not cleared (~0.2 ms) when the chart's opaque
 * background will cover them anyway.
 */
let spare: { width: number; height: number; ctx: SkiaContext } | undefined;

function takeCanvas(createCanvas: CanvasModule['createCanvas'], width: number, height: number, opaqueBackground: boolean): SkiaContext {
  const kept = spare;
  if (kept?.width !== width || kept.height !== height) {
    const made = createCanvas(width, height).getContext('2d');
    made.save();
    return made;
  }
  spare = undefined;
  const ctx = kept.ctx;
  ctx.restore();
  ctx.save();
  ctx.beginPath(); // (restore() keeps the current path)
  if (!opaqueBackground) ctx.clearRect(0, 0, width, height);
  return ctx;
}

/** A surface for one chart; `opaqueBackground`: the chart's first paint is an opaque fill of the whole image. */
export async function createSurface(width: number, height: number, format: ChartFormat, opaqueBackground: boolean): Promise<ChartSurface> {
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
    return { ctx, finish, discard: async () => {} };
  }
  if (format === 'svg') {
    const canvas = createCanvas(width, height, SvgExportFlag.ConvertTextToPaths);
    return { ctx: drawingContext(canvas.getContext('2d')), finish: async () => canvas.getContent(), discard: async () => {} };
  }
  const native = takeCanvas(createCanvas, width, height, opaqueBackground);
  const lastLines: Array<{ lines: readonly Polyline[]; style: LineStyle }> = [];
  // The lines' coverage is worked out (partly on a worker thread) from when the chart has laid
  // them all out, while it draws the rest and Skia's pixels are read back.
  let covering: ParallelCoverage | undefined;
  const startLines = (): ParallelCoverage => (covering ??= coverInParallel(width, height, lastLines));
  const strokeLinesLast = (lines: readonly Polyline[], style: LineStyle): void => {
    if (covering) throw new Error('a line was handed to the canvas surface after linesComplete()');
    lastLines.push({ lines, style });
  };
  const ctx = Object.assign(drawingContext(native), { strokeLinesLast, linesComplete: startLines });
  const finish = async (): Promise<Buffer> => {
    const lines = startLines();
    let pixels: Uint8ClampedArray;
    try {
      pixels = native.getImageData(0, 0, width, height).data;
    } catch (error) {
      await lines.join(() => {});
      throw error;
    }
    spare = { width, height, ctx: native };
    await lines.join((i, coverage) => compositeCoverage(pixels, coverage, lastLines[i].style.color));
    return encodePng(pixels, width, height);
  };
  return { ctx, finish, discard: async () => covering?.join(() => {}) };
}
