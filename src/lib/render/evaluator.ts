/**
 * Evaluates parsed targets as graphite-web's evaluator does (render/evaluator.py): templates
 * substitute `$name` in paths, pipes pass the left side as the first argument, paths fetch from
 * the store, calls evaluate their arguments first, then run the function. Unlike graphite-web
 * (ENFORCE_INPUT_VALIDATION = False), arguments are validated: a wrong type is an error that
 * names the function and parameter instead of an HTTP 500 from inside the function.
 */
import { GphError } from '../errors.js';
import { reprFloat } from '../python/py-format.js';
import { parseInterval } from './at-time.js';
import type { Arg, CallNode, ExpressionNode, Literal, PathNode, TemplateNode } from './grammar/target-ast.js';
import { parseTarget, parseTargetStrict } from './grammar/parse-target.js';
import { EmptyResult } from './evaluator-errors.js';
import { AGG_FUNC_NAMES, isAggFuncName } from './functions/aggregators.js';
import { type Param, lookupFunction } from './functions/registry.js';
import type { RequestContext } from './request-context.js';
import { TimeSeries } from './time-series.js';

type Replacements = Map<string, string | number>;
/** What an argument evaluates to: a series list, a list of lists, or a scalar. */
export type Evaluated = TimeSeries[] | TimeSeries[][] | TimeSeries | number | string | boolean | null;


function literalValue(node: Literal): number | string | boolean | null {
  switch (node.kind) {
    case 'number':
      return node.value;
    case 'string':
      return node.value;
    case 'boolean':
      return node.value;
    case 'none':
      return null;
    case 'inf':
      return Infinity;
  }
}

/** Python str() of a template value. */
function templateText(value: string | number, isFloat: boolean): string {
  return typeof value === 'string' ? value : isFloat ? reprFloat(value) : String(value);
}

function templateArguments(ctx: RequestContext, node: TemplateNode): Replacements {
  const out: Replacements = new Map();
  const put = (name: string, lit: Literal): void => {
    const value = literalValue(lit);
    out.set(name, typeof value === 'number' ? templateText(value, lit.kind === 'number' && !lit.integer) : String(value));
  };
  for (const kw of node.kwargs) put(kw.name, kw.value);
  node.args.forEach((lit, i) => put(String(i + 1), lit));
  for (const [name, value] of Object.entries(ctx.template)) out.set(name, value);
  return out;
}

/** A path that is exactly `$name` evaluates to the template value itself (a number or a string), not to a fetch. */
interface TemplateValue {
  value: string | number;
}

function substitute(expression: string, replacements: Replacements | undefined): string | TemplateValue {
  if (!replacements) return expression;
  let out = expression;
  for (const [name, value] of replacements) {
    if (out === `$${name}`) {
      if (typeof value !== 'string') return { value };
      return { value: /^-?[\d.]+$/.test(value) ? Number(value) : value };
    }
    out = out.split(`$${name}`).join(String(value));
  }
  return out;
}

function argError(func: string, param: Param, value: unknown, why = ''): GphError {
  const shown = value instanceof TimeSeries || Array.isArray(value) ? 'a series list' : JSON.stringify(value);
  return new GphError('RENDER_BAD_ARGUMENT', `Invalid "${param.type}" value for parameter "${param.name}" of ${func}(): ${shown}${why ? ` (${why})` : ''}`, {
    hint: `See \`gph render --list-functions\` for ${func}'s parameters`,
  });
}

function isSeriesList(value: unknown): value is TimeSeries[] {
  return Array.isArray(value) && value.every((s) => s instanceof TimeSeries);
}

/** validateParams' per-value check and coercion. `written` is the literal as written, if any. */
function coerce(func: string, param: Param, value: unknown, written: Arg | undefined): unknown {
  if (value === null || value === undefined) {
    if (param.required && param.default === undefined) throw argError(func, param, value, 'required');
    return undefined;
  }
  if (param.options && param.type !== 'aggFunc' && param.type !== 'aggOrSeriesFunc' && !param.options.includes(value as string)) {
    throw argError(func, param, value, `one of ${param.options.join(', ')}`);
  }
  const isFloatLiteral = written?.kind === 'number' && !written.integer;
  switch (param.type) {
    case 'boolean':
      if (typeof value === 'string') {
        if (value.toLowerCase() === 'true') return true;
        if (value.toLowerCase() === 'false') return false;
        throw argError(func, param, value);
      }
      if (typeof value === 'number') {
        if (value === 0) return false;
        if (value === 1) return true;
        throw argError(func, param, value);
      }
      return Boolean(value);
    case 'float': {
      if (typeof value === 'boolean') return value ? 1 : 0;
      const n = typeof value === 'string' ? Number(value.trim()) : value;
      if (typeof n !== 'number' || (Number.isNaN(n) && !/^\s*[-+]?nan\s*$/i.test(String(value)))) throw argError(func, param, value);
      return n;
    }
    case 'integer':
    case 'node':
      if (isFloatLiteral || typeof value !== 'number' || !Number.isInteger(value)) {
        if (typeof value === 'boolean') return value ? 1 : 0;
        if (typeof value === 'string' && /^\s*[-+]?\d+\s*$/.test(value)) return Number(value);
        throw argError(func, param, value, 'an integer');
      }
      return value;
    case 'intOrInf':
      if (value === Infinity) return value;
      if (typeof value === 'number' && Number.isInteger(value) && !isFloatLiteral) return value;
      throw argError(func, param, value, 'an integer or inf');
    case 'interval':
      if (typeof value !== 'string') throw argError(func, param, value, 'an interval string such as "1h"');
      try {
        parseInterval(value);
      } catch (error) {
        throw argError(func, param, value, (error as Error).message);
      }
      return value;
    case 'intOrInterval':
      if (typeof value === 'string') {
        try {
          parseInterval(value);
        } catch (error) {
          throw argError(func, param, value, (error as Error).message);
        }
      } else if (typeof value !== 'number' || !Number.isInteger(value) || isFloatLiteral) throw argError(func, param, value, 'an integer or an interval string');
      return value;
    case 'seriesList':
    case 'series':
      if (!isSeriesList(value)) throw argError(func, param, value, 'a series list');
      return value;
    case 'seriesLists':
      if (!Array.isArray(value) || !value.every(isSeriesList)) throw argError(func, param, value, 'a list of series lists (from mapSeries)');
      return value;
    case 'aggFunc':
      if (typeof value !== 'string' || !isAggFuncName(value)) throw argError(func, param, value, `one of ${AGG_FUNC_NAMES.join(', ')}`);
      return value;
    case 'aggOrSeriesFunc':
      if (typeof value !== 'string' || !(isAggFuncName(value) || lookupFunction(value)?.aggregator)) throw argError(func, param, value, 'an aggregation or an aggregating series function');
      return value;
    default:
      return value;
  }
}

/** Binds positional and keyword arguments to the function's parameters (validateParams + Python's call). */
function bindArguments(name: string, params: readonly Param[], args: unknown[], written: Arg[], kwargs: Map<string, unknown>, kwWritten: Map<string, Arg>): unknown[] {
  const last = params[params.length - 1];
  if (args.length + kwargs.size > params.length && !last?.multiple) {
    throw new GphError('RENDER_BAD_ARGUMENT', `Too many arguments for ${name}(): it takes ${params.map((p) => p.name).join(', ') || 'none'}`, {
      hint: `See \`gph render --list-functions\` for ${name}'s parameters`,
    });
  }
  const bound: unknown[] = [];
  args.forEach((value, i) => {
    const param = params[Math.min(i, params.length - 1)];
    bound.push(coerce(name, param, value, written[i]));
  });
  for (const [key, value] of kwargs) {
    const index = params.findIndex((p) => p.name === key || p.name.toLowerCase() === key.toLowerCase());
    if (index < 0 || params[index].multiple) {
      throw new GphError('RENDER_BAD_ARGUMENT', `Unexpected keyword argument "${key}" for ${name}()`, { hint: `${name}() takes ${params.map((p) => p.name).join(', ')}` });
    }
    if (index < args.length) throw new GphError('RENDER_BAD_ARGUMENT', `${name}() got two values for "${key}"`, { hint: 'Give it either by position or by name' });
    bound[index] = coerce(name, params[index], value, kwWritten.get(key));
  }
  params.forEach((param, i) => {
    if (param.multiple || i < args.length) return;
    if (bound[i] === undefined) {
      if (param.required) throw new GphError('RENDER_BAD_ARGUMENT', `Missing required parameter "${param.name}" of ${name}()`, { hint: `See \`gph render --list-functions\` for ${name}'s parameters` });
      bound[i] = param.default;
    }
  });
  return bound;
}

async function evaluateCall(ctx: RequestContext, call: CallNode, replacements: Replacements | undefined, pipedArg: ExpressionNode | undefined): Promise<Evaluated> {
  if (call.name === 'template') {
    throw new GphError('RENDER_BAD_TEMPLATE', 'invalid template() syntax: only string and number literals may follow the expression', { hint: 'Write template(path.$name, name="value")' });
  }
  if (call.name === 'seriesByTag' || call.name === 'groupByTags' || call.name === 'aliasByTags' || call.name === 'events') {
    throw new GphError('RENDER_UNSUPPORTED', `${call.name}() needs ${call.name === 'events' ? 'the events database' : 'the tag database'}, which gph does not have yet`, {
      hint: 'Use plain metric paths and aliasByNode/groupByNode instead',
    });
  }
  const fn = lookupFunction(call.name);
  if (!fn) {
    throw new GphError('RENDER_UNKNOWN_FUNCTION', `Unknown render function "${call.name}"`, { hint: 'List the functions with `gph render --list-functions` (names are case-sensitive)' });
  }
  const rawArgs: Arg[] = pipedArg ? [pipedArg, ...call.args] : call.args;
  const args: unknown[] = [];
  for (const arg of rawArgs) args.push(await evaluateTokens(ctx, arg, replacements));
  const kwargs = new Map<string, unknown>();
  const kwWritten = new Map<string, Arg>();
  for (const kw of call.kwargs) {
    kwargs.set(kw.name, await evaluateTokens(ctx, kw.value, replacements));
    kwWritten.set(kw.name, kw.value);
  }
  const bound = bindArguments(call.name, fn.params, args, rawArgs, kwargs, kwWritten);
  try {
    ctx.args = rawArgs;
    ctx.provided = new Set([...fn.params.slice(0, rawArgs.length).map((p) => p.name), ...kwargs.keys()]);
    return (await fn.impl(ctx, ...bound)) as Evaluated;
  } catch (error) {
    if (error instanceof EmptyResult) return [];
    if (error instanceof GphError) throw error;
    throw new GphError('RENDER_FUNCTION_FAILED', `${call.name}() failed: ${(error as Error).message}`, { cause: error, hint: 'Check the arguments of this call' });
  }
}

export async function evaluateTokens(ctx: RequestContext, node: Arg | TemplateNode | CallNode | PathNode, replacements?: Replacements, pipedArg?: ExpressionNode): Promise<Evaluated> {
  switch (node.kind) {
    case 'template':
      return evaluateTokens(ctx, node.inner, templateArguments(ctx, node));
    case 'expression':
      if (node.piped.length > 0) {
        const rightMost = node.piped[node.piped.length - 1];
        return evaluateCall(ctx, rightMost, replacements, { ...node, piped: node.piped.slice(0, -1) });
      }
      return evaluateTokens(ctx, node.head, replacements);
    case 'path': {
      const expression = substitute(node.text, replacements);
      if (typeof expression !== 'string') return expression.value;
      return ctx.store.fetch(expression, ctx.startTime, ctx.endTime, ctx.now, ctx.xFilesFactor);
    }
    case 'call':
      return evaluateCall(ctx, node, replacements, pipedArg);
    default:
      return literalValue(node);
  }
}

/** Flattens a result into the series list graphite returns. */
function seriesOf(result: Evaluated): TimeSeries[] {
  if (result instanceof TimeSeries) return [result];
  if (Array.isArray(result)) return (result as unknown[]).flat() as TimeSeries[];
  if (result === null || result === undefined || result === false || result === 0 || result === '') return [];
  throw new GphError('RENDER_NOT_A_SERIES', `The target evaluates to ${JSON.stringify(result)}, not to series`, { hint: 'A target must be a metric path or a function returning series' });
}

export interface ParseMode {
  /** Reject trailing text graphite would ignore (default true). */
  strict?: boolean;
}

/** Parses a target, strictly or as graphite does (ignoring unparsable trailing text with a warning). */
export function parseForRender(ctx: Pick<RequestContext, 'warnings'>, target: string, mode: ParseMode): ExpressionNode | null {
  if (mode.strict ?? true) return parseTargetStrict(target);
  const { expression, end } = parseTarget(target);
  if (target.slice(end).trim()) ctx.warnings.push(`target "${target}": text from column ${end + 1} was ignored, as graphite-web does`);
  return expression;
}

/** evaluateTarget: every target in order, concatenated. */
export async function evaluateTargets(ctx: RequestContext, targets: readonly string[], mode: ParseMode = {}): Promise<TimeSeries[]> {
  const out: TimeSeries[] = [];
  for (const target of targets) {
    if (!target.trim()) continue;
    const expression = parseForRender(ctx, target, mode);
    if (!expression) continue;
    out.push(...seriesOf(await evaluateTokens(ctx, expression)));
  }
  return out;
}

/** Evaluates one expression (parsed or text) and returns its series (for functions that re-fetch). */
export async function evaluateExpression(ctx: RequestContext, target: ExpressionNode | string): Promise<TimeSeries[]> {
  if (typeof target === 'string') return evaluateTargets(ctx, [target], { strict: false });
  return seriesOf(await evaluateTokens(ctx, target));
}
