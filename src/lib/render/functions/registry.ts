/**
 * The render function table: name, group, parameters (graphite-web's Param list, in the notation
 * `name:type`, `name:type=default`, `[name:type]`, `*name:type`) and the implementation. The
 * groups and parameters are what graphite-web 1.1.8 registers, so `/functions` and
 * `--list-functions` describe the same library.
 */
import type { RequestContext } from '../request-context.js';

export const PARAM_TYPES = [
  'seriesList', 'seriesLists', 'series', 'integer', 'float', 'boolean', 'string', 'interval', 'intOrInterval', 'intOrInf',
  'node', 'nodeOrTag', 'tag', 'aggFunc', 'aggOrSeriesFunc', 'date', 'any',
] as const;
export type ParamType = (typeof PARAM_TYPES)[number];

export interface Param {
  name: string;
  type: ParamType;
  required: boolean;
  default?: unknown;
  multiple: boolean;
  options?: readonly string[];
}

export type Group = 'Combine' | 'Transform' | 'Calculate' | 'Filter Series' | 'Filter Data' | 'Sorting' | 'Alias' | 'Graph' | 'Special';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Impl = (ctx: RequestContext, ...args: any[]) => unknown;

export interface RenderFunction {
  name: string;
  group: Group;
  params: Param[];
  description: string;
  impl: Impl;
  /** Usable as the callback of groupByNode & co. */
  aggregator?: boolean;
  /** Named alias of another function (avg, sum, pct, ...). */
  aliasOf?: string;
}

const functions = new Map<string, RenderFunction>();

function parseDefault(text: string): unknown {
  if (text === 'true' || text === 'false') return text === 'true';
  if (text === 'inf') return Infinity;
  if (/^".*"$/.test(text)) return text.slice(1, -1);
  if (/^-?\d+(\.\d+)?$/.test(text)) return Number(text);
  return text;
}

/** Parses one parameter in the catalogue notation. */
export function parseParam(spec: string): Param {
  let text = spec.trim();
  let required = true;
  let multiple = false;
  if (text.startsWith('[') && text.endsWith(']')) {
    required = false;
    text = text.slice(1, -1);
  }
  if (text.startsWith('*')) {
    multiple = true;
    text = text.slice(1);
  }
  const m = /^(\w+):(\w+)(?:=(.*))?$/.exec(text);
  if (!m || !(PARAM_TYPES as readonly string[]).includes(m[2])) throw new Error(`bad parameter spec "${spec}"`);
  const param: Param = { name: m[1], type: m[2] as ParamType, required, multiple };
  if (m[3] !== undefined) {
    param.default = parseDefault(m[3]);
    param.required = false;
  }
  return param;
}

export function defineFunction(group: Group, name: string, params: string, description: string, impl: Impl, extra: { aggregator?: boolean; options?: Record<string, readonly string[]> } = {}): void {
  const parsed = params.trim() ? params.split(/,\s*/).map(parseParam) : [];
  for (const p of parsed) if (extra.options?.[p.name]) p.options = extra.options[p.name];
  functions.set(name, { name, group, params: parsed, description, impl, aggregator: extra.aggregator });
}

export function defineAlias(name: string, target: string): void {
  const fn = functions.get(target);
  if (!fn) throw new Error(`alias ${name} of unknown ${target}`);
  functions.set(name, { ...fn, name, aliasOf: target });
}

export function lookupFunction(name: string): RenderFunction | undefined {
  return functions.get(name);
}

export function allFunctions(): RenderFunction[] {
  return [...functions.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}
