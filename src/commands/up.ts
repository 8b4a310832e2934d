import { Flags } from '@oclif/core';
import path from 'node:path';
import { systemClock } from '../lib/clock.js';
import { GphError } from '../lib/errors.js';
import { CacheDaemon } from '../lib/carbon/cache-daemon.js';
import { embeddedDefaults } from '../lib/carbon/config/cache-settings.js';
import { embeddedRelayDefaults } from '../lib/carbon/config/relay-settings.js';
import { RelayDaemon } from '../lib/carbon/relay/relay-daemon.js';
import { WebServer } from '../lib/web/web-server.js';
import { defaultWebSettings } from '../lib/web/web-settings.js';
import { daemonLogger, stopSignal } from '../cli/daemon-lifecycle.js';
import { GphCommand } from '../cli/gph-command.js';

const port = (summary: string, dflt: number) => Flags.integer({ summary, default: dflt, min: 0, max: 65535 });

export default class Up extends GphCommand {
  static summary = 'Run a whole single-node Graphite: carbon-cache and graphite-web API in one process, on an embedded default.';
  static description = `Data goes to ./data/whisper (or --data-dir) with Debian's default storage schemas; the cache listens on 127.0.0.1 for plaintext (2003), pickle (2004) and carbonlink (7002), and the web API on 8080 asks the cache for points not yet on disk, so graphs are real-time. Ctrl-C (SIGINT) or SIGTERM stops both and writes every cached point first.`;
  static examples = [
    '<%= config.bin %> up',
    'echo "test.hello 42 $(date +%s)" > /dev/tcp/127.0.0.1/2003; curl "http://127.0.0.1:8080/render?target=test.hello&from=-5min&format=json"',
    '<%= config.bin %> up --data-dir /srv/whisper --web-port 8081 --json',
  ];
  static flags = {
    'data-dir': Flags.string({ summary: 'Where the whisper files go (default ./data/whisper).' }),
    'line-port': port('Plaintext TCP port (0: any free port).', 2003),
    'pickle-port': port('Pickle TCP port (0: any free port).', 2004),
    'cache-query-port': port('Carbonlink port (0: any free port).', 7002),
    'web-port': port('HTTP port of the web API (0: any free port).', 8080),
    relay: Flags.boolean({ summary: 'Also run a carbon relay in front of the cache (line 2013, pickle 2014), forwarding over pickle.' }),
    'relay-line-port': port('The relay\'s plaintext port (0: any free port).', 2013),
    'relay-pickle-port': port('The relay\'s pickle port (0: any free port).', 2014),
    'log-file': Flags.string({ summary: 'Append the log here instead of stderr.' }),
  };

  async run(): Promise<unknown> {
    const { flags } = await this.parse(Up);
    const logger = daemonLogger(flags['log-file'], false);
    const stopRequested = stopSignal(logger);
    const cacheSettings = { ...embeddedDefaults(process.cwd()), LINE_RECEIVER_PORT: flags['line-port'], PICKLE_RECEIVER_PORT: flags['pickle-port'], CACHE_QUERY_PORT: flags['cache-query-port'] };
    if (flags['data-dir']) cacheSettings.LOCAL_DATA_DIR = path.resolve(flags['data-dir']);
    const cache = new CacheDaemon({ settings: cacheSettings, clock: systemClock, logger });
    const ports = await cache.start();
    let relay: RelayDaemon | undefined;
    let relayPorts: { line?: number; pickle?: number } = {};
    if (flags.relay) {
      const relaySettings = { ...embeddedRelayDefaults(process.cwd()), DESTINATIONS: [`127.0.0.1:${ports.pickle}:a`], LINE_RECEIVER_PORT: flags['relay-line-port'], PICKLE_RECEIVER_PORT: flags['relay-pickle-port'] };
      relay = new RelayDaemon({ settings: relaySettings, clock: systemClock, logger, instance: 'a' });
      relayPorts = await relay.start();
    }
    const webSettings = { ...defaultWebSettings(process.cwd()), WHISPER_DIR: cacheSettings.LOCAL_DATA_DIR, CARBONLINK_HOSTS: [`127.0.0.1:${ports.cacheQuery}:a`], DEFAULT_CACHE_DURATION: 0 };
    const web = new WebServer({ settings: webSettings, clock: systemClock, logger });
    let webPort: number;
    try {
      webPort = await web.listen(flags['web-port']);
    } catch (error) {
      await cache.stop();
      throw new GphError('WEB_LISTEN', `Cannot listen on 127.0.0.1:${flags['web-port']}: ${(error as Error).message}`, { hint: 'Pick another --web-port, or stop what uses it', cause: error });
    }
    const ready = { dataDir: cacheSettings.LOCAL_DATA_DIR, line: ports.line, pickle: ports.pickle, cacheQuery: ports.cacheQuery, web: `http://127.0.0.1:${webPort}`, ...(relay ? { relayLine: relayPorts.line, relayPickle: relayPorts.pickle } : {}) };
    if (this.jsonEnabled()) process.stdout.write(`${JSON.stringify({ ready })}\n`);
    else {
      this.print(
        [
          `gph up: a single-node Graphite is running (data in ${ready.dataDir})`,
          `  carbon plaintext  127.0.0.1:${ready.line}    pickle 127.0.0.1:${ready.pickle}    carbonlink 127.0.0.1:${ready.cacheQuery}`,
          `  graphite-web API  ${ready.web}   (/render, /metrics/find, /functions)`,
          ...(relay ? [`  carbon relay      plaintext 127.0.0.1:${relayPorts.line}    pickle 127.0.0.1:${relayPorts.pickle}  -> the cache`] : []),
          '',
          'Send a point and graph it:',
          `  echo "test.hello 42 $(date +%s)" > /dev/tcp/127.0.0.1/${ready.line}`,
          `  curl '${ready.web}/render?target=test.hello&from=-5min&format=json'`,
          `  open '${ready.web}/render?target=test.hello&from=-1h&width=800&height=400'`,
          'Ctrl-C stops it and writes every cached point first.',
          '',
        ].join('\n'),
      );
    }
    logger.info(`received ${await stopRequested}`);
    await relay?.stop(); // first, so what it holds reaches the cache before the cache flushes
    await web.close();
    const flushed = await cache.stop();
    if (this.jsonEnabled()) return { stopped: { flushedPoints: flushed, requests: web.requests } };
    this.print(`gph up stopped: ${flushed} points written on shutdown, ${web.requests} web requests served\n`);
    return undefined;
  }
}
