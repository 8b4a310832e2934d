/**
 * The function table as graphite-web's /functions endpoint describes it: name, signature, group
 * and parameters (name, type, required, default, multiple, options).
 */
import { AGG_FUNC_NAMES } from '../functions/aggregators.js';
import { type Param, type RenderFunction, allFunctions } from '../functions/index.js';

export interface ParamInfo {
  name: string;
  type: string;
  required?: true;
  default?: unknown;
  multiple?: true;
  options?: string[];
}

export interface FunctionInfo {
  name: string;
  function: string;
  description: string;
  module: string;
  group: string;
  params: ParamInfo[];
}

function paramInfo(param: Param): ParamInfo {
  const info: ParamInfo = { name: param.name, type: param.type };
  if (param.required) info.required = true;
  if (param.default !== undefined && param.default !== Infinity) info.default = param.default;
  if (param.multiple) info.multiple = true;
  const options = param.options ?? (param.type === 'aggFunc' || param.type === 'aggOrSeriesFunc' ? AGG_FUNC_NAMES : undefined);
  if (options) info.options = [...options].sort();
  return info;
}

/** "movingAverage(seriesList, windowSize, xFilesFactor=None)" */
export function signature(fn: RenderFunction): string {
  const parts = fn.params.map((p) => (p.multiple ? `*${p.name}` : p.required ? p.name : `${p.name}=${p.default === undefined ? 'None' : JSON.stringify(p.default)}`));
  return `${fn.name}(${parts.join(', ')})`;
}

export function functionInfo(fn: RenderFunction): FunctionInfo {
  return {
    name: fn.name,
    function: signature(fn),
    description: fn.aliasOf ? `Alias of ${fn.aliasOf}. ${fn.description}` : fn.description,
    module: 'graphite.render.functions',
    group: fn.group,
    params: fn.params.map(paramInfo),
  };
}

/** /functions: every function by name (or by group with grouped=1). */
export function functionCatalog(grouped = false): Record<string, FunctionInfo> | Record<string, Record<string, FunctionInfo>> {
  const all = allFunctions();
  if (!grouped) return Object.fromEntries(all.map((f) => [f.name, functionInfo(f)]));
  const out: Record<string, Record<string, FunctionInfo>> = {};
  for (const f of all) (out[f.group] ??= {})[f.name] = functionInfo(f);
  return out;
}
