/**
 * gph web: graphite-web's HTTP API on node:http. Routes /render, /metrics/find, /metrics/expand,
 * /metrics/index.json, /functions and /version; reads GET and POST (form) parameters; logs each
 * request with its status and time; limits concurrent renders; caches responses in process.
 */
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Clock } from '../clock.js';
import { isGphError } from '../errors.js';
import type { Logger } from '../logger.js';
import { CarbonlinkPool, parseCarbonlinkHost } from '../carbon/carbonlink/carbonlink-client.js';
import { functionCatalog, functionInfo } from '../render/output/function-catalog.js';
import { lookupFunction } from '../render/functions/index.js';
import { metricFile } from '../cluster/node-store.js';
import { type FindCluster, expandView, findView, indexView } from './find-view.js';
import { ClusterFanout } from '../render/cluster/cluster-fanout.js';
import { ClusterPeer } from '../render/cluster/cluster-peer.js';
import { MemcachedStore } from './memcached-store.js';
import { RenderLimiter } from './render-limiter.js';
import { type RenderViewContext, renderView } from './render-view.js';
import { ResponseCache } from './response-cache.js';
import { type WebResponse, jsonResponse } from './web-response.js';
import type { WebSettings } from './web-settings.js';

/** The largest POST body read (a dashboard's form of targets fits easily). */
const MAX_BODY_BYTES = 4 * 1024 ** 2;
/** graphite-web's API version, which clients such as Grafana use to pick features. */
export const GRAPHITE_WEB_VERSION = '1.1.8';

export interface WebServerOptions {
  settings: WebSettings;
  clock: Clock;
  logger: Logger;
}

async function readParams(req: http.IncomingMessage, url: URL): Promise<URLSearchParams> {
  const params = new URLSearchParams(url.search);
  if (req.method !== 'POST') return params;
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) throw Object.assign(new Error('request body too large'), { status: 413 });
    chunks.push(chunk as Buffer);
  }
  const raw = Buffer.concat(chunks);
  const type = req.headers['content-type'] ?? '';
  if (type.includes('multipart/form-data')) {
    // graphite-web peers with REMOTE_STORE_USE_POST send their fields this way (urllib3).
    let form: FormData;
    try {
      form = await new Response(raw, { headers: { 'content-type': type } }).formData();
    } catch {
      throw Object.assign(new Error('The multipart request body does not parse'), { status: 400 });
    }
    for (const [key, value] of form) if (typeof value === 'string') params.append(key, value);
    return params;
  }
  const body = raw.toString('utf8');
  if (type.includes('application/json') && body.trim()) {
    let parsed: Record<string, unknown>;
    try {
      parsed = JSON.parse(body) as Record<string, unknown>;
    } catch {
      throw Object.assign(new Error('The JSON request body does not parse'), { status: 400 });
    }
    for (const [key, value] of Object.entries(parsed)) {
      for (const v of [value].flat()) params.append(key, String(v));
    }
  } else for (const [key, value] of new URLSearchParams(body)) params.append(key, value);
  return params;
}

/** gph's replica endpoint: a metric's raw whisper file, for `gph resync` on other nodes. */
function rawWhisper(params: URLSearchParams, dir: string): WebResponse {
  const metric = params.get('metric') ?? '';
  let file: string;
  try {
    file = metricFile(dir, metric);
  } catch (error) {
    return { status: 400, contentType: 'text/plain', body: (error as Error).message };
  }
  try {
    return { status: 200, contentType: 'application/octet-stream', body: fs.readFileSync(file) };
  } catch {
    return { status: 404, contentType: 'text/plain', body: `No metric ${metric}` };
  }
}

export class WebServer {
  readonly server: http.Server;
  readonly cache: ResponseCache<WebResponse>;
  private memcached: MemcachedStore | undefined;
  private readonly context: RenderViewContext;
  private findCluster?: FindCluster;
  requests = 0;

  constructor(private readonly options: WebServerOptions) {
    const { settings } = options;
    const carbonlink = settings.CARBONLINK_HOSTS.length
      ? new CarbonlinkPool(settings.CARBONLINK_HOSTS.map(parseCarbonlinkHost), { hashType: settings.CARBONLINK_HASHING_TYPE, timeoutMs: settings.CARBONLINK_TIMEOUT * 1000 })
      : undefined;
    this.cache = new ResponseCache<WebResponse>(options.clock, 256 * 1024 ** 2, (r) => (typeof r.body === 'string' ? r.body.length * 2 : r.body.length) + 200);
    this.cache.cacheable = (r) => r.status === 200;
    if (settings.MEMCACHE_HOSTS.length) this.memcached = this.cache.shared = new MemcachedStore(settings.MEMCACHE_HOSTS, options.clock, options.logger);
    const cluster = settings.CLUSTER_SERVERS.length
      ? new ClusterFanout(
          settings.CLUSTER_SERVERS.map(
            (spec) =>
              new ClusterPeer(spec, {
                clock: options.clock,
                findTimeoutSeconds: settings.FIND_TIMEOUT,
                fetchTimeoutSeconds: settings.FETCH_TIMEOUT,
                retryDelaySeconds: settings.REMOTE_RETRY_DELAY,
                fetchAttempts: settings.MAX_FETCH_RETRIES,
                https: settings.INTRACLUSTER_HTTPS,
              }),
          ),
          // graphite-web caches peers' finds in Django's cache, which is memcached with MEMCACHE_HOSTS and does nothing without.
          { clock: options.clock, seconds: settings.MEMCACHE_HOSTS.length ? settings.FIND_CACHE_DURATION : 0 },
          settings.REMOTE_STORE_MERGE_RESULTS,
        )
      : undefined;
    if (cluster) this.findCluster = { fanout: cluster, warn: (message) => options.logger.warn(`cluster: ${message}`) };
    this.context = { settings, clock: options.clock, logger: options.logger, carbonlink, cluster, cache: this.cache, limiter: new RenderLimiter(settings.MAX_CONCURRENT_RENDERS, settings.MAX_QUEUED_RENDERS) };
    this.server = http.createServer((req, res) => {
      this.handle(req, res).catch((error: unknown) => {
        this.options.logger.error(`request failed: ${(error as Error).stack}`);
        if (!res.headersSent) res.writeHead(500, { 'Content-Type': 'text/plain' });
        res.end();
      });
    });
  }

  private async route(pathname: string, params: URLSearchParams): Promise<WebResponse> {
    const dir = this.options.settings.WHISPER_DIR;
    const path = pathname.replace(/\/+$/, '') || '/';
    if (path === '/render') return renderView(params, this.context);
    if (path === '/metrics/find' || path === '/metrics') return findView(params, dir, this.options.clock.now(), this.findCluster);
    if (path === '/metrics/expand') return expandView(params, dir, this.findCluster);
    if (path === '/metrics/index.json') return indexView(params, dir, this.findCluster);
    if (path === '/version') return { status: 200, contentType: 'text/plain', body: GRAPHITE_WEB_VERSION };
    if (path === '/gph/whisper') return rawWhisper(params, dir);
    if (path === '/functions') {
      const group = params.get('group');
      const grouped = functionCatalog(params.get('grouped') === '1' || params.get('grouped') === 'true');
      return jsonResponse(group ? Object.fromEntries(Object.entries(functionCatalog()).filter(([, f]) => (f as { group: string }).group === group)) : grouped, params);
    }
    const fn = /^\/functions\/(\w+)$/.exec(path);
    if (fn) {
      const found = lookupFunction(fn[1]);
      return found ? jsonResponse(functionInfo(found), params) : { status: 404, contentType: 'text/plain', body: `Function "${fn[1]}" not found` };
    }
    // gph keeps no tag database: the lookups answer as graphite-web does when no series has tags
    // (so graphite-web peers that ask with local=1 keep using this node); the rest is refused.
    if (path === '/tags' || path === '/tags/autoComplete/tags' || path === '/tags/autoComplete/values' || path === '/tags/findSeries') return jsonResponse([], params);
    if (/^\/tags(\/|$)/.test(path)) return { status: 501, contentType: 'text/plain', body: 'Tags are not supported by gph yet: it keeps no tag database' };
    return { status: 404, contentType: 'text/plain', body: `Not found: ${pathname}` };
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const started = process.hrtime.bigint();
    this.requests++;
    let response: WebResponse;
    try {
      let url: URL;
      try {
        url = new URL(req.url ?? '/', 'http://localhost');
      } catch {
        throw Object.assign(new Error(`Malformed request target: ${req.url}`), { status: 400 });
      }
      if (req.method !== 'GET' && req.method !== 'POST' && req.method !== 'HEAD') response = { status: 405, contentType: 'text/plain', body: 'Use GET or POST' };
      else response = await this.route(url.pathname, await readParams(req, url));
    } catch (error) {
      const status = (error as { status?: number }).status ?? (isGphError(error, 'WEB_BUSY') ? 503 : 500);
      if (status === 500) this.options.logger.error(`${req.method} ${req.url}: ${(error as Error).stack}`);
      response = { status, contentType: 'text/plain', body: (error as Error).message };
    }
    const body = typeof response.body === 'string' ? Buffer.from(response.body) : response.body;
    res.writeHead(response.status, { 'Content-Type': response.contentType, 'Content-Length': body.length, ...response.headers });
    res.end(req.method === 'HEAD' ? undefined : body);
    const ms = Number(process.hrtime.bigint() - started) / 1e6;
    this.options.logger.info(`${req.socket.remoteAddress ?? '-'} "${req.method} ${req.url}" ${response.status} ${body.length} ${ms.toFixed(1)}ms`);
  }

  async listen(port: number, host = '127.0.0.1'): Promise<number> {
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(port, host, () => {
        this.server.off('error', reject);
        resolve();
      });
    });
    return (this.server.address() as AddressInfo).port;
  }

  async close(): Promise<void> {
    this.memcached?.close();
    await new Promise<void>((resolve) => {
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
  }
}
