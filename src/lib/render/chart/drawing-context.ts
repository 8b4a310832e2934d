/**
 * The drawing surface the chart code paints on: the subset of the HTML canvas 2D API it uses.
 * @napi-rs/canvas (Skia) implements it for PNG and SVG; tests may use any implementation.
 */
import type { LineStyle, Polyline } from './line-rasterizer.js';

export interface TextMetricsLike {
  width: number;
  fontBoundingBoxAscent?: number;
  fontBoundingBoxDescent?: number;
  actualBoundingBoxAscent: number;
  actualBoundingBoxDescent: number;
}

export interface DrawingContext {
  fillStyle: string | unknown;
  strokeStyle: string | unknown;
  lineWidth: number;
  lineCap: string;
  lineJoin: string;
  font: string;
  textBaseline: string;
  textAlign: string;
  save(): void;
  restore(): void;
  beginPath(): void;
  moveTo(x: number, y: number): void;
  lineTo(x: number, y: number): void;
  closePath(): void;
  rect(x: number, y: number, w: number, h: number): void;
  fill(rule?: 'nonzero' | 'evenodd'): void;
  stroke(): void;
  clip(rule?: 'nonzero' | 'evenodd'): void;
  fillRect(x: number, y: number, w: number, h: number): void;
  strokeRect(x: number, y: number, w: number, h: number): void;
  fillText(text: string, x: number, y: number): void;
  measureText(text: string): TextMetricsLike;
  translate(x: number, y: number): void;
  rotate(angle: number): void;
  setLineDash(segments: number[]): void;
  /** Strokes an SVG path ("M x y L x y ...") in one call: long series are one native call, not one per point. */
  strokeSvgPath(d: string): void;
  /**
   * Raster surfaces only: strokes solid polylines on top of everything drawn, when the image is
   * finished (gph's line rasteriser: much faster than the canvas's for long series).
   */
  strokeLinesLast?(lines: readonly Polyline[], style: LineStyle): void;
  /** Raster surfaces only: every series has been handed to strokeLinesLast (the strokes can be started). */
  linesComplete?(): void;
}
