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
import { type Logger, connectionLogger } from '../../logger.js';
import { CacheStats } from '../cache-stats.js';
import { type RelaySettings, crelayConfigPath, relayRulesPath } from '../config/relay-settings.js';
import { FlowControl } from '../receiver/flow-control.js';
import { ListenerSet } from '../receiver/listener-set.js';
import { type ListenerContext, createLineServer, createLineUdpSocket, createPickleServer } from '../receiver/listeners.js';
import { NameTable } from '../receiver/name-table.js';
import { PointIntake } from '../receiver/point-intake.js';
import { MetricFilter } from '../metric-filter.js';
import { type PrometheusEndpoint, servePrometheus } from '../prometheus-endpoint.js';
import { relayPrometheusText, selfMetricPrefix } from '../self-metrics.js';
import { ConsistentHashingRouter } from './consistent-hashing-router.js';
import { type Destination, formatDestination, parseDestination } from './destination.js';
import { type DestinationProtocol, DestinationLink } from './destination-link.js';
import type { HashType } from './hash-ring.js';
import { RulesRouter, loadRelayRules } from './rules-router.js';
import { loadCRelayConfig } from './crelay/crelay-config.js';
import { CRelayRouter, cleanCRelayMetric } from './crelay/crelay-router.js';

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

/** Where one point goes: every destination, or (any_of, failover) the first one that is not down. */
interface RouteStep {
  metric: string;
  destinations: Destination[];
  firstUp: boolean;
}

/** A configured routing: carbon's routers or a carbon-c-relay configuration. */
interface Routing {
  destinations: Destination[];
  /** Forced protocol (carbon-c-relay members speak the line protocol). */
  protocol?: DestinationProtocol;
  describe: string;
  route(metric: string): { steps: RouteStep[]; blackholed: boolean };
}

interface LinkStep {
  metric: string;
  links: DestinationLink[];
  firstUp: boolean;
}

interface RoutePlan {
  steps: LinkStep[];
  blackholed: boolean;
}

/** The first link that is not down (all down: the first, which spools). */
function firstUp(links: readonly DestinationLink[]): DestinationLink {
  for (const link of links) if (!link.down) return link;
  return links[0];
}

export interface RelayPorts {
  line?: number;
  pickle?: number;
  udp?: number;
  prometheus?: number;
}

export class RelayDaemon {
  readonly stats = new CacheStats();
  readonly flow = new FlowControl();
  readonly links: DestinationLink[];
  private routing: Routing;
  private readonly byName = new Map<string, DestinationLink>();
  /** metric -> where it goes: names repeat with every point, the ring walk need not. Bounded. */
  private readonly routes = new Map<string, RoutePlan>();
  private readonly abort = new AbortController();
  private readonly listeners: ListenerSet;
  private running: Array<Promise<void>> = [];
  private started = false;
  private prometheus?: PrometheusEndpoint;

  constructor(private readonly options: RelayDaemonOptions) {
    const { settings } = options;
    this.listeners = new ListenerSet(options.clock, options.logger);
    this.routing = RelayDaemon.buildRouting(settings);
    this.links = this.routing.destinations.map((destination) => this.makeLink(destination, settings, this.routing.protocol));
  }

  private makeLink(destination: Destination, settings: RelaySettings, protocol?: DestinationProtocol): DestinationLink {
    const spoolRoot = settings.SPOOL_DIR || path.resolve('data', 'spool');
    const link = new DestinationLink({
      destination,
      protocol: protocol ?? (settings.DESTINATION_PROTOCOL as DestinationProtocol),
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
    const routing = RelayDaemon.buildRouting(settings);
    for (const destination of routing.destinations) {
      if (this.byName.has(formatDestination(destination))) continue;
      const link = this.makeLink(destination, settings, routing.protocol);
      this.links.push(link);
      if (this.started) this.running.push(link.run(this.abort.signal));
    }
    this.routing = routing;
    this.routes.clear();
    this.options.logger.info(`reloaded: routing to ${routing.destinations.map(formatDestination).join(', ')} (${routing.describe})`);
  }

  private static buildRouting(settings: RelaySettings): Routing {
    const crelayFile = crelayConfigPath(settings);
    if (crelayFile) {
      const router = new CRelayRouter(loadCRelayConfig(crelayFile));
      return {
        destinations: router.destinations(),
        protocol: 'line',
        describe: `carbon-c-relay configuration ${crelayFile}`,
        route: (metric) => {
          const route = router.route(cleanCRelayMetric(metric));
          return { blackholed: route.blackholed, steps: route.steps.map((s) => ({ metric: s.metric, destinations: s.destinations, firstUp: s.pick === 'first-up' })) };
        },
      };
    }
    const destinations = settings.DESTINATIONS.map(parseDestination);
    if (destinations.length === 0) throw new GphError('CONFIG_VALUE', 'Cannot relay: DESTINATIONS is empty', { hint: 'List host:port[:instance] destinations in [relay] DESTINATIONS' });
    const router =
      settings.RELAY_METHOD === 'rules'
        ? new RulesRouter(loadRelayRules(relayRulesPath(settings)), destinations)
        : new ConsistentHashingRouter(destinations, { replicationFactor: settings.REPLICATION_FACTOR, diverseReplicas: settings.DIVERSE_REPLICAS, hashType: settings.ROUTER_HASH_TYPE as HashType });
    return {
      destinations,
      describe: settings.RELAY_METHOD === 'rules' ? 'rules' : `${settings.ROUTER_HASH_TYPE}, replication ${settings.REPLICATION_FACTOR}`,
      route: (metric) => ({ blackholed: false, steps: [{ metric, destinations: router.getDestinations(metric), firstUp: false }] }),
    };
  }

  private plan(metric: string): RoutePlan {
    const { steps, blackholed } = this.routing.route(metric);
    const plan: RoutePlan = { blackholed, steps: [] };
    for (const step of steps) {
      const links = step.destinations.flatMap((d) => this.byName.get(formatDestination(d)) ?? []);
      if (links.length > 0) plan.steps.push({ metric: step.metric, links, firstUp: step.firstUp });
    }
    if (plan.steps.length === 0 && !blackholed) this.warnUnroutable(`no destination for ${metric}: no rule sends it to a configured destination; dropping it (counted as dropped)`);
    return plan;
  }

  /** Routes one point to its destinations. */
  private route(metric: string, timestamp: number, value: number): void {
    let plan = this.routes.get(metric);
    if (!plan) {
      plan = this.plan(metric);
      if (this.routes.size >= MAX_CACHED_ROUTES) this.routes.clear();
      this.routes.set(metric, plan);
    }
    if (plan.steps.length === 0) {
      if (plan.blackholed) this.blackholed++;
      else this.unroutable++;
      return;
    }
    for (const step of plan.steps) {
      if (step.firstUp) firstUp(step.links).enqueue(step.metric, timestamp, value);
      else for (const link of step.links) link.enqueue(step.metric, timestamp, value);
    }
  }

  /** Points no rule sent to a configured destination (dropped by configuration). */
  unroutable = 0;
  /** Points a carbon-c-relay rule sent only to the blackhole (dropped by configuration). */
  blackholed = 0;
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
    const intake = new PointIntake((m, t, v) => this.route(m, t, v), this.stats, clock, logger, { afterChunk: () => this.afterChunk(), filter });
    const context: ListenerContext = { intake, stats: this.stats, flow: this.flow, now: () => clock.now(), connections: connectionLogger(logger), names: NameTable.create(() => {}) };
    const ports: RelayPorts = {};
    if (settings.LINE_RECEIVER_PORT >= 0) ports.line = await this.listeners.listen(createLineServer(context), settings.LINE_RECEIVER_PORT, settings.LINE_RECEIVER_INTERFACE, 'lines');
    if (settings.PICKLE_RECEIVER_PORT >= 0) ports.pickle = await this.listeners.listen(createPickleServer(context, settings.PICKLE_RECEIVER_MAX_LENGTH), settings.PICKLE_RECEIVER_PORT, settings.PICKLE_RECEIVER_INTERFACE, 'pickles');
    if (settings.ENABLE_UDP_LISTENER) {
      const socket = createLineUdpSocket(context, net.isIPv6(settings.UDP_RECEIVER_INTERFACE) ? 'udp6' : 'udp4');
      ports.udp = await this.listeners.bindUdp(socket, settings.UDP_RECEIVER_PORT, settings.UDP_RECEIVER_INTERFACE, 'UDP lines');
    }
    if (settings.PROMETHEUS_PORT >= 0) {
      const text = (): string =>
        relayPrometheusText(
          this.stats,
          this.links.map((l) => ({ name: l.name, sent: l.counters.sent, spooled: l.counters.spooled, queued: l.backlog, up: l.connected })),
          { unroutable: this.unroutable, blackholed: this.blackholed },
        );
      this.prometheus = await servePrometheus(settings.PROMETHEUS_INTERFACE, settings.PROMETHEUS_PORT, text, logger);
      ports.prometheus = this.prometheus.port;
    }
    const signal = this.abort.signal;
    this.running = [...this.links.map((link) => link.run(signal)), this.watchSpool(signal), this.selfMetrics(signal)];
    this.started = true;
    logger.info(`gph relay ${this.options.instance ?? 'a'} routing to ${this.links.map((l) => l.name).join(', ')} (${this.routing.describe})`);
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
      points.push(['sent', sent], ['spooled', spooled], ['queued', this.links.reduce((n, l) => n + l.backlog, 0)], ['dropped', delta('dropped', this.unroutable + this.blackholed)], ['blackholed', delta('blackholed', this.blackholed)], ['memUsage', process.memoryUsage().rss]);
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
    this.prometheus?.close();
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
