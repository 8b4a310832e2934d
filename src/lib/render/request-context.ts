/**
 * What a render function sees of its request (graphite-web's requestContext): the time range,
 * `now`, the time zone, the request's xFilesFactor and template values, the store, and a way to
 * evaluate an expression again over another range (moving windows, timeShift, ...).
 */
import type { Clock } from '../clock.js';
import type { Arg, ExpressionNode } from './grammar/target-ast.js';
import type { MetricStore } from './metric-store.js';
import type { TimeSeries } from './time-series.js';

export interface RequestContext {
  /** Range start and end, epoch seconds. */
  startTime: number;
  endTime: number;
  now: number;
  /** IANA zone for absolute times inside functions. */
  tz: string;
  xFilesFactor: number;
  template: Record<string, string>;
  store: MetricStore;
  /** The real clock, for the few functions graphite evaluates against it (timeSlice, verticalLine). */
  clock: Clock;
  /** Unevaluated arguments of the call being run (graphite's requestContext['args']). */
  args: Arg[];
  /** Names of the parameters the call gave explicitly (the rest got their defaults). */
  provided: ReadonlySet<string>;
  /** Non-fatal problems to show the user (stderr / logs). */
  warnings: string[];
  /** Evaluates a parsed expression (or target text) with this context, optionally over another range. */
  evaluate(target: ExpressionNode | string, overrides?: Partial<Pick<RequestContext, 'startTime' | 'endTime' | 'now' | 'xFilesFactor'>>): Promise<TimeSeries[]>;
}
