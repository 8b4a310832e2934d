/**
 * Helpers shared by the render functions, following graphite-web's render/functions.py:
 * normalize (common step and range), path-expression naming, node/tag keys, xFilesFactor checks,
 * Python number spelling in names and tags.
 */
import { formatGeneral, formatFixed, reprFloat } from '../../python/py-format.js';
import { parseTarget } from '../grammar/parse-target.js';
import type { Arg, CallNode, ExpressionNode, PathNode, TemplateNode } from '../grammar/target-ast.js';
import { GphError } from '../../errors.js';
import { EmptyResult } from '../evaluator-errors.js';
import { TimeSeries, type Value } from '../time-series.js';

export function gcd(a: number, b: number): number {
  return b === 0 ? a : gcd(b, a % b);
}

export function lcm(a: number, b: number): number {
  if (a === b) return a;
  if (a < b) [a, b] = [b, a];
  return (Math.floor(a / gcd(a, b)) * b);
}

export interface Normalized {
  seriesList: TimeSeries[];
  start: number;
  end: number;
  step: number;
}

/** normalize(): consolidates every series to the least common step; range covers them all. Throws EmptyResult when empty. */
export function normalize(seriesLists: readonly (readonly TimeSeries[])[]): Normalized {
  const seriesList = seriesLists.flat();
  if (seriesList.length === 0) throw new EmptyResult();
  const step = seriesList.map((s) => s.step).reduce(lcm);
  for (const s of seriesList) s.consolidate(Math.floor(step / s.step));
  const start = Math.min(...seriesList.map((s) => s.start));
  let end = Math.max(...seriesList.map((s) => s.end));
  end -= (end - start) % step;
  return { seriesList, start, end, step };
}

/**
 * izip_longest over the (consolidated) series mapped row by row: `fn` sees each row by position
 * (short series padded with null). The row array is reused between calls, so `fn` must not keep it.
 */
export function mapRows<T>(seriesList: readonly TimeSeries[], fn: (row: Value[], index: number) => T): T[] {
  const columns = seriesList.map((s) => s.points());
  let length = 0;
  for (const c of columns) if (c.length > length) length = c.length;
  const row: Value[] = new Array<Value>(columns.length);
  const out = new Array<T>(length);
  for (let i = 0; i < length; i++) {
    for (let k = 0; k < columns.length; k++) {
      const column = columns[k];
      row[k] = i < column.length ? column[i] : null;
    }
    out[i] = fn(row, i);
  }
  return out;
}


/** Distinct path expressions joined by commas, in order of appearance. */
export function formatPathExpressions(seriesList: readonly TimeSeries[]): string {
  const seen: string[] = [];
  for (const s of seriesList) if (!seen.includes(s.pathExpression)) seen.push(s.pathExpression);
  return seen.join(',');
}

export function xff(nonNull: number, total: number, xFilesFactor: number | undefined): boolean {
  if (!nonNull || !total) return false;
  return nonNull / total >= (xFilesFactor ?? 0);
}

export function xffValues(values: readonly Value[], xFilesFactor: number | undefined): boolean {
  if (values.length === 0) return false;
  let n = 0;
  for (const v of values) if (v !== null) n++;
  return xff(n, values.length, xFilesFactor);
}

/** The first plain path inside a function-wrapped name ("scale(a.b,2)" -> "a.b"). */
export function firstPathExpression(name: string): string | undefined {
  let node: Arg | TemplateNode | CallNode | PathNode | null = parseTarget(name).expression;
  while (node) {
    if (node.kind === 'path') return node.text;
    if (node.kind === 'expression') node = (node as ExpressionNode).head;
    else if (node.kind === 'call') node = node.args[0] ?? null;
    else if (node.kind === 'template') node = node.inner;
    else return undefined;
  }
  return undefined;
}

/** getNodeOrTag: an integer picks a dot-node (negative from the end), anything else a tag value. */
export function getNodeOrTag(series: TimeSeries, n: number | string, pathExpression?: string): string {
  if (typeof n === 'number' && Number.isInteger(n)) {
    const nodes = (pathExpression ?? series.name).split(';')[0].split('.');
    const index = n < 0 ? nodes.length + n : n;
    if (index >= 0 && index < nodes.length) return nodes[index];
  }
  return series.tags[String(n)] ?? '';
}

export function aggKey(series: TimeSeries, nodes: ReadonlyArray<number | string>, pathExpression?: string): string {
  let expr = pathExpression;
  if (expr === undefined && series.name.endsWith(')')) expr = firstPathExpression(series.name);
  return nodes.map((n) => getNodeOrTag(series, n, expr)).join('.');
}

/** The most points one generated or re-bucketed series may have (a 1 s step over 2 months). */
export const MAX_GENERATED_POINTS = 5_000_000;

/** A step or interval that must be positive and not produce more than MAX_GENERATED_POINTS over `span` seconds. */
export function checkStep(func: string, what: string, step: number, span: number): void {
  if (!(step > 0)) throw new GphError('RENDER_BAD_ARGUMENT', `${func}(): ${what} must be positive, not ${step}`, { hint: `Give a ${what} above 0` });
  if (span / step > MAX_GENERATED_POINTS) {
    throw new GphError('RENDER_BAD_ARGUMENT', `${func}(): a ${what} of ${step} s over ${Math.round(span)} s makes more than ${MAX_GENERATED_POINTS} points`, { hint: `Give a larger ${what} or a shorter range` });
  }
}

/** Python str() of a float. */
export const pyFloatStr = reprFloat;
/** Python "%g". */
export const pyG = (value: number): string => formatGeneral(value);
/** Python "%d" of a number (truncates toward zero). */
export const pyD = (value: number): string => (Number.isFinite(value) ? String(Math.trunc(value)) : 'inf');

/** Python round(value, digits): correctly rounded, halves to even. */
export function pyRound(value: number, digits = 0): number {
  if (!Number.isFinite(value)) return value;
  if (digits >= 0) return Number(formatFixed(value, digits));
  const factor = 10 ** -digits;
  return Number(formatFixed(value / factor, 0)) * factor;
}

/** Python str() for tag values: floats keep ".0", ints do not, strings as they are. */
export function tagText(value: unknown, isFloat = false): string {
  if (typeof value === 'number') return isFloat || !Number.isInteger(value) ? reprFloat(value) : String(value);
  if (value === null || value === undefined) return 'None';
  if (typeof value === 'boolean') return value ? 'True' : 'False';
  return String(value);
}

/** Python's `'%s' % value` for names: like tagText, with floats from float params always as floats. */
export const nameText = tagText;

/** Python regex syntax (re.sub replacement "\1") to JavaScript. */
export function pyReplacement(replace: string): string {
  return replace
    .replace(/\$/g, '$$$$')
    .replace(/\\g<(\d+)>/g, '$$$1')
    .replace(/\\g<(\w+)>/g, '$$<$1>')
    .replace(/\\(\d+)/g, '$$$1');
}

/** A Python regular expression as a JavaScript one: named groups, and leading inline flags such as (?i). */
export function pyRegExp(pattern: string, flags = ''): RegExp {
  let translated = pattern.replace(/\(\?P<(\w+)>/g, '(?<$1>').replace(/\(\?P=(\w+)\)/g, '\\k<$1>');
  const inline = /^\(\?([aiLmsux]+)\)/.exec(translated);
  if (inline) {
    translated = translated.slice(inline[0].length);
    for (const f of inline[1]) if ('ims'.includes(f) && !flags.includes(f)) flags += f;
  }
  try {
    return new RegExp(translated, flags);
  } catch (error) {
    throw new GphError('RENDER_BAD_ARGUMENT', `Invalid regular expression "${pattern}": ${(error as Error).message}`, { hint: 'Check the pattern (Python re syntax)' });
  }
}
