/**
 * One render request end to end, as graphite-web's renderView does it up to the output format:
 * resolve from/until/now in the time zone, evaluate every target against the store, and return
 * the series with any warnings.
 */
import { type Clock, systemClock } from '../clock.js';
import { GphError } from '../errors.js';
import type { CarbonlinkPool } from '../carbon/carbonlink/carbonlink-client.js';
import { parseATTime } from './at-time.js';
import { prepareZone } from './zone-time.js';
import { evaluateExpression, evaluateTargets } from './evaluator.js';
import './functions/index.js';
import { MetricStore } from './metric-store.js';
import type { ClusterFanout } from './cluster/cluster-fanout.js';
import type { RequestContext } from './request-context.js';
import type { TimeSeries } from './time-series.js';

export interface RenderRequest {
  targets: readonly string[];
  /** at-time strings; defaults -1d and now. */
  from?: string;
  until?: string;
  now?: string;
  /** IANA zone for absolute times and CSV timestamps (default UTC). */
  tz?: string;
  xFilesFactor?: number;
  /** template[name]=value overrides. */
  template?: Record<string, string>;
  /** Reject trailing text graphite would ignore (default true). */
  strict?: boolean;
}

export interface RenderEnvironment {
  storageDir: string;
  carbonlink?: CarbonlinkPool;
  /** CLUSTER_SERVERS peers (none for local=1 requests). */
  cluster?: ClusterFanout;
  clock?: Clock;
}

export interface RenderResult {
  series: TimeSeries[];
  startTime: number;
  endTime: number;
  now: number;
  tz: string;
  warnings: string[];
}

/** Resolves from/until/now as parseOptions does; from > until swaps, equal is an error. */
export async function resolveTimeRange(request: Pick<RenderRequest, 'from' | 'until' | 'now' | 'tz'>, clock: Clock): Promise<{ startTime: number; endTime: number; now: number; tz: string }> {
  const tz = await prepareZone(request.tz ?? 'UTC');
  const realNow = Math.trunc(clock.now());
  const now = request.now !== undefined && request.now !== '' ? parseATTime(request.now, tz, realNow) : realNow;
  const until = request.until ? parseATTime(request.until, tz, now) : now;
  const from = request.from ? parseATTime(request.from, tz, now) : parseATTime('-1d', tz, now);
  const startTime = Math.min(from, until);
  const endTime = Math.max(from, until);
  if (startTime === endTime) {
    throw new GphError('RENDER_EMPTY_RANGE', `Invalid empty time range: from and until are both ${startTime}`, { hint: 'Give a --from earlier than --until' });
  }
  return { startTime, endTime, now, tz };
}

export async function render(request: RenderRequest, env: RenderEnvironment): Promise<RenderResult> {
  const clock = env.clock ?? systemClock;
  const { startTime, endTime, now, tz } = await resolveTimeRange(request, clock);
  const warnings: string[] = [];
  const store = new MetricStore({ storageDir: env.storageDir, carbonlink: env.carbonlink, cluster: env.cluster, warn: (m) => warnings.push(m) });
  const ctx = withEvaluate({ startTime, endTime, now, tz, xFilesFactor: request.xFilesFactor ?? 0, template: request.template ?? {}, store, clock, args: [], provided: new Set(), warnings });
  const series = await evaluateTargets(ctx, request.targets, { strict: request.strict });
  return { series, startTime, endTime, now, tz, warnings };
}

/** Gives a context its evaluate(): a copy of the context (graphite's requestContext.copy()) with overrides. */
function withEvaluate(base: Omit<RequestContext, 'evaluate'>): RequestContext {
  const ctx = base as RequestContext;
  ctx.evaluate = (target, overrides = {}) => evaluateExpression(withEvaluate({ ...ctx, ...overrides, args: [] }), target);
  return ctx;
}
