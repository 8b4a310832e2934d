/**
 * graphite-web's line chart (render/glyph.py LineGraph) on a DrawingContext: title, vertical
 * titles, legend, one or two y axes with graphite's tick choice, time axis, grid, and the series
 * drawn with lineMode, areaMode, stacking, areaAlpha, drawNullAsZero and the per-series hints set
 * by graph functions (color, lineWidth, dashed, alpha, secondYAxis, drawAsInfinite, invisible).
 */
import type { TimeSeries, Value } from '../time-series.js';
import { AxisTics } from './axis-tics.js';
import { type Rgba, cssColor, parseColor } from './colors.js';
import type { DrawingContext } from './drawing-context.js';
import type { GraphOptions } from './graph-options.js';
import type { ChartTemplate } from './chart-template.js';
import { type Area, Graph, bool, num } from './graph-base.js';
import { chooseXAxis, formatXLabel, xTimes, type XAxisConfig } from './x-axis.js';

interface YAxis {
  tics: AxisTics;
  labelValues: number[];
  labels: string[];
  labelWidth: number;
}

interface DrawSeries {
  series: TimeSeries;
  values: Value[];
  color: string;
  xStep: number;
  /** The values per drawn point `values` were consolidated with (the layout may ask again). */
  perPixel?: number;
  /** The smallest and largest finite value of `values` ([Infinity, -Infinity] if none), once asked for. */
  finiteRange?: [number, number];
}

function finiteRange(values: readonly Value[]): [number, number] {
  let min = Infinity;
  let max = -Infinity;
  for (const v of values) {
    if (v === null || !Number.isFinite(v)) continue;
    if (v < min) min = v;
    if (v > max) max = v;
  }
  return [min, max];
}

export interface ChartMetadata {
  area: Area;
  startTime: number;
  endTime: number;
  lineWidth: number;
  y?: { top: number; bottom: number; step: number; labels: string[]; labelValues: number[] };
  series: Array<{ name: string; start: number; end: number; step: number; valuesPerPoint: number; color: string; data: Value[]; options: Record<string, unknown> }>;
}

const LEGEND_MAX_ITEMS = 10;

export class LineGraph extends Graph {
  private readonly lineWidth: number;
  private lineMode: string;
  private readonly areaMode: string;
  private readonly logBase: number | null;
  private readonly unitSystem: string;
  private secondYAxis: boolean;
  private left?: YAxis;
  private right?: YAxis;
  private startTime = 0;
  private endTime = 0;
  private graphWidth = 1;
  private data: DrawSeries[] = [];

  constructor(
    ctx: DrawingContext,
    width: number,
    height: number,
    options: GraphOptions,
    template: ChartTemplate,
    private readonly tz: string,
  ) {
    super(ctx, width, height, options, template);
    this.lineWidth = num(options.lineWidth ?? options.thickness, 1.2);
    this.lineMode = String(options.lineMode ?? 'slope').toLowerCase();
    this.areaMode = String(options.areaMode ?? 'none').toLowerCase();
    this.logBase = options.logBase === 'e' ? Math.E : typeof options.logBase === 'number' ? options.logBase : null;
    const unit = String(options.yUnitSystem ?? 'si').toLowerCase();
    this.unitSystem = ['si', 'binary', 'sec', 'msec', 'none'].includes(unit) ? unit : 'si';
    this.secondYAxis = false;
  }

  /** Draws the chart; returns what the SVG metadata describes. */
  draw(seriesList: readonly TimeSeries[]): ChartMetadata | undefined {
    const ctx = this.ctx;
    this.background();
    const withData = seriesList.filter((s) => s.length > 0);
    const startTime = Math.min(...withData.map((s) => s.start));
    const endTime = Math.max(...withData.map((s) => s.end));
    if (!withData.length || !(endTime - startTime)) {
      this.noData();
      return undefined;
    }
    const opts = this.options;
    const graphOnly = bool(opts.graphOnly);
    if (graphOnly) this.area = { xmin: 0, xmax: this.width, ymin: 0, ymax: this.height };
    const hideLegendOpt = graphOnly ? true : opts.hideLegend;
    const hideAxes = graphOnly || bool(opts.hideAxes);
    const hideGrid = graphOnly || bool(opts.hideGrid);
    const right = seriesList.filter((s) => s.options.secondYAxis);
    this.secondYAxis = right.length > 0;
    const yAxisSide = this.secondYAxis ? 'left' : String(opts.yAxisSide ?? 'left');
    if (this.lineMode === 'slope' && seriesList.some((s) => s.length === 1)) this.lineMode = 'staircase';
    const palette = String(opts.colorList ?? this.template.lineColors.join(','))
      .split(',')
      .map((c) => c.trim());
    let next = 0;
    this.data = seriesList.map((series) => {
      if (this.secondYAxis) {
        const side = series.options.secondYAxis ? 'right' : 'left';
        if (opts[`${side}Width`] !== undefined) series.options.lineWidth = opts[`${side}Width`];
        if (opts[`${side}Dashed`] !== undefined) series.options.dashed = opts[`${side}Dashed`];
        if (opts[`${side}Color`] !== undefined) series.color = String(opts[`${side}Color`]);
      }
      const color = series.color ?? palette[next++ % palette.length];
      series.color = color;
      // Values come with the layout's consolidation (consolidate() below).
      return { series, values: [], color, xStep: 1 };
    });
    // Title and vertical titles
    this.setFont(this.fontSize + Math.floor(Math.log(this.fontSize)));
    ctx.fillStyle = this.color(this.foreground);
    if (!graphOnly && opts.title) this.drawTitle(String(opts.title), yAxisSide);
    if (!graphOnly && opts.vtitle) this.drawVTitle(String(opts.vtitle), false);
    if (!graphOnly && this.secondYAxis && opts.vtitleRight) this.drawVTitle(String(opts.vtitleRight), true);
    this.setFont();
    const maxItems = num(opts.legendMaxItems, LEGEND_MAX_ITEMS);
    const hideLegend = hideLegendOpt === undefined ? seriesList.length > maxItems : bool(hideLegendOpt);
    if (!hideLegend) {
      const elements = this.data
        .filter((d) => d.series.name && !(bool(opts.hideNullFromLegend) && d.series.points().every((v) => v === null)))
        .map((d) => ({ name: d.series.name, color: d.color, right: Boolean(d.series.options.secondYAxis) }));
      if (elements.length) this.drawLegend(elements, bool(opts.uniqueLegend));
    }
    if (!hideAxes && !bool(opts.hideXAxis)) this.area.ymax -= this.extents().ascent * 2;
    this.startTime = startTime;
    this.endTime = this.lineMode === 'staircase' ? endTime : Math.max(...withData.map((s) => s.end - s.step));
    if (this.endTime <= this.startTime) this.endTime = this.startTime + 1;
    this.consolidate();
    let before = [this.area.xmin, this.area.xmax];
    this.setupYAxes(hideAxes, yAxisSide);
    for (let i = 0; i < 10 && (before[0] !== this.area.xmin || before[1] !== this.area.xmax); i++) {
      before = [this.area.xmin, this.area.xmax];
      this.consolidate();
      this.setupYAxes(hideAxes, yAxisSide);
    }
    const xConf = chooseXAxis(this.endTime - this.startTime, this.graphWidth);
    // Lines that go to the surface's own rasteriser are composited over everything anyway: laid
    // out first, their strokes start (on a worker thread) while the labels and grid are drawn.
    const linesFirst = this.allLinesLast();
    if (linesFirst) this.drawLines();
    if (!hideAxes) {
      this.drawLabels(xConf, yAxisSide);
      if (!hideGrid) this.drawGrid(xConf);
    }
    if (!linesFirst) this.drawLines();
    const axis = this.left!;
    return {
      area: { ...this.area },
      startTime: this.startTime,
      endTime: this.endTime,
      lineWidth: this.lineWidth,
      y: this.secondYAxis ? undefined : { top: axis.tics.top, bottom: axis.tics.bottom, step: axis.tics.step, labels: axis.labels, labelValues: axis.labelValues },
      series: this.data
        .filter((d) => !d.series.options.stacked)
        .map((d) => ({ name: d.series.name, start: d.series.start, end: d.series.end, step: d.series.step, valuesPerPoint: d.series.valuesPerPoint, color: d.color, data: d.values, options: d.series.options })),
    };
  }

  private drawVTitle(text: string, rightAlign: boolean): void {
    const lineHeight = this.extents().height;
    const y = this.height / 2;
    if (rightAlign) {
      let x = this.area.xmax - lineHeight;
      for (const line of text.split('\n')) {
        this.text(line, x, y, 'center', 'baseline', 90);
        x -= lineHeight;
      }
      this.area.xmax = x - this.margin - lineHeight;
    } else {
      let x = this.area.xmin + lineHeight;
      for (const line of text.split('\n')) {
        this.text(line, x, y, 'center', 'baseline', 270);
        x += lineHeight;
      }
      this.area.xmin = x + this.margin + lineHeight;
    }
  }

  private consolidate(): void {
    const timeRange = this.endTime - this.startTime;
    this.graphWidth = Math.max(1, this.area.xmax - this.area.xmin - (this.lineWidth + 1));
    const minXStep = num(this.options.minXStep, 1);
    for (const d of this.data) {
      const points = timeRange / d.series.step;
      const bestXStep = this.graphWidth / points;
      const perPixel = bestXStep < minXStep ? Math.ceil(points / Math.max(1, Math.trunc(this.graphWidth / minXStep))) : 1;
      if (perPixel !== d.perPixel) {
        d.series.consolidate(perPixel);
        d.values = d.series.points().slice();
        d.perPixel = perPixel;
        d.finiteRange = undefined;
      }
      d.xStep = perPixel > 1 ? (this.graphWidth * perPixel) / points : bestXStep;
    }
  }

  private limits(list: DrawSeries[]): [number, number] {
    const drawNullAsZero = bool(this.options.drawNullAsZero);
    const finite = list.filter((d) => !d.series.options.drawAsInfinite);
    let min = Infinity;
    let max = -Infinity;
    for (const d of finite) {
      const [low, high] = (d.finiteRange ??= finiteRange(d.values));
      if (low < min) min = low;
      if (high > max) max = high;
    }
    if (min === Infinity) return [0, 1];
    const missing = drawNullAsZero && list.some((d) => d.values.includes(null));
    if (min > 0 && drawNullAsZero && missing) min = 0;
    if (this.areaMode === 'stacked') {
      const length = finite.reduce((n, d) => Math.min(n, d.values.length), Infinity);
      max = -Infinity;
      for (let i = 0; i < length; i++) {
        let sum = 0;
        for (const d of finite) {
          const v = d.values[i];
          if (v !== null && Number.isFinite(v)) sum += v;
        }
        if (sum > max) max = sum;
      }
    }
    if (max < 0 && drawNullAsZero && missing) max = 0;
    return [min, max];
  }

  private makeAxis(list: DrawSeries[], suffix: '' | 'Left' | 'Right', hideAxes: boolean): YAxis {
    const [min, max] = this.limits(list);
    const o = this.options as Record<string, unknown>;
    const tics = new AxisTics(min, max, this.unitSystem, this.logBase);
    const yMin = o[`yMin${suffix}`] ?? (suffix ? undefined : o.min);
    const yMax = o[`yMax${suffix}`] ?? (suffix ? undefined : o.max);
    tics.applySettings(typeof yMin === 'number' ? yMin : undefined, yMax === 'max' ? 'max' : typeof yMax === 'number' ? yMax : undefined, typeof o[`yLimit${suffix}`] === 'number' ? (o[`yLimit${suffix}`] as number) : undefined);
    const step = o[`yStep${suffix}`];
    if (typeof step === 'number') tics.setStep(step);
    else {
      const divisors = String(o.yDivisors ?? '4,5,6')
        .split(',')
        .map(Number);
      tics.chooseStep(divisors, this.unitSystem === 'binary');
    }
    tics.chooseLimits();
    const labelValues = hideAxes ? [] : tics.labelValues();
    const labels = labelValues.map((v) => tics.makeLabel(v));
    let labelWidth = 0;
    for (const label of labels) labelWidth = Math.max(labelWidth, this.extents(label).width);
    return { tics, labelValues, labels, labelWidth };
  }

  private setupYAxes(hideAxes: boolean, yAxisSide: string): void {
    if (this.secondYAxis) {
      this.left = this.makeAxis(
        this.data.filter((d) => !d.series.options.secondYAxis),
        'Left',
        false,
      );
      this.right = this.makeAxis(
        this.data.filter((d) => d.series.options.secondYAxis),
        'Right',
        false,
      );
      this.area.xmin = Math.max(this.area.xmin, this.margin + this.left.labelWidth * 1.02);
      this.area.xmax = Math.min(this.area.xmax, this.width - this.right.labelWidth * 1.02);
      return;
    }
    this.left = this.makeAxis(this.data, '', hideAxes);
    if (hideAxes || bool(this.options.hideYAxis)) return;
    if (yAxisSide === 'left') this.area.xmin = Math.max(this.area.xmin, this.margin + this.left.labelWidth * 1.02);
    else this.area.xmax = Math.min(this.area.xmax, this.width - this.margin - this.left.labelWidth * 1.02);
  }

  private yCoord(value: number, axis: YAxis): number | null {
    return this.yMapping(axis).map(value);
  }

  /** yCoord for one axis, its bounds and scale worked out once (drawLines maps every point of every series). */
  private yMapping(axis: YAxis): YMapping {
    let highest = -Infinity;
    let lowest = Infinity;
    const labels = axis.labelValues;
    for (const v of labels.length ? labels : [axis.tics.bottom, axis.tics.top]) {
      if (v > highest) highest = v;
      if (v < lowest) lowest = v;
    }
    return new YMapping(this.area.ymax, this.area.ymax - this.area.ymin, lowest, highest, this.logBase);
  }

  private drawLabels(xConf: XAxisConfig, yAxisSide: string): void {
    const ctx = this.ctx;
    ctx.fillStyle = this.color(this.foreground);
    if (!bool(this.options.hideYAxis)) {
      const drawAxis = (axis: YAxis, side: 'left' | 'right', extra: number): void => {
        axis.labelValues.forEach((value, i) => {
          let y = this.yCoord(value, axis);
          if (y === null) return;
          if (y < 0) y = 0;
          if (side === 'left') this.text(axis.labels[i], this.area.xmin - axis.labelWidth * 0.02, y, 'right', 'middle');
          else this.text(axis.labels[i], this.area.xmax + axis.labelWidth * 0.02 + extra, y, 'left', 'middle');
        });
      };
      if (this.secondYAxis) {
        drawAxis(this.left!, 'left', 0);
        drawAxis(this.right!, 'right', 3);
      } else drawAxis(this.left!, yAxisSide === 'left' ? 'left' : 'right', 0);
    }
    if (!bool(this.options.hideXAxis)) {
      const format = this.options.xFormat === undefined ? xConf.format : String(this.options.xFormat);
      const scale = this.graphWidth / (this.endTime - this.startTime);
      for (const t of xTimes(this.startTime, this.endTime, xConf.labelUnit, xConf.labelStep, this.tz)) {
        this.text(formatXLabel(t, format, this.tz), this.area.xmin + (t - this.startTime) * scale, this.area.ymax + this.extents().ascent, 'center', 'top');
      }
    }
  }

  /**
   * Grid lines are cairo's butt-capped strokes, i.e. exact rectangles: filled as rectangles they
   * get the same area coverage (one pixel row for a line inside it, as graphite-web's), and Skia
   * draws them several times faster than strokes thinner than a pixel (which it spreads as hairlines).
   */
  private gridLine(x: number, y: number, width: number, height: number, color: string): void {
    this.ctx.fillStyle = color;
    this.ctx.fillRect(x, y, width, height);
  }

  private hline(y: number, width: number, color: string): void {
    this.gridLine(this.area.xmin, y - width / 2, this.area.xmax - this.area.xmin, width, color);
  }

  private vline(x: number, width: number, color: string): void {
    this.gridLine(x - width / 2, this.area.ymin, width, this.area.ymax - this.area.ymin, color);
  }

  /** drawAsInfinite's line at x: a stroke in the series' style (width, dashes). */
  private infiniteLine(x: number, color: string): void {
    const ctx = this.ctx;
    ctx.strokeStyle = color;
    ctx.beginPath();
    ctx.moveTo(x, this.area.ymax);
    ctx.lineTo(x, this.area.ymin);
    ctx.stroke();
  }

  private drawGrid(xConf: XAxisConfig): void {
    const major = this.color(String(this.options.majorGridLineColor ?? this.template.majorLine));
    const minor = this.color(String(this.options.minorGridLineColor ?? this.template.minorLine));
    const axis = this.left!;
    const labels = axis.labelValues;
    const minorY = Math.trunc(num(this.options.minorY, 1));
    labels.forEach((value, i) => {
      const y = this.yCoord(value, axis);
      if (y === null || y < 0) return;
      this.hline(y, 0.4, major);
      if (minorY >= 1 && i < labels.length - 1) {
        const [lower, upper] = [value, labels[i + 1]].sort((a, b) => a - b);
        const distance = (upper - lower) / (1 + minorY);
        const topFactor = this.logBase !== null ? this.logBase * this.logBase : 1;
        for (let m = 0; m < minorY; m++) {
          const v = lower + (1 + m) * distance;
          if (v >= topFactor * axis.tics.top) continue;
          const my = this.yCoord(v, axis);
          if (my !== null && my >= 0) this.hline(my, 0.3, minor);
        }
      }
    });
    const scale = this.graphWidth / (this.endTime - this.startTime);
    for (const t of xTimes(this.startTime, this.endTime, xConf.minorGridUnit, xConf.minorGridStep, this.tz)) {
      const x = this.area.xmin + (t - this.startTime) * scale;
      if (x < this.area.xmax) this.vline(x, 0.25, minor);
    }
    for (const t of xTimes(this.startTime, this.endTime, xConf.majorGridUnit, xConf.majorGridStep, this.tz)) {
      const x = this.area.xmin + (t - this.startTime) * scale;
      if (x < this.area.xmax) this.vline(x, 0.33, major);
    }
    this.vline(this.area.xmax, 0.5, major);
    this.vline(this.area.xmin, 0.5, major);
  }

  /** Whether every series is a plain line the surface strokes last (what drawLines decides, known before it runs). */
  private allLinesLast(): boolean {
    return this.ctx.strokeLinesLast !== undefined && this.areaMode === 'none' && this.data.every(({ series: { options } }) => !options.stacked && !options.dashed && !options.drawAsInfinite);
  }

  private drawLines(): void {
    const ctx = this.ctx;
    const opts = this.options;
    let data = this.data;
    if (data.some((d) => d.series.options.stacked)) data = [...data.filter((d) => d.series.options.stacked), ...data.filter((d) => !d.series.options.stacked)];
    if (this.areaMode === 'stacked' && !this.secondYAxis) {
      const total: number[] = [];
      for (const d of data) {
        if (d.series.options.drawAsInfinite) continue;
        d.series.options.stacked = true;
        d.values = d.values.map((v, i) => {
          if (total.length <= i) total.push(0);
          if (v === null) return null;
          total[i] += v;
          return total[i];
        });
        d.finiteRange = undefined;
      }
    } else if (this.areaMode === 'first' && data.length) data[0].series.options.stacked = true;
    else if (this.areaMode === 'all') for (const d of data) if (!d.series.options.drawAsInfinite) d.series.options.stacked = true;
    const strokes: DrawSeries[] = [];
    if (opts.areaAlpha !== undefined) {
      const alpha = num(opts.areaAlpha, 0.5);
      for (const d of data) {
        if (!d.series.options.stacked) continue;
        d.series.options.alpha = alpha;
        const copy = { ...d, series: Object.assign(Object.create(Object.getPrototypeOf(d.series)), d.series, { options: { secondYAxis: d.series.options.secondYAxis } }) };
        strokes.push(copy);
      }
    }
    data = [...data, ...strokes];
    ctx.save();
    ctx.beginPath();
    ctx.rect(this.area.xmin, this.area.ymin, this.area.xmax - this.area.xmin, this.area.ymax - this.area.ymin);
    ctx.clip();
    ctx.save();
    let clipRestored = false;
    const drawNullAsZero = bool(opts.drawNullAsZero);
    // Plain solid lines, drawn last anyway, can go to the surface's own line rasteriser.
    const linesLast = ctx.strokeLinesLast !== undefined && data.every((d) => !d.series.options.stacked && !d.series.options.dashed && !d.series.options.drawAsInfinite);
    const connectedLimit = num(opts.connectedLimit, Infinity);
    for (const d of data) {
      const s = d.series;
      const stacked = Boolean(s.options.stacked);
      if (!stacked && !clipRestored) {
        clipRestored = true;
        ctx.restore();
      }
      const axis = this.secondYAxis ? (s.options.secondYAxis ? this.right! : this.left!) : this.left!;
      const toY = this.yMapping(axis);
      // cairo clamps a negative width to 0, and a stroke of width 0 draws nothing (the canvas
      // would instead ignore the value and keep its last width).
      const lineWidth = Math.max(0, num(s.options.lineWidth, this.lineWidth));
      if (lineWidth > 0) ctx.lineWidth = lineWidth;
      const dash = num(s.options.dashed, 5);
      ctx.setLineDash(s.options.dashed && dash > 0 && dash < 10_000 ? [dash] : []);
      ctx.lineCap = 'butt';
      ctx.lineJoin = 'miter';
      const color: Rgba = parseColor(d.color, s.options.invisible ? 0 : num(s.options.alpha, 1), Boolean(s.options.invisible));
      ctx.strokeStyle = cssColor(color);
      ctx.fillStyle = cssColor(color);
      const missing = (s.start - this.startTime) / s.step;
      let x = this.area.xmin + d.xStep * (missing / s.valuesPerPoint) + this.lineWidth / 2;
      let y = this.area.ymin;
      // Each segment a flat x, y, x, y, ... list.
      const segments: number[][] = [];
      let current: number[] | null = null;
      let nones = 0;
      // A plain loop, not forEach: x, y and the current segment stay in registers (a closure's
      // captured doubles are boxed on every write, thousands of times per chart).
      const values = d.values;
      for (let index = 0; index < values.length; index++) {
        const raw = values[index];
        let value: Value = raw !== null && Number.isNaN(raw) ? null : raw;
        if (value === null && drawNullAsZero) value = 0;
        if (value === null) {
          if (nones === 0 && current) current.push(x, y);
          if (nones === 0) current = null;
          x += d.xStep;
          nones++;
          continue;
        }
        const yc = toY.map(value);
        if (yc === null) {
          x += d.xStep;
          nones++;
          current = null;
          continue;
        }
        y = Math.max(0, yc);
        if (s.options.drawAsInfinite) {
          if (value > 0 && lineWidth > 0) this.infiniteLine(x, cssColor(color));
          x += d.xStep;
          continue;
        }
        const startNew = this.lineMode === 'connected' ? !current || nones > connectedLimit || nones === index : nones > 0 || !current;
        if (startNew) {
          current = [];
          segments.push(current);
        }
        current!.push(x, y);
        x += d.xStep;
        if (this.lineMode === 'staircase') current!.push(x, y);
        nones = 0;
      }
      if (s.options.drawAsInfinite) continue;
      if (stacked) this.fillAndClip(segments, axis);
      else if (linesLast) ctx.strokeLinesLast!(segments, { lineWidth, color, clip: { x0: this.area.xmin, y0: this.area.ymin, x1: this.area.xmax, y1: this.area.ymax } });
      else {
        let d = '';
        for (const seg of segments) {
          for (let i = 0; i < seg.length; i += 2) d += `${i === 0 ? 'M' : 'L'}${seg[i].toFixed(2)} ${seg[i + 1].toFixed(2)}`;
          if (seg.length === 2) d += `L${seg[0].toFixed(2)} ${seg[1].toFixed(2)}`;
        }
        if (d && lineWidth > 0) ctx.strokeSvgPath(d);
      }
    }
    if (!clipRestored) ctx.restore();
    ctx.restore();
    if (linesLast) ctx.linesComplete?.();
  }

  /** Fills each segment down to zero, then clips later drawing to the region above it (graphite's stacking). */
  private fillAndClip(segments: number[][], axis: YAxis): void {
    const ctx = this.ctx;
    const base = Math.min(this.area.ymax, Math.max(this.area.ymin, this.yCoord(0, axis) ?? this.area.ymax));
    ctx.beginPath();
    for (const seg of segments) {
      if (!seg.length) continue;
      ctx.moveTo(seg[0], base);
      for (let i = 0; i < seg.length; i += 2) ctx.lineTo(seg[i], seg[i + 1]);
      ctx.lineTo(seg[seg.length - 2], base);
      ctx.closePath();
    }
    ctx.fill();
    // Later (higher) stacked areas may only paint above this one.
    ctx.beginPath();
    let left = this.area.xmin;
    for (const seg of segments) {
      if (!seg.length) continue;
      ctx.rect(left, this.area.ymin, seg[0] - left, this.area.ymax - this.area.ymin);
      ctx.moveTo(seg[0], this.area.ymin);
      for (let i = 0; i < seg.length; i += 2) ctx.lineTo(seg[i], seg[i + 1]);
      ctx.lineTo(seg[seg.length - 2], this.area.ymin);
      ctx.closePath();
      left = seg[seg.length - 2];
    }
    ctx.rect(left, this.area.ymin, this.area.xmax - left, this.area.ymax - this.area.ymin);
    ctx.clip('evenodd');
  }
}

/** Values to pixel rows on a y axis spanning lowest..highest (on a log scale when logBase is set; null where a log is undefined). */
class YMapping {
  private readonly perUnit: number;
  private readonly low: number;
  private readonly logOfBase: number;

  constructor(
    private readonly ymax: number,
    pixels: number,
    lowest: number,
    highest: number,
    private readonly logBase: number | null,
  ) {
    this.logOfBase = logBase === null ? 1 : Math.log(logBase);
    this.low = logBase === null ? lowest : Math.log(lowest) / this.logOfBase;
    const range = logBase === null ? highest - lowest : Math.log(highest) / this.logOfBase - this.low;
    this.perUnit = pixels / (range || 1);
  }

  map(value: number): number | null {
    if (this.logBase === null) return this.ymax - this.perUnit * (value - this.low);
    if (value <= 0) return null;
    return this.ymax - this.perUnit * (Math.log(value) / this.logOfBase - this.low);
  }
}
