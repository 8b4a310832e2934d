/**
 * graphite-web's /render (render/views.py renderView): the query (GET and POST merged; a repeated
 * parameter keeps its last value, except target), the data formats, PNG/SVG charts with the graph
 * options, jsonp, noCache/cacheTimeout, and graphite's error answers (400 with the reason for bad
 * input, 500 otherwise).
 */
import type { Clock } from '../clock.js';
import { GphError, isGphError } from '../errors.js';
import type { CarbonlinkPool } from '../carbon/carbonlink/carbonlink-client.js';
import type { Logger } from '../logger.js';
import { reprFloat } from '../python/py-format.js';
import { GRAPH_OPTION_NAMES, parseGraphOptions } from '../render/chart/graph-options.js';
import { renderCsv, renderJson, renderPickle, renderRaw, seriesRecords } from '../render/output/render-output.js';
import type { ClusterFanout } from '../render/cluster/cluster-fanout.js';
import { MSGPACK_CONTENT_TYPE, encodeRenderMsgpack } from '../render/cluster/cluster-wire.js';
import { render } from '../render/render-request.js';
import type { TimeSeries } from '../render/time-series.js';
import type { ChartFormat } from '../render/chart/render-chart.js';
import { prepareZone } from '../render/zone-time.js';
import type { RenderLimiter } from './render-limiter.js';
import type { ResponseCache } from './response-cache.js';
import { type WebResponse, htmlEscape } from './web-response.js';
import type { WebSettings } from './web-settings.js';

export interface RenderViewContext {
  settings: WebSettings;
  clock: Clock;
  logger: Logger;
  carbonlink?: CarbonlinkPool;
  /** CLUSTER_SERVERS peers. */
  cluster?: ClusterFanout;
  cache: ResponseCache<WebResponse>;
  limiter: RenderLimiter;
}

const DATA_CONTENT_TYPES: Record<string, string> = {
  json: 'application/json',
  csv: 'text/csv',
  raw: 'text/plain',
  pickle: 'application/pickle',
  msgpack: MSGPACK_CONTENT_TYPE,
  dygraph: 'application/json',
  rickshaw: 'application/json',
  png: 'image/png',
  svg: 'image/svg+xml',
  pdf: 'application/x-pdf',
};

function dygraph(series: readonly TimeSeries[]): string {
  if (!series.length) return '{}';
  const first = series[0];
  const rows: string[][] = [];
  for (let t = first.start; t < first.end; t += first.step) rows.push([String(t)]);
  for (const s of series) {
    s.points().forEach((v, i) => {
      if (!rows[i]) return;
      rows[i].push(v === null || Number.isNaN(v) ? 'null' : v === Infinity ? 'Infinity' : v === -Infinity ? '-Infinity' : reprFloat(v));
    });
  }
  const labels = JSON.stringify(['Time', ...series.map((s) => s.name)]).replace(/","/g, '", "');
  return `{"labels" : ${labels}, "data" : [${rows.map(([t, ...vs]) => `[${t}000${vs.map((v) => `, ${v}`).join('')}]`).join(', ')}]}`;
}

function rickshaw(series: readonly TimeSeries[]): string {
  return JSON.stringify(series.map((s) => ({ target: s.name, datapoints: s.datapoints().map(([y, x]) => ({ x, y })) })));
}

/** A parameter as Django reads it: the last value given (POST after GET). */
export function last(params: URLSearchParams, name: string): string | null {
  const all = params.getAll(name);
  return all.length ? all[all.length - 1] : null;
}

/** The cache key: every parameter but the cache controls, keys sorted, each key's values in order. */
function cacheKey(params: URLSearchParams): string {
  const keys = [...new Set(params.keys())].filter((k) => k !== 'noCache' && k !== 'cacheTimeout').sort();
  return JSON.stringify(keys.map((k) => [k, params.getAll(k)]));
}

/** Only the last value of each parameter except target (the view reads them with last()). */
function lastValues(params: URLSearchParams): URLSearchParams {
  const out = new URLSearchParams();
  for (const key of new Set(params.keys())) {
    if (key === 'target' || key === 'target[]') for (const v of params.getAll(key)) out.append(key, v);
    else out.set(key, last(params, key)!);
  }
  return out;
}

export async function renderView(query: URLSearchParams, ctx: RenderViewContext): Promise<WebResponse> {
  const params = lastValues(query);
  let targets = params.getAll('target');
  if (targets.length === 0) targets = params.getAll('target[]');
  let format = params.get('format') ?? (params.has('rawData') ? 'raw' : params.has('pickle') ? 'pickle' : 'png');
  if (!(format in DATA_CONTENT_TYPES)) format = 'png'; // graphite-web draws a PNG for any other format
  for (const name of ['cacheTimeout', 'xFilesFactor']) {
    const value = params.get(name);
    if (value !== null && !Number.isFinite(Number(value))) return { status: 400, contentType: 'text/html', body: htmlEscape(`Invalid parameters (${name} "${value}" is not a number)`) };
  }
  const cacheTimeout = params.has('cacheTimeout') ? Number(params.get('cacheTimeout')) : ctx.settings.DEFAULT_CACHE_DURATION;
  const useCache = !params.has('noCache') && cacheTimeout > 0;
  return ctx.cache.getOrCompute(cacheKey(params), cacheTimeout, useCache, () => ctx.limiter.run(() => compute(params, targets, format, ctx)));
}

async function compute(params: URLSearchParams, targets: string[], format: string, ctx: RenderViewContext): Promise<WebResponse> {
  // A graphite-web peer passes seriesByTag() expressions through to every node (local=1); gph
  // keeps no tag database, so it has no series for them, rather than an error that would make the
  // peer leave this node out.
  if (params.get('local') === '1') targets = targets.filter((target) => !/^\s*seriesByTag\s*\(/.test(target));
  try {
    let tz = ctx.settings.TIME_ZONE;
    const requested = params.get('tz');
    if (requested) {
      try {
        tz = await prepareZone(requested);
      } catch {
        // graphite-web ignores an unknown zone
      }
    }
    const template: Record<string, string> = {};
    for (const [k, v] of params) {
      const m = /^template\[(.+)\]$/.exec(k);
      if (m) template[m[1]] = v;
    }
    const xff = params.get('xFilesFactor');
    const result = await render(
      {
        targets,
        from: params.get('from') ?? undefined,
        until: params.get('until') ?? undefined,
        now: params.get('now') ?? undefined,
        tz,
        xFilesFactor: xff === null ? undefined : Number(xff),
        template,
        strict: false,
      },
      { storageDir: ctx.settings.WHISPER_DIR, carbonlink: ctx.carbonlink, cluster: params.get('local') === '1' ? undefined : ctx.cluster, clock: ctx.clock },
    );
    for (const warning of result.warnings) ctx.logger.warn(`render: ${warning}`);
    const series = result.series;
    const jsonp = params.has('format') ? params.get('jsonp') : null;
    const mdp = params.get('maxDataPoints');
    let body: string | Buffer;
    switch (format) {
      case 'json':
        body = renderJson(series, { maxDataPoints: mdp && /^\d+$/.test(mdp) ? Number(mdp) : undefined, noNullPoints: params.has('noNullPoints'), pretty: Boolean(params.get('pretty')), jsonp: jsonp || undefined });
        if (jsonp) return { status: 200, contentType: 'text/javascript', body };
        break;
      case 'csv':
        body = renderCsv(series, result.tz);
        break;
      case 'raw':
        body = renderRaw(series);
        break;
      case 'pickle':
        body = renderPickle(series);
        break;
      case 'msgpack':
        body = encodeRenderMsgpack(seriesRecords(series));
        break;
      case 'dygraph':
        body = dygraph(series);
        break;
      case 'rickshaw':
        body = rickshaw(series);
        break;
      default: {
        const { renderChart } = await import('../render/chart/render-chart.js');
        const known = new Set<string>(GRAPH_OPTION_NAMES);
        const options = parseGraphOptions([...params].filter(([k]) => known.has(k)));
        body = await renderChart(series, { format: format as ChartFormat, options, tz: result.tz, templatesPath: ctx.settings.GRAPHTEMPLATES_CONF });
      }
    }
    if (jsonp && ['dygraph', 'rickshaw'].includes(format)) return { status: 200, contentType: 'text/javascript', body: `${jsonp}(${body})` };
    return { status: 200, contentType: DATA_CONTENT_TYPES[format], body };
  } catch (error) {
    if (isGphError(error)) {
      const status = (error as GphError).code === 'WEB_BUSY' ? 503 : 400;
      return { status, contentType: 'text/html', body: htmlEscape(`Invalid parameters (${error.message}); targets: "${targets.join(',')}"`) };
    }
    ctx.logger.error(`render failed for ${targets.join(',')}: ${(error as Error).stack}`);
    return { status: 500, contentType: 'text/html', body: htmlEscape(`Internal error while rendering: ${(error as Error).message}`) };
  }
}
