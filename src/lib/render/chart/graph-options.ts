/**
 * graphite-web's graph options (render/views.py parseOptions + render/glyph.py customizable):
 * names, value coercion (digits -> numbers unless the name holds "color", true/false -> booleans)
 * and validation with clear errors instead of a server error or an exhausted machine.
 */
import { GphError } from '../../errors.js';
import { parseColor } from './colors.js';

export const GRAPH_OPTION_NAMES = [
  'width', 'height', 'margin', 'bgcolor', 'fgcolor', 'fontName', 'fontSize', 'fontBold', 'fontItalic', 'colorList', 'template', 'yAxisSide',
  'title', 'vtitle', 'vtitleRight', 'lineMode', 'lineWidth', 'thickness', 'hideLegend', 'hideAxes', 'hideXAxis', 'hideYAxis', 'hideGrid', 'minXStep',
  'majorGridLineColor', 'minorGridLineColor', 'min', 'max', 'graphOnly', 'yMin', 'yMax', 'yLimit', 'yStep', 'areaMode', 'areaAlpha', 'drawNullAsZero',
  'tz', 'pieMode', 'yUnitSystem', 'logBase', 'yMinLeft', 'yMinRight', 'yMaxLeft', 'yMaxRight', 'yLimitLeft', 'yLimitRight', 'yStepLeft', 'yStepRight',
  'rightWidth', 'rightColor', 'rightDashed', 'leftWidth', 'leftColor', 'leftDashed', 'xFormat', 'minorY', 'uniqueLegend', 'yDivisors',
  'connectedLimit', 'hideNullFromLegend', 'graphType', 'valueLabels', 'valueLabelsMin', 'valueLabelsColor', 'pieLabels', 'legendMaxItems',
] as const;

export type GraphOptionValue = string | number | boolean;
export type GraphOptions = Partial<Record<(typeof GRAPH_OPTION_NAMES)[number], GraphOptionValue>>;

/** The largest width or height drawn (graphite has none; 100000 x 250 would allocate 100 MB). */
export const MAX_IMAGE_SIDE = 8000;
/** The largest image area drawn: 16 megapixels (a 4000 x 4000 chart). */
export const MAX_IMAGE_PIXELS = 16_000_000;

function optionError(message: string, hint: string): GphError {
  return new GphError('RENDER_BAD_OPTION', message, { hint });
}

/** parseOptions' coercion of one query value. */
export function coerceOption(name: string, raw: string): GraphOptionValue | undefined {
  const value = raw.trim();
  if (value === '' || value.toLowerCase() === 'default') return undefined;
  if (/^-?\d+$/.test(value) && !name.toLowerCase().includes('color')) return Number(value);
  if (/^-?\d+\.\d+$/.test(value) || /^-?\.\d+$/.test(value)) return Number(value);
  if (value.toLowerCase() === 'true') return true;
  if (value.toLowerCase() === 'false') return false;
  return value;
}

const CHOICES: Partial<Record<string, readonly string[]>> = {
  lineMode: ['slope', 'staircase', 'connected'],
  areaMode: ['none', 'first', 'all', 'stacked'],
  yAxisSide: ['left', 'right'],
  pieMode: ['average', 'maximum', 'minimum'],
  graphType: ['line', 'pie'],
  valueLabels: ['none', 'number', 'percent'],
  pieLabels: ['horizontal', 'rotated'],
};
const COLOR_OPTIONS = ['bgcolor', 'fgcolor', 'majorGridLineColor', 'minorGridLineColor', 'rightColor', 'leftColor', 'valueLabelsColor'];

/** Builds options from NAME=VALUE pairs (URL or CLI), checking every name and value. */
export function parseGraphOptions(pairs: Iterable<[string, string]>): GraphOptions {
  const options: GraphOptions = {};
  const known = new Set<string>(GRAPH_OPTION_NAMES);
  for (const [name, raw] of pairs) {
    if (!known.has(name)) throw optionError(`Unknown graph option "${name}"`, `Graph options are graphite-web's: ${GRAPH_OPTION_NAMES.join(', ')}`);
    const value = coerceOption(name, raw);
    if (value === undefined) continue;
    (options as Record<string, GraphOptionValue>)[name] = value;
  }
  validateGraphOptions(options);
  return options;
}

export function validateGraphOptions(options: GraphOptions): void {
  for (const side of ['width', 'height'] as const) {
    const v = options[side];
    if (v === undefined) continue;
    if (typeof v !== 'number' || !Number.isInteger(v) || v < 1) throw optionError(`Invalid ${side} ${JSON.stringify(v)}: give whole pixels`, `e.g. ${side}=800`);
    if (v > MAX_IMAGE_SIDE) throw optionError(`${side}=${v} is too large (at most ${MAX_IMAGE_SIDE} pixels)`, `Give ${side} of ${MAX_IMAGE_SIDE} or less`);
  }
  if (typeof options.width === 'number' && typeof options.height === 'number' && options.width * options.height > MAX_IMAGE_PIXELS) {
    throw optionError(`${options.width}x${options.height} is too large (at most ${MAX_IMAGE_PIXELS / 1e6} megapixels)`, 'Give a smaller width or height');
  }
  if (options.minorY !== undefined && !(typeof options.minorY === 'number' && Number.isInteger(options.minorY) && options.minorY >= 0 && options.minorY <= 100)) {
    throw optionError(`Invalid minorY "${options.minorY}"`, 'Give a whole number of minor lines from 0 to 100');
  }
  if (options.minXStep !== undefined && !(typeof options.minXStep === 'number' && options.minXStep > 0)) throw optionError(`Invalid minXStep "${options.minXStep}"`, 'Give a number of pixels above 0');
  if (options.yDivisors !== undefined) {
    const divisors = String(options.yDivisors).split(',');
    if (divisors.length > 10 || !divisors.every((d) => /^\d+$/.test(d.trim()) && Number(d) >= 1 && Number(d) <= 100)) {
      throw optionError(`Invalid yDivisors "${options.yDivisors}"`, 'Give up to 10 whole numbers from 1 to 100, e.g. 4,5,6');
    }
  }
  for (const name of ['lineWidth', 'thickness', 'margin'] as const) {
    const v = options[name];
    if (typeof v === 'number' && Math.abs(v) > 1000) throw optionError(`${name}=${v} is out of range`, `Give ${name} between -1000 and 1000`);
  }
  for (const [name, choices] of Object.entries(CHOICES)) {
    const v = (options as Record<string, GraphOptionValue>)[name];
    if (v !== undefined && !choices!.includes(String(v).toLowerCase())) throw optionError(`Invalid ${name} "${v}"`, `Use one of ${choices!.join(', ')}`);
  }
  for (const name of COLOR_OPTIONS) {
    const v = (options as Record<string, GraphOptionValue>)[name];
    if (v !== undefined) parseColor(String(v));
  }
  if (options.colorList !== undefined) for (const color of String(options.colorList).split(',')) parseColor(color.trim());
  const numeric = ['margin', 'fontSize', 'lineWidth', 'thickness', 'areaAlpha', 'minXStep', 'minorY', 'connectedLimit', 'valueLabelsMin', 'legendMaxItems', 'yStep', 'yStepLeft', 'yStepRight'];
  for (const name of numeric) {
    const v = (options as Record<string, GraphOptionValue>)[name];
    if (v !== undefined && (typeof v !== 'number' || !Number.isFinite(v))) throw optionError(`Invalid ${name} "${v}": not a number`, `Give ${name} as a number`);
  }
  if (options.fontSize !== undefined && ((options.fontSize as number) < 1 || (options.fontSize as number) > 200)) throw optionError(`fontSize=${options.fontSize} is out of range`, 'Give a font size from 1 to 200');
  for (const name of ['yStep', 'yStepLeft', 'yStepRight'] as const) {
    const v = options[name];
    if (v !== undefined && (v as number) <= 0) throw optionError(`${name}=${v} must be positive`, `Give ${name} above 0`);
  }
  if (options.logBase !== undefined && options.logBase !== 'e' && !(typeof options.logBase === 'number' && options.logBase > 1)) {
    throw optionError(`Invalid logBase "${options.logBase}"`, 'Give a number above 1, or e');
  }
  const yMin = options.yMin ?? options.min;
  const yMax = options.yMax ?? options.max;
  if (typeof yMin === 'number' && typeof yMax === 'number' && yMin >= yMax) throw optionError(`yMin (${yMin}) must be less than yMax (${yMax})`, 'Swap or correct yMin and yMax');
}
