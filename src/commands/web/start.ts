import { Flags } from '@oclif/core';
import cluster from 'node:cluster';
import os from 'node:os';
import path from 'node:path';
import { systemClock } from '../../lib/clock.js';
import { GphError } from '../../lib/errors.js';
import { WebServer } from '../../lib/web/web-server.js';
import { defaultWebSettings, loadLocalSettings } from '../../lib/web/web-settings.js';
import { daemonLogger, stopSignal } from '../../cli/daemon-lifecycle.js';
import { GphCommand } from '../../cli/gph-command.js';

export default class WebStart extends GphCommand {
  static summary = "Serve graphite-web's HTTP API (/render, /metrics/find, /functions, ...) over whisper files and live caches.";
  static description = `Grafana's Graphite data source, scripts using /render?format=json and <img src="/render?..."> tags work against it unchanged. Reads graphite-web's local_settings.py (--settings: WHISPER_DIR or STORAGE_DIR, CARBONLINK_HOSTS, CARBONLINK_HASHING_TYPE, CARBONLINK_TIMEOUT, DEFAULT_CACHE_DURATION, FIND_CACHE_DURATION, TIME_ZONE, GRAPHTEMPLATES_CONF, MEMCACHE_HOSTS, CLUSTER_SERVERS, FIND_TIMEOUT, FETCH_TIMEOUT, REMOTE_RETRY_DELAY); flags override it. With CLUSTER_SERVERS (--cluster-server), find, expand, index and render also ask those nodes with local=1 (graphite-web's cluster protocol, pickle or msgpack) and merge their metrics; a node that fails is left out for REMOTE_RETRY_DELAY seconds. Without either it serves ./data/whisper on 127.0.0.1:8080.

Logs one line per request (client, request, status, bytes, time). Stops on SIGTERM or SIGINT.`;
  static examples = [
    '<%= config.bin %> web start',
    '<%= config.bin %> web start --settings /etc/graphite/local_settings.py --port 8080 --bind 0.0.0.0',
    '<%= config.bin %> web start --storage-dir /var/lib/graphite/whisper --carbonlink 127.0.0.1:7002:a --cache-duration 0',
    '<%= config.bin %> web start --port 8081 --cluster-server 10.0.0.2:8080 --cluster-server 10.0.0.3:80',
  ];
  static flags = {
    settings: Flags.string({ summary: "graphite-web's local_settings.py to read." }),
    port: Flags.integer({ summary: 'HTTP port (0: any free port).', default: 8080, min: 0, max: 65535 }),
    bind: Flags.string({ summary: 'Address to listen on.', default: '127.0.0.1' }),
    'storage-dir': Flags.string({ summary: 'The whisper directory (WHISPER_DIR).' }),
    carbonlink: Flags.string({ summary: 'A carbon cache host:port[:instance] (CARBONLINK_HOSTS; repeatable).', multiple: true }),
    'carbonlink-hashing': Flags.string({ summary: 'CARBONLINK_HASHING_TYPE.', options: ['carbon_ch', 'fnv1a_ch'] }),
    'cache-duration': Flags.integer({ summary: 'Seconds a rendered response is reused (DEFAULT_CACHE_DURATION; 0 turns the response cache off).', min: 0 }),
    'max-renders': Flags.integer({ summary: 'Renders computed at once; more wait in line.', min: 1 }),
    tz: Flags.string({ summary: 'TIME_ZONE for requests without tz.' }),
    'graph-templates': Flags.string({ summary: 'graphTemplates.conf for template=.' }),
    memcache: Flags.string({ summary: 'A memcached host:port shared by several gph nodes for rendered responses (MEMCACHE_HOSTS; repeatable).', multiple: true }),
    'cluster-server': Flags.string({ summary: 'Another graphite-web or gph node (CLUSTER_SERVERS: host:port[?format=msgpack]; repeatable): find and render ask it with local=1 and merge its metrics.', multiple: true }),
    'log-file': Flags.string({ summary: 'Append the log here instead of stderr.' }),
    workers: Flags.integer({ summary: 'Server processes sharing the port (default: one per CPU core; 1 = a single process).', min: 1, max: 64 }),
  };

  async run(): Promise<unknown> {
    const { flags } = await this.parse(WebStart);
    let settings = defaultWebSettings(process.cwd());
    if (flags.settings) settings = loadLocalSettings(flags.settings, settings);
    if (flags['storage-dir']) settings.WHISPER_DIR = path.resolve(flags['storage-dir']);
    if (flags.carbonlink) settings.CARBONLINK_HOSTS = flags.carbonlink;
    if (flags['carbonlink-hashing']) settings.CARBONLINK_HASHING_TYPE = flags['carbonlink-hashing'] as 'carbon_ch' | 'fnv1a_ch';
    if (flags['cache-duration'] !== undefined) settings.DEFAULT_CACHE_DURATION = flags['cache-duration'];
    if (flags['max-renders'] !== undefined) settings.MAX_CONCURRENT_RENDERS = flags['max-renders'];
    if (flags.tz) settings.TIME_ZONE = flags.tz;
    if (flags['graph-templates']) settings.GRAPHTEMPLATES_CONF = path.resolve(flags['graph-templates']);
    if (flags.memcache) settings.MEMCACHE_HOSTS = flags.memcache;
    if (flags['cluster-server']) settings.CLUSTER_SERVERS = flags['cluster-server'];
    const logger = daemonLogger(flags['log-file'], false);
    const stopRequested = stopSignal(logger);
    const workers = flags.workers ?? os.availableParallelism();
    if (workers > 1 && cluster.isPrimary) return this.runPrimary(workers, flags.bind, settings, stopRequested, logger);
    const web = new WebServer({ settings, clock: systemClock, logger });
    let port: number;
    try {
      port = await web.listen(flags.port, flags.bind);
    } catch (error) {
      throw new GphError('WEB_LISTEN', `Cannot listen on ${flags.bind}:${flags.port}: ${(error as Error).message}`, { hint: 'Pick another --port, or stop what uses it', cause: error });
    }
    if (cluster.isWorker) {
      process.send?.({ listening: port });
      logger.info(`worker ${process.pid} received ${await stopRequested}`);
      await web.close();
      cluster.worker?.disconnect(); // the IPC channel to the primary would keep the worker alive
      return undefined;
    }
    const ready = { url: `http://${flags.bind}:${port}`, whisperDir: settings.WHISPER_DIR, carbonlink: settings.CARBONLINK_HOSTS };
    if (this.jsonEnabled()) process.stdout.write(`${JSON.stringify({ ready })}\n`);
    else this.print(`gph web ready: ${ready.url} serving ${settings.WHISPER_DIR}${settings.CARBONLINK_HOSTS.length ? ` + caches ${settings.CARBONLINK_HOSTS.join(', ')}` : ''}\n`);
    logger.info(`received ${await stopRequested}`);
    await web.close();
    if (this.jsonEnabled()) return { stopped: { requests: web.requests } };
    this.print(`gph web stopped after ${web.requests} requests\n`);
    return undefined;
  }

  /** Forks `count` workers that share the port (node:cluster), announces once all listen, stops them on a signal. */
  private async runPrimary(count: number, bind: string, settings: { WHISPER_DIR: string; CARBONLINK_HOSTS: string[] }, stopRequested: Promise<string>, logger: ReturnType<typeof daemonLogger>): Promise<unknown> {
    const ports = await Promise.all(
      Array.from(
        { length: count },
        () =>
          new Promise<number>((resolve, reject) => {
            const worker = cluster.fork();
            worker.once('message', (message: { listening?: number }) => (message.listening === undefined ? undefined : resolve(message.listening)));
            worker.once('exit', (code) => reject(new GphError('WEB_LISTEN', `A web worker exited while starting (status ${code})`, { hint: 'Run with --workers 1 to see its error' })));
          }),
      ),
    );
    const ready = { url: `http://${bind}:${ports[0]}`, whisperDir: settings.WHISPER_DIR, carbonlink: settings.CARBONLINK_HOSTS, workers: count };
    if (this.jsonEnabled()) process.stdout.write(`${JSON.stringify({ ready })}\n`);
    else this.print(`gph web ready: ${ready.url} serving ${settings.WHISPER_DIR} with ${count} workers\n`);
    logger.info(`received ${await stopRequested}`);
    const exits = Object.values(cluster.workers ?? {}).map((worker) => new Promise<void>((resolve) => (worker!.isDead() ? resolve() : worker!.once('exit', () => resolve()))));
    for (const worker of Object.values(cluster.workers ?? {})) worker?.kill('SIGTERM');
    await Promise.all(exits);
    if (this.jsonEnabled()) return { stopped: { workers: count } };
    this.print('gph web stopped\n');
    return undefined;
  }
}
