/**
 * gph's carbon-relay: the cache's receivers (line over TCP/UDP, pickle) feeding carbon's
 * consistent-hashing router, and one DestinationLink per destination. Nothing is dropped: a
 * destination that is down or slow gets its points spooled to disk, and when the spools reach
 * MAX_SPOOL_BYTES the receivers stop reading (senders wait) until they shrink.
 */
import net from 'node:net';
import path from 'node:path';
import type { Clock } from '../../clock.js';
import { GphError } from '../../errors.js';
import type { Logger } from '../../logger.js';
import { CacheStats } from '../cache-stats.js';
import { type RelaySettings, relayRulesPath } from '../config/relay-settings.js';
import { FlowControl } from '../receiver/flow-control.js';
import { ListenerSet } from '../receiver/listener-set.js';
import { type ListenerContext, createLineServer, createLineUdpSocket, createPickleServer } from '../receiver/listeners.js';
import { PointIntake } from '../receiver/point-intake.js';
import { MetricFilter } from '../metric-filter.js';
import { selfMetricPrefix } from '../self-metrics.js';
import { ConsistentHashingRouter } from './consistent-hashing-router.js';
import { type Destination, formatDestination, parseDestination } from './destination.js';
import { type DestinationProtocol, DestinationLink } from './destination-link.js';
import type { HashType } from './hash-ring.js';
import { RulesRouter, loadRelayRules } from './rules-router.js';

/** Routes remembered before the memory is cleared. */
const MAX_CACHED_ROUTES = 1_000_000;
/** Resume reading when the spools shrink below this share of MAX_SPOOL_BYTES. */
const SPOOL_RESUME_FRACTION = 0.8;

export interface RelayDaemonOptions {
  settings: RelaySettings;
  clock: Clock;
  logger: Logger;
  instance?: string;
  host?: string;
  /** On stop, how long to keep delivering before spooling the rest (default 5000). */
  deliverOnStopMs?: number;
}

export interface RelayPorts {
  line?: number;
  pickle?: number;
  udp?: number;
}

export class RelayDaemon {
  readonly stats = new CacheStats();
  readonly flow = new FlowControl();
  readonly links: DestinationLink[];
  private router: { getDestinations(metric: string): Destination[] };
  private readonly byName = new Map<string, DestinationLink>();
  /** metric -> its links: names repeat with every point, the ring walk need not. Bounded. */
  private readonly routes = new Map<string, DestinationLink[]>();
  private readonly abort = new AbortController();
  private readonly listeners: ListenerSet;
  private running: Array<Promise<void>> = [];
  private started = false;

  constructor(private readonly options: RelayDaemonOptions) {
    const { settings } = options;
    this.listeners = new ListenerSet(options.clock, options.logger);
    const destinations = settings.DESTINATIONS.map(parseDestination);
    if (destinations.length === 0) throw new GphError('CONFIG_VALUE', 'Cannot relay: DESTINATIONS is empty', { hint: 'List host:port[:instance] destinations in [relay] DESTINATIONS' });
    this.router = RelayDaemon.buildRouter(settings, destinations);
    this.links = destinations.map((destination) => this.makeLink(destination, settings));
  }

  private makeLink(destination: Destination, settings: RelaySettings): DestinationLink {
    const spoolRoot = settings.SPOOL_DIR || path.resolve('data', 'spool');
    const link = new DestinationLink({
      destination,
      protocol: settings.DESTINATION_PROTOCOL as DestinationProtocol,
      maxQueueSize: settings.MAX_QUEUE_SIZE,
      maxPerMessage: settings.MAX_DATAPOINTS_PER_MESSAGE,
      spoolDir: path.join(spoolRoot, `${destination.server}_${destination.port}_${destination.instance ?? ''}`.replace(/[^A-Za-z0-9_.-]/g, '_')),
      clock: this.options.clock,
      logger: this.options.logger,
    });
    this.byName.set(formatDestination(destination), link);
    return link;
  }

  /**
   * Applies new settings (SIGHUP): a new router and links for new destinations. Destinations no
   * longer listed stop receiving new points but deliver what they hold. Throws (and keeps the
   * running configuration) when the new one is invalid.
   */
  reload(settings: RelaySettings): void {
    const destinations = settings.DESTINATIONS.map(parseDestination);
    const router = RelayDaemon.buildRouter(settings, destinations);
    for (const destination of destinations) {
      if (this.byName.has(formatDestination(destination))) continue;
      const link = this.makeLink(destination, settings);
      this.links.push(link);
      if (this.started) this.running.push(link.run(this.abort.signal));
    }
    this.router = router;
    this.routes.clear();
    this.options.logger.info(`reloaded: routing to ${destinations.map((d) => `${d.server}:${d.port}:${d.instance ?? ''}`).join(', ')} (${settings.RELAY_METHOD})`);
  }

  private static buildRouter(settings: RelaySettings, destinations: Destination[]): { getDestinations(metric: string): Destination[] } {
    if (settings.RELAY_METHOD === 'rules') return new RulesRouter(loadRelayRules(relayRulesPath(settings)), destinations);
    return new ConsistentHashingRouter(destinations, {
      replicationFactor: settings.REPLICATION_FACTOR,
      diverseReplicas: settings.DIVERSE_REPLICAS,
      hashType: settings.ROUTER_HASH_TYPE as HashType,
    });
  }

  /** Routes one point to its destinations. */
  private route(metric: string, timestamp: number, value: number): void {
    let links = this.routes.get(metric);
    if (!links) {
      links = this.router.getDestinations(metric).flatMap((d) => this.byName.get(formatDestination(d)) ?? []);
      if (links.length === 0) this.warnUnroutable(`no destination for ${metric}: no rule sends it to one of DESTINATIONS; dropping it (counted as dropped)`);
      if (this.routes.size >= MAX_CACHED_ROUTES) this.routes.clear();
      this.routes.set(metric, links);
    }
    if (links.length === 0) this.unroutable++;
    for (const link of links) link.enqueue(metric, timestamp, value);
  }

  /** Points no rule sent to a configured destination (dropped by configuration). */
  unroutable = 0;
  private readonly warnUnroutable = (message: string): void => this.options.logger.warn(message);

  /** Total bytes spooled across destinations. */
  spoolBytes(): number {
    return this.links.reduce((sum, link) => sum + link.spoolBytes, 0);
  }

  private afterChunk(): void {
    for (const link of this.links) link.flushSpool();
    const limit = this.options.settings.MAX_SPOOL_BYTES;
    const bytes = this.spoolBytes();
    if (bytes >= limit && !this.flow.isPaused) {
      this.options.logger.warn(`spools hold ${bytes} bytes (MAX_SPOOL_BYTES ${limit}): pausing the receivers`);
      this.flow.pause();
    }
  }

  private async watchSpool(signal: AbortSignal): Promise<void> {
    const limit = this.options.settings.MAX_SPOOL_BYTES;
    while (!signal.aborted) {
      if (this.flow.isPaused && this.spoolBytes() < limit * SPOOL_RESUME_FRACTION) {
        this.options.logger.info('spools shrank: resuming the receivers');
        this.flow.resume();
      }
      try {
        await this.options.clock.sleep(100, signal);
      } catch {
        return;
      }
    }
  }

  /** Starts the senders and the listeners. */
  async start(): Promise<RelayPorts> {
    const { settings, clock, logger } = this.options;
    for (const link of this.links) if (link.backlog > 0) logger.info(`destination ${link.name}: ${link.backlog} points spooled before the last stop will be delivered first`);
    const filter = settings.USE_WHITELIST ? new MetricFilter(settings.CONF_DIR || process.cwd(), clock, logger) : undefined;
    const intake = new PointIntake((m, t, v) => this.route(m, t, v), this.stats, clock, logger, 0, () => this.afterChunk(), filter);
    const context: ListenerContext = { intake, stats: this.stats, flow: this.flow, now: () => clock.now() };
    const ports: RelayPorts = {};
    if (settings.LINE_RECEIVER_PORT >= 0) ports.line = await this.listeners.listen(createLineServer(context), settings.LINE_RECEIVER_PORT, settings.LINE_RECEIVER_INTERFACE, 'lines');
    if (settings.PICKLE_RECEIVER_PORT >= 0) ports.pickle = await this.listeners.listen(createPickleServer(context, settings.PICKLE_RECEIVER_MAX_LENGTH), settings.PICKLE_RECEIVER_PORT, settings.PICKLE_RECEIVER_INTERFACE, 'pickles');
    if (settings.ENABLE_UDP_LISTENER) {
      const socket = createLineUdpSocket(context, net.isIPv6(settings.UDP_RECEIVER_INTERFACE) ? 'udp6' : 'udp4');
      ports.udp = await this.listeners.bindUdp(socket, settings.UDP_RECEIVER_PORT, settings.UDP_RECEIVER_INTERFACE, 'UDP lines');
    }
    const signal = this.abort.signal;
    this.running = [...this.links.map((link) => link.run(signal)), this.watchSpool(signal), this.selfMetrics(signal)];
    this.started = true;
    logger.info(`gph relay ${this.options.instance ?? 'a'} routing to ${this.links.map((l) => l.name).join(', ')} (${settings.ROUTER_HASH_TYPE}, replication ${settings.REPLICATION_FACTOR})`);
    return ports;
  }

  private async selfMetrics(signal: AbortSignal): Promise<void> {
    const { settings, clock } = this.options;
    if (!(settings.CARBON_METRIC_INTERVAL > 0)) return;
    const prefix = selfMetricPrefix(settings.CARBON_METRIC_PREFIX, 'relays', this.options.instance ?? 'a', this.options.host);
    const last = new Map<string, number>();
    const delta = (key: string, total: number): number => {
      const value = total - (last.get(key) ?? 0);
      last.set(key, total);
      return value;
    };
    while (!signal.aborted) {
      try {
        await clock.sleep(settings.CARBON_METRIC_INTERVAL * 1000, signal);
      } catch {
        return;
      }
      const now = clock.now();
      const interval = this.stats.takeInterval();
      const points: Array<[string, number]> = [['metricsReceived', interval.get('metricsReceived') ?? 0]];
      let sent = 0;
      let spooled = 0;
      for (const link of this.links) {
        const key = link.name.replace(/\./g, '_');
        const linkSent = delta(`${link.name}.sent`, link.counters.sent);
        const linkSpooled = delta(`${link.name}.spooled`, link.counters.spooled);
        sent += linkSent;
        spooled += linkSpooled;
        points.push([`destinations.${key}.sent`, linkSent], [`destinations.${key}.spooled`, linkSpooled], [`destinations.${key}.queued`, link.backlog], [`destinations.${key}.batchesSent`, delta(`${link.name}.batches`, link.counters.batchesSent)]);
      }
      points.push(['sent', sent], ['spooled', spooled], ['queued', this.links.reduce((n, l) => n + l.backlog, 0)], ['dropped', delta('dropped', this.unroutable)], ['memUsage', process.memoryUsage().rss]);
      for (const [name, value] of points) this.route(`${prefix}.${name}`, now, value);
      this.afterChunk();
    }
  }

  /**
   * Stops: no new connections, reads what clients already sent, keeps delivering for up to
   * deliverOnStopMs, then spools whatever is left (delivered first at the next start).
   */
  async stop(): Promise<{ delivered: boolean; spooled: number }> {
    const { clock, logger } = this.options;
    await this.listeners.close(200, () => this.flow.resume());
    this.afterChunk();
    const deadline = clock.now() + (this.options.deliverOnStopMs ?? 5000) / 1000;
    while (this.links.some((l) => l.backlog > 0 && l.connected) && clock.now() < deadline) await clock.sleep(20);
    this.abort.abort();
    await Promise.all(this.running);
    for (const link of this.links) link.close();
    const spooled = this.links.reduce((n, l) => n + l.backlog, 0);
    logger.info(spooled > 0 ? `shutdown: ${spooled} points spooled for delivery at the next start` : 'shutdown: every point delivered');
    return { delivered: spooled === 0, spooled };
  }

}
