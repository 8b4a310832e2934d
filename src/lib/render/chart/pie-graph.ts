/**
 * graphite-web's pie chart (render/glyph.py PieGraph, graphType=pie): one slice per series,
 * reduced to one number by pieMode (average, maximum, minimum), with a legend and value labels
 * (percent, number or none).
 */
import { formatFixed } from '../../python/py-format.js';
import { safeAvg, safeMax, safeMin } from '../functions/aggregators.js';
import type { TimeSeries, Value } from '../time-series.js';
import { Graph, bool, num } from './graph-base.js';

const PIE_FUNCTIONS: Record<string, (values: readonly Value[]) => Value> = { average: safeAvg, maximum: safeMax, minimum: safeMin };

export class PieGraph extends Graph {
  draw(seriesList: readonly TimeSeries[]): undefined {
    this.background();
    const reduce = PIE_FUNCTIONS[String(this.options.pieMode ?? 'average').toLowerCase()] ?? safeAvg;
    // Only positive, finite values make slices (a negative "share" has no angle).
    const slicesData = seriesList.map((s) => ({ name: s.name, value: reduce(s.points()) ?? 0 })).filter((s) => Number.isFinite(s.value) && s.value > 0);
    const total = slicesData.reduce((sum, s) => sum + s.value, 0);
    if (!slicesData.length || total === 0) {
      this.noData();
      return undefined;
    }
    const alpha = num(this.options.areaAlpha, 1);
    const palette = String(this.options.colorList ?? this.template.lineColors.join(',')).split(',');
    const slices = slicesData.map((s, i) => ({ ...s, percent: Math.min(1, s.value / total), color: palette[i % palette.length].trim(), mid: 0 }));
    this.setFont(this.fontSize + Math.floor(Math.log(this.fontSize)));
    this.ctx.fillStyle = this.color(this.foreground);
    if (this.options.title) this.drawTitle(String(this.options.title), 'left');
    this.setFont();
    if (!bool(this.options.hideLegend)) this.drawLegend(slices.map((s) => ({ name: s.name, color: s.color, right: false })), false);
    const halfX = (this.area.xmax - this.area.xmin) / 2;
    const halfY = (this.area.ymax - this.area.ymin) / 2;
    const x0 = this.area.xmin + halfX;
    const y0 = this.area.ymin + halfY;
    const radius = Math.min(halfX, halfY) * 0.95;
    let theta = (3 * Math.PI) / 2;
    for (const slice of slices) {
      const phi = theta + 2 * Math.PI * slice.percent;
      this.ctx.fillStyle = this.color(slice.color, alpha);
      this.ctx.beginPath();
      this.ctx.moveTo(x0, y0);
      const steps = Math.max(2, Math.ceil((phi - theta) * 32));
      for (let k = 0; k <= steps; k++) {
        const angle = theta + ((phi - theta) * k) / steps;
        this.ctx.lineTo(x0 + radius * Math.cos(angle), y0 + radius * Math.sin(angle));
      }
      this.ctx.closePath();
      this.ctx.fill();
      slice.mid = ((theta + phi) / 2) % (2 * Math.PI);
      theta = phi;
    }
    const mode = String(this.options.valueLabels ?? 'percent').toLowerCase();
    if (mode === 'none') return undefined;
    const min = num(this.options.valueLabelsMin, 5);
    this.ctx.fillStyle = this.color(String(this.options.valueLabelsColor ?? 'black'));
    for (const slice of slices) {
      let label: string;
      if (mode === 'percent') {
        if (slice.percent * 100 < min) continue;
        label = `%${formatFixed(slice.percent * 100, 2)}`;
      } else {
        if (slice.value < min) continue;
        label = slice.value < 10 && !Number.isInteger(slice.value) ? formatFixed(slice.value, 2) : String(Math.trunc(slice.value));
      }
      let angle = slice.mid;
      const x = x0 + (radius / 2) * Math.cos(angle);
      const y = y0 + (radius / 2) * Math.sin(angle);
      if (String(this.options.pieLabels ?? 'horizontal') === 'rotated') {
        if (angle > Math.PI / 2 && angle <= (3 * Math.PI) / 2) angle -= Math.PI;
        this.text(label, x, y, 'center', 'middle', (angle * 180) / Math.PI);
      } else this.text(label, x, y, 'center', 'middle');
    }
    return undefined;
  }
}
