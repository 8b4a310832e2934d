/**
 * What graphite-web's Graph base class does for every chart type (render/glyph.py Graph): colours,
 * fonts and text placement with cairo's alignment rules, the title and the legend.
 */
import { cssColor, parseColor } from './colors.js';
import type { DrawingContext } from './drawing-context.js';
import type { GraphOptions } from './graph-options.js';
import { type ChartTemplate, fontSpec } from './chart-template.js';

export interface Area {
  xmin: number;
  xmax: number;
  ymin: number;
  ymax: number;
}

export interface LegendElement {
  name: string;
  color: string;
  right: boolean;
}

export const num = (v: unknown, dflt: number): number => (typeof v === 'number' && Number.isFinite(v) ? v : dflt);
export const bool = (v: unknown): boolean => v === true || v === 'true' || v === 1;

type Extents = { width: number; ascent: number; descent: number; height: number };

/** Labels remembered per kind of context before the memo starts again (a long-running server draws many labels). */
const MAX_MEASURED = 10_000;
/** Measurements by the context's measureText implementation: every Skia context measures alike, a test's own context apart. */
const measuredByImplementation = new WeakMap<object, Map<string, Extents>>();

function measuredBy(ctx: DrawingContext): Map<string, Extents> {
  const implementation = ctx.measureText as unknown as object;
  let measured = measuredByImplementation.get(implementation);
  if (!measured) measuredByImplementation.set(implementation, (measured = new Map()));
  return measured;
}

/** The chart's background colour (bgcolor, or the template's). */
export function backgroundColor(options: GraphOptions, template: ChartTemplate): string {
  return String(options.bgcolor ?? template.background);
}

export abstract class Graph {
  area: Area;
  protected readonly margin: number;
  protected readonly fontSize: number;
  protected readonly foreground: string;

  constructor(
    protected readonly ctx: DrawingContext,
    protected readonly width: number,
    protected readonly height: number,
    protected readonly options: GraphOptions,
    protected readonly template: ChartTemplate,
  ) {
    this.margin = num(options.margin, 10) < 0 ? 10 : num(options.margin, 10);
    this.area = { xmin: this.margin + 10, xmax: width - this.margin, ymin: this.margin, ymax: height - this.margin };
    this.fontSize = num(options.fontSize, template.fontSize);
    this.foreground = String(options.fgcolor ?? template.foreground);
    this.measured = measuredBy(ctx);
  }

  /** Paints the background over the whole image (the first thing every chart paints). */
  protected background(): void {
    this.fillRect(0, 0, this.width, this.height, this.color(backgroundColor(this.options, this.template)));
  }

  protected noData(): void {
    this.ctx.fillStyle = this.color('red');
    this.setFont(Math.log(this.width * this.height));
    this.text('No Data', this.width / 2, this.height / 2, 'center');
  }

  protected color(value: string, alpha = 1, force = false): string {
    return cssColor(parseColor(value, alpha, force));
  }

  protected setFont(size = this.fontSize): void {
    const bold = bool(this.options.fontBold ?? this.template.fontBold);
    const italic = bool(this.options.fontItalic ?? this.template.fontItalic);
    this.ctx.font = fontSpec(size, bold, italic, String(this.options.fontName ?? this.template.fontName));
  }

  /** Text measured so far by this surface's kind of context, by font and text (charts measure the same labels again and again). */
  private readonly measured: Map<string, Extents>;

  protected extents(text = 'Xg'): Extents {
    const key = `${this.ctx.font}\0${text}`;
    const known = this.measured.get(key);
    if (known) return known;
    const m = this.ctx.measureText(text);
    const ascent = m.fontBoundingBoxAscent ?? m.actualBoundingBoxAscent;
    const descent = m.fontBoundingBoxDescent ?? m.actualBoundingBoxDescent;
    const extents = { width: m.width, ascent, descent, height: ascent + descent };
    if (this.measured.size >= MAX_MEASURED) this.measured.clear();
    this.measured.set(key, extents);
    return extents;
  }

  protected text(text: string, x: number, y: number, align: 'left' | 'center' | 'right' = 'left', valign: 'top' | 'middle' | 'bottom' | 'baseline' = 'top', rotate = 0): void {
    const e = this.extents(text);
    const horizontal = align === 'left' ? 0 : align === 'center' ? e.width / 2 : e.width;
    const vertical = valign === 'top' ? e.ascent : valign === 'middle' ? e.height / 2 - e.descent : valign === 'bottom' ? -e.descent : 0;
    this.ctx.textBaseline = 'alphabetic';
    this.ctx.textAlign = 'left';
    if (rotate === 0) {
      // Most labels: placed directly (the save, translate and restore around them were ~40 % of a label's cost).
      this.ctx.fillText(text, x - horizontal, y + vertical);
      return;
    }
    this.ctx.save();
    this.ctx.translate(x, y);
    this.ctx.rotate((rotate * Math.PI) / 180);
    this.ctx.fillText(text, -horizontal, vertical);
    this.ctx.restore();
  }

  protected fillRect(x: number, y: number, w: number, h: number, color: string): void {
    this.ctx.fillStyle = color;
    this.ctx.fillRect(x, y, w, h);
  }

  protected drawTitle(text: string, yAxisSide: string): void {
    let y = this.area.ymin;
    const lineHeight = this.extents().height;
    for (const line of text.split('\n')) {
      this.text(line, this.width / 2, y, 'center');
      y += lineHeight;
    }
    this.area.ymin = yAxisSide === 'right' ? y : y + this.margin;
  }

  protected drawLegend(elements: Array<{ name: string; color: string; right: boolean }>, unique: boolean): void {
    if (unique) {
      const seen = new Set<string>();
      elements = elements.filter((e) => (seen.has(e.name) ? false : (seen.add(e.name), true)));
    }
    const padding = 5;
    const longest = elements.map((e) => e.name).reduce((a, b) => (b.length >= a.length ? b : a), '');
    const e = this.extents(longest);
    const boxSize = e.height - 1;
    const lineHeight = e.height + 1;
    const labelWidth = e.width + 2 * (boxSize + padding);
    const columns = Math.max(1, Math.floor(this.width / labelWidth));
    const lines = Math.ceil(elements.length / columns);
    this.area.ymax -= lines * lineHeight + padding;
    let x = this.area.xmin;
    let y = this.area.ymax + 2 * padding;
    const box = (bx: number, color: string): void => {
      this.fillRect(bx, y, boxSize, boxSize, this.color(color));
      this.ctx.lineWidth = 1;
      this.ctx.strokeStyle = this.color('darkgrey');
      this.ctx.strokeRect(bx + 0.5, y + 0.5, boxSize - 0.5, boxSize - 0.5);
      this.ctx.fillStyle = this.color(this.foreground);
    };
    elements.forEach((element, i) => {
      if (element.right) {
        box(x + labelWidth + padding, element.color);
        this.text(element.name, x + labelWidth, y, 'right');
      } else {
        box(x, element.color);
        this.text(element.name, x + boxSize + padding, y, 'left');
      }
      x += labelWidth;
      if ((i + 1) % columns === 0) {
        x = this.area.xmin;
        y += lineHeight;
      }
    });
  }

}
