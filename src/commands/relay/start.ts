import { Flags } from '@oclif/core';
import path from 'node:path';
import { systemClock } from '../../lib/clock.js';
import { type RelaySettings, crelayConfigPath, embeddedRelayDefaults, loadRelaySettings } from '../../lib/carbon/config/relay-settings.js';
import { applyCRelayListeners, loadCRelayConfig } from '../../lib/carbon/relay/crelay/crelay-config.js';
import { RelayDaemon } from '../../lib/carbon/relay/relay-daemon.js';
import { daemonLogger, stopSignal } from '../../cli/daemon-lifecycle.js';
import { GphCommand } from '../../cli/gph-command.js';

interface RelayFlags {
  config?: string;
  'crelay-config'?: string;
  destinations?: string;
  'replication-factor'?: number;
  diverse?: boolean;
  hash?: string;
  protocol?: string;
  'line-port'?: number;
  'pickle-port'?: number;
  udp?: boolean;
  'spool-dir'?: string;
  'prometheus-port'?: number;
}

const port = (summary: string) => Flags.integer({ summary, min: -1, max: 65535 });

export default class RelayStart extends GphCommand {
  static summary = "Run a carbon-relay: receive points and forward them by carbon's consistent hashing or relay rules, spooling instead of dropping.";
  static description = `Reads the [relay] section of your carbon.conf (--config): DESTINATIONS, REPLICATION_FACTOR, DIVERSE_REPLICAS, ROUTER_HASH_TYPE (carbon_ch, fnv1a_ch), DESTINATION_PROTOCOL (pickle or line), MAX_QUEUE_SIZE, MAX_DATAPOINTS_PER_MESSAGE and the receiver ports. A destination that is down or slow gets its points spooled under SPOOL_DIR and delivered in order when it returns; when the spools reach MAX_SPOOL_BYTES the relay stops reading from its clients instead of dropping. Without --config: 127.0.0.1, line 2013, pickle 2014, forwarding to 127.0.0.1:2004:a (a local gph cache).

RELAY_METHOD rules reads relay-rules.conf beside carbon.conf. SIGHUP re-reads the configuration without losing points. aggregated-consistent-hashing is not supported yet.

With --crelay-config (-f, or CRELAY_CONFIG in [relay]) it routes by a carbon-c-relay configuration instead: forward, any_of, failover, carbon_ch, fnv1a_ch and jump_fnv1a_ch clusters with replication, match (regular expressions, stop), rewrite, blackhole and include, choosing the members carbon-c-relay 3.7 chooses (names are cleaned as it cleans them). Members receive the line protocol. any_of and failover pass over a member whose connection failed; its queued points are delivered when it returns. A listen statement sets the line (TCP) and UDP ports unless --line-port is given.`;
  static examples = [
    '<%= config.bin %> relay start',
    '<%= config.bin %> relay start --config /etc/carbon/carbon.conf',
    '<%= config.bin %> relay start --destinations 10.0.0.1:2004:a,10.0.0.2:2004:a --replication-factor 2 --no-diverse',
    '<%= config.bin %> relay start -f /etc/carbon-c-relay.conf --line-port 2003',
  ];
  static flags = {
    config: Flags.string({ char: 'c', summary: 'carbon.conf to read (its [relay] section).', env: 'GPH_CARBON_CONF' }),
    'crelay-config': Flags.string({ char: 'f', summary: 'Route by this carbon-c-relay configuration (clusters, match, rewrite).' }),
    instance: Flags.string({ summary: 'Instance name, as carbon-relay --instance.', default: 'a' }),
    destinations: Flags.string({ summary: 'DESTINATIONS: comma-separated host:port[:instance].' }),
    'replication-factor': Flags.integer({ summary: 'REPLICATION_FACTOR.', min: 1 }),
    diverse: Flags.boolean({ summary: 'DIVERSE_REPLICAS (on by default, as in carbon).', allowNo: true }),
    hash: Flags.string({ summary: 'ROUTER_HASH_TYPE.', options: ['carbon_ch', 'fnv1a_ch'] }),
    protocol: Flags.string({ summary: 'DESTINATION_PROTOCOL.', options: ['pickle', 'line'] }),
    'line-port': port('Plaintext TCP port (0: any free port, -1: off).'),
    'pickle-port': port('Pickle TCP port (0: any free port, -1: off).'),
    udp: Flags.boolean({ summary: 'Also receive plaintext over UDP.' }),
    'spool-dir': Flags.string({ summary: 'SPOOL_DIR: where undeliverable points wait.' }),
    'prometheus-port': port('Serve Prometheus metrics on this port (0: any free port, -1: off).'),
    'log-file': Flags.string({ summary: 'Append the log here instead of stderr.' }),
    'log-dir': Flags.string({ summary: "Log into carbon's files in this directory (console.log, creates.log, updates.log, listener.log, query.log), as carbon's --logdir.", exclusive: ['log-file'] }),
    debug: Flags.boolean({ summary: 'Log more.' }),
  };

  async run(): Promise<unknown> {
    const { flags } = await this.parse(RelayStart);
    const settings = this.settingsFrom(flags);
    const clock = systemClock;
    const logger = daemonLogger(flags['log-file'], flags.debug, flags['log-dir']);
    const stopRequested = stopSignal(logger);
    const daemon = new RelayDaemon({ settings, clock, logger, instance: flags.instance });
    process.on('SIGHUP', () => {
      logger.info('received SIGHUP: reloading the configuration');
      try {
        daemon.reload(this.settingsFrom(flags));
      } catch (error) {
        logger.error(`reload failed, keeping the running configuration: ${(error as Error).message}`);
      }
    });
    const ports = await daemon.start();
    if (this.jsonEnabled()) process.stdout.write(`${JSON.stringify({ ready: { instance: flags.instance, ports, destinations: daemon.links.map((l) => l.name) } })}\n`);
    else this.print(`gph relay ${flags.instance} ready: ${Object.entries(ports).map(([k, v]) => `${k} ${v}`).join(', ')}; to ${daemon.links.map((l) => l.name).join(', ')}\n`);
    logger.info(`received ${await stopRequested}`);
    const result = await daemon.stop();
    if (this.jsonEnabled()) return { stopped: result };
    this.print(`gph relay ${flags.instance} stopped: ${result.delivered ? 'every point delivered' : `${result.spooled} points spooled for the next start`}\n`);
    return undefined;
  }

  /** carbon.conf's [relay] section (or the embedded default) with the command-line overrides. */
  private settingsFrom(flags: RelayFlags): RelaySettings {
    let settings: RelaySettings = flags.config ? loadRelaySettings(flags.config) : embeddedRelayDefaults(process.cwd());
    if (flags['crelay-config']) settings.CRELAY_CONFIG = path.resolve(flags['crelay-config']);
    const crelayFile = crelayConfigPath(settings);
    if (crelayFile) settings = applyCRelayListeners(settings, loadCRelayConfig(crelayFile).listeners);
    if (flags.destinations) settings.DESTINATIONS = flags.destinations.split(',').map((d) => d.trim()).filter(Boolean);
    if (flags['replication-factor'] !== undefined) settings.REPLICATION_FACTOR = flags['replication-factor'];
    if (flags.diverse !== undefined) settings.DIVERSE_REPLICAS = flags.diverse;
    if (flags.hash) settings.ROUTER_HASH_TYPE = flags.hash;
    if (flags.protocol) settings.DESTINATION_PROTOCOL = flags.protocol;
    if (flags['line-port'] !== undefined) settings.LINE_RECEIVER_PORT = flags['line-port'];
    if (flags['pickle-port'] !== undefined) settings.PICKLE_RECEIVER_PORT = flags['pickle-port'];
    if (flags.udp) settings.ENABLE_UDP_LISTENER = true;
    if (flags['prometheus-port'] !== undefined) settings.PROMETHEUS_PORT = flags['prometheus-port'];
    if (flags['spool-dir']) settings.SPOOL_DIR = path.resolve(flags['spool-dir']);
    if (!settings.SPOOL_DIR) settings.SPOOL_DIR = path.resolve('data', 'spool');
    return settings;
  }
}
