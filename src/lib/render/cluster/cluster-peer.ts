/**
 * One CLUSTER_SERVERS entry, as graphite-web's RemoteFinder uses it: find and render requests with
 * local=1 (so the peer answers from its own data only) in pickle or, with "?format=msgpack" in
 * the entry, msgpack. A peer that fails or times out is skipped for REMOTE_RETRY_DELAY seconds.
 */
import type { Clock } from '../../clock.js';
import { GphError, fetchFailureReason } from '../../errors.js';
import { type RemoteNodeInfo, type RemoteSeries, decodeFindAnswer, decodeRenderAnswer } from './cluster-wire.js';

export interface ClusterPeerOptions {
  clock: Clock;
  findTimeoutSeconds: number;
  fetchTimeoutSeconds: number;
  retryDelaySeconds: number;
  /** MAX_FETCH_RETRIES: attempts at a render request (graphite-web's default 2). */
  fetchAttempts?: number;
  /** INTRACLUSTER_HTTPS: https for peers given without a scheme. */
  https?: boolean;
}

/** graphite-web's parse_host: "host:port[/prefix][?format=msgpack]" or a full http(s) URL. */
export function parseClusterServer(spec: string, https = false): { url: string; host: string; params: Map<string, string> } {
  let parsed: URL;
  try {
    parsed = new URL(/^https?:\/\//.test(spec) ? spec : `${https ? 'https' : 'http'}://${spec}`);
  } catch {
    throw new GphError('CONFIG_VALUE', `Cannot read the cluster server "${spec}"`, { hint: 'Write host:port (e.g. 10.0.0.2:8080), optionally ?format=msgpack, or an http:// URL' });
  }
  const params = new Map<string, string>();
  for (const [key, value] of parsed.searchParams) params.set(key, value);
  return { url: `${parsed.protocol}//${parsed.host}${parsed.pathname.replace(/\/$/, '')}`, host: parsed.host, params };
}

export class ClusterPeer {
  readonly url: string;
  readonly host: string;
  private readonly params: Map<string, string>;
  private lastFailure = -Infinity;

  constructor(
    spec: string,
    private readonly options: ClusterPeerOptions,
  ) {
    ({ url: this.url, host: this.host, params: this.params } = parseClusterServer(spec, options.https));
  }

  /** Failed less than REMOTE_RETRY_DELAY seconds ago: not asked. */
  get disabled(): boolean {
    return this.options.clock.now() - this.lastFailure < this.options.retryDelaySeconds;
  }

  async find(pattern: string, from?: number, until?: number): Promise<RemoteNodeInfo[]> {
    const query: Array<[string, string]> = [
      ['local', this.params.get('local') ?? '1'],
      ['format', this.params.get('format') ?? 'pickle'],
      ['query', pattern],
    ];
    if (from) query.push(['from', String(Math.trunc(from))]);
    if (until) query.push(['until', String(Math.trunc(until))]);
    const { body, contentType } = await this.request('/metrics/find/', query, this.options.findTimeoutSeconds);
    return this.decoded(() => decodeFindAnswer(body, contentType));
  }

  async fetch(patterns: readonly string[], start: number, end: number, now: number): Promise<RemoteSeries[]> {
    const query: Array<[string, string]> = [
      ['format', this.params.get('format') ?? 'pickle'],
      ['local', this.params.get('local') ?? '1'],
      ['noCache', '1'],
      ['from', String(Math.trunc(start))],
      ['until', String(Math.trunc(end))],
      ...patterns.map((p): [string, string] => ['target', p]),
      ['now', String(Math.trunc(now))],
    ];
    // graphite-web's RemoteReader tries a render MAX_FETCH_RETRIES times; a success re-enables the peer.
    const attempts = Math.max(1, this.options.fetchAttempts ?? 2);
    for (let attempt = 1; ; attempt++) {
      try {
        const { body, contentType } = await this.request('/render/', query, this.options.fetchTimeoutSeconds);
        return this.decoded(() => decodeRenderAnswer(body, contentType));
      } catch (error) {
        if (attempt >= attempts) throw error;
      }
    }
  }

  /** The peer's /metrics/index.json (local=1). */
  async index(): Promise<string[]> {
    const { body } = await this.request('/metrics/index.json', [['local', this.params.get('local') ?? '1']], this.options.findTimeoutSeconds);
    const list = this.decoded(() => JSON.parse(Buffer.from(body).toString('utf8')) as unknown);
    return Array.isArray(list) ? list.filter((m): m is string => typeof m === 'string') : [];
  }

  private decoded<T>(decode: () => T): T {
    try {
      return decode();
    } catch (error) {
      this.lastFailure = this.options.clock.now();
      throw new GphError('CLUSTER_PEER', `cluster server ${this.host} sent an answer gph cannot read: ${(error as Error).message}`, { hint: 'Check that it runs graphite-web 1.1 or gph', cause: error });
    }
  }

  private async request(path: string, query: Array<[string, string]>, timeoutSeconds: number): Promise<{ body: Uint8Array; contentType: string | null }> {
    const target = `${this.url}${path}?${new URLSearchParams(query).toString()}`;
    let response: Response;
    try {
      response = await globalThis.fetch(target, { signal: AbortSignal.timeout(timeoutSeconds * 1000) });
    } catch (error) {
      this.lastFailure = this.options.clock.now();
      const reason = fetchFailureReason(error, timeoutSeconds);
      throw new GphError('CLUSTER_PEER', `cluster server ${this.host} did not answer ${path}: ${reason}`, { hint: `It is skipped for ${this.options.retryDelaySeconds} s (REMOTE_RETRY_DELAY)`, cause: error });
    }
    const body = new Uint8Array(await response.arrayBuffer());
    if (response.status !== 200) {
      this.lastFailure = this.options.clock.now();
      throw new GphError('CLUSTER_PEER', `cluster server ${this.host} answered ${path} with status ${response.status}`, { hint: Buffer.from(body.subarray(0, 200)).toString('utf8') });
    }
    this.lastFailure = -Infinity;
    return { body, contentType: response.headers.get('content-type') };
  }
}
