import { Flags } from '@oclif/core';
import path from 'node:path';
import { systemClock } from '../../lib/clock.js';
import { CacheDaemon } from '../../lib/carbon/cache-daemon.js';
import { type CacheSettings, embeddedDefaults, loadCacheSettings } from '../../lib/carbon/config/cache-settings.js';
import { daemonLogger, stopSignal } from '../../cli/daemon-lifecycle.js';
import { GphCommand } from '../../cli/gph-command.js';

const port = (summary: string) => Flags.integer({ summary, min: -1, max: 65535 });

export default class CacheStart extends GphCommand {
  static summary = 'Run a carbon-cache: receive points over TCP/UDP/pickle, cache them, write whisper files, answer carbonlink.';
  static description = `Reads the [cache] section of your carbon.conf (--config) and the storage-schemas.conf and storage-aggregation.conf beside it, exactly as carbon-cache does. Without --config it runs on an embedded default: data in ./data/whisper, listeners on 127.0.0.1 (line 2003, pickle 2004, cache query 7002), Debian's default schemas.

Stops cleanly on SIGTERM or SIGINT: it reads what connected clients already sent and writes every cached point before it exits. Logs go to stderr, to --log-file, or with --log-dir to carbon's files (console.log, creates.log, updates.log, listener.log, query.log).`;
  static examples = [
    '<%= config.bin %> cache start',
    '<%= config.bin %> cache start --config /etc/carbon/carbon.conf --instance a',
    '<%= config.bin %> cache start --line-port 0 --pickle-port 0 --cache-query-port 0 --json   # ephemeral ports, printed as JSON',
    '<%= config.bin %> cache start --data-dir /srv/whisper --udp --prometheus-port 9108',
  ];
  static flags = {
    config: Flags.string({ char: 'c', summary: 'carbon.conf to read (its [cache] section).', env: 'GPH_CARBON_CONF' }),
    instance: Flags.string({ summary: 'Instance name, as carbon-cache --instance.', default: 'a' }),
    'data-dir': Flags.string({ summary: 'Where the whisper files go (overrides LOCAL_DATA_DIR).' }),
    'line-port': port('Plaintext TCP port (0: any free port, -1: off).'),
    'pickle-port': port('Pickle TCP port (0: any free port, -1: off).'),
    'cache-query-port': port('Carbonlink port (0: any free port, -1: off).'),
    udp: Flags.boolean({ summary: 'Also receive plaintext over UDP (ENABLE_UDP_LISTENER).' }),
    'udp-port': port('UDP port (default: UDP_RECEIVER_PORT).'),
    'prometheus-port': port('Serve Prometheus /metrics on this port (0: any free port).'),
    journal: Flags.string({ summary: 'Write-ahead journal of received points: off, batch (fsync each second) or always (fsync each read).', options: ['off', 'batch', 'always'] }),
    'max-updates-per-second': Flags.string({ summary: 'MAX_UPDATES_PER_SECOND (a number or inf).' }),
    'log-file': Flags.string({ summary: 'Append the log here instead of stderr.' }),
    'log-dir': Flags.string({ summary: "Log into carbon's files in this directory (console.log, creates.log, updates.log, listener.log, query.log), as carbon's --logdir.", exclusive: ['log-file'] }),
    debug: Flags.boolean({ summary: 'Log every write and query.' }),
  };

  async run(): Promise<unknown> {
    const { flags } = await this.parse(CacheStart);
    const settings: CacheSettings = flags.config ? loadCacheSettings(flags.config) : embeddedDefaults(process.cwd());
    if (flags['data-dir']) settings.LOCAL_DATA_DIR = path.resolve(flags['data-dir']);
    if (flags['line-port'] !== undefined) settings.LINE_RECEIVER_PORT = flags['line-port'];
    if (flags['pickle-port'] !== undefined) settings.PICKLE_RECEIVER_PORT = flags['pickle-port'];
    if (flags['cache-query-port'] !== undefined) settings.CACHE_QUERY_PORT = flags['cache-query-port'];
    if (flags.udp) settings.ENABLE_UDP_LISTENER = true;
    if (flags['udp-port'] !== undefined) settings.UDP_RECEIVER_PORT = flags['udp-port'];
    if (flags['prometheus-port'] !== undefined) settings.PROMETHEUS_PORT = flags['prometheus-port'];
    if (flags.journal) settings.CACHE_JOURNAL = flags.journal as CacheSettings['CACHE_JOURNAL'];
    if (flags['max-updates-per-second']) settings.MAX_UPDATES_PER_SECOND = flags['max-updates-per-second'] === 'inf' ? Infinity : Number(flags['max-updates-per-second']);
    if (flags.debug) Object.assign(settings, { LOG_UPDATES: true, LOG_CACHE_HITS: true });
    const clock = systemClock; // a daemon runs on real time; --now does not apply
    const logger = daemonLogger(flags['log-file'], flags.debug, flags['log-dir']);
    const stopRequested = stopSignal(logger);
    process.on('SIGHUP', () => logger.info('received SIGHUP: ignored (carbon-cache ignores it too; storage rules reload by themselves)'));
    const daemon = new CacheDaemon({ settings, clock, logger, instance: flags.instance });
    const ports = await daemon.start();
    const ready = { instance: flags.instance, dataDir: settings.LOCAL_DATA_DIR, ports };
    if (this.jsonEnabled()) process.stdout.write(`${JSON.stringify({ ready })}\n`);
    else this.print(`gph cache ${flags.instance} ready: ${Object.entries(ports).map(([k, v]) => `${k} ${v}`).join(', ')}; data in ${settings.LOCAL_DATA_DIR}\n`);
    logger.info(`received ${await stopRequested}`);
    let stopped: number;
    try {
      stopped = await daemon.stop();
    } catch (error) {
      logger.error(`shutdown failed: ${(error as Error).stack}`);
      throw error;
    }
    if (this.jsonEnabled()) return { stopped: { flushedPoints: stopped, leftInCache: daemon.cache.size } };
    this.print(`gph cache ${flags.instance} stopped: ${stopped} points written on shutdown\n`);
    return undefined;
  }
}
