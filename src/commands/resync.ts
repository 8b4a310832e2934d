import { Args, Flags } from '@oclif/core';
import path from 'node:path';
import { systemClock } from '../lib/clock.js';
import { GphError } from '../lib/errors.js';
import { resync } from '../lib/cluster/resync.js';
import { listMetrics } from '../lib/cluster/node-store.js';
import { matchEntries } from '../lib/render/glob.js';
import { parseATTime } from '../lib/render/at-time.js';
import { clusterFlags, clusterFrom } from '../cli/cluster-flags.js';
import { GphCommand } from '../cli/gph-command.js';
import { startProgress } from '../cli/progress.js';
import { readNames, splitNames } from '../cli/read-names.js';

export default class Resync extends GphCommand {
  static summary = "Repair a node's replicas: fill the gaps of every metric it owns from the peers that own it too.";
  static description = `Known points are never overwritten (fill semantics) unless --overwrite; a metric the node lacks is copied whole. Peers are read from local or mounted directories, or from gph nodes over HTTP (gph web serves /gph/whisper). A cut download, a corrupt peer file or (with --overwrite) a schema mismatch is reported and leaves the local file alone.

Progress is recorded in --state (default .gph-resync-NODE.state in the working directory): run the same command again after an interruption and it continues where it stopped. The file is removed when a run finishes without failures.`;
  static examples = [
    '<%= config.bin %> resync --cluster cluster.conf --node 10.0.0.2:a',
    '<%= config.bin %> resync --cluster cluster.conf --node 10.0.0.2:a --from -6h --until -1h --lock',
    '<%= config.bin %> resync --cluster cluster.conf --node 10.0.0.2:a --glob "servers.*.cpu" --dry-run --json',
    '<%= config.bin %> ring list --cluster cluster.conf 10.0.0.1:a | <%= config.bin %> resync --cluster cluster.conf --node 10.0.0.2:a --stdin',
  ];
  static strict = false;
  static args = { metric: Args.string({ description: 'metric name(s) to repair (default: all the node owns)', ignoreStdin: true }) };
  static flags = {
    ...clusterFlags,
    node: Flags.string({ summary: 'The node to repair (server:instance); it needs a local or mounted data directory.', required: true }),
    stdin: Flags.boolean({ summary: 'Read metric names from stdin (one per line).' }),
    glob: Flags.string({ summary: 'Only metrics matching this graphite glob (e.g. servers.*.cpu).' }),
    from: Flags.string({ summary: 'Only fill gaps after this time (at-time syntax, e.g. -6h).' }),
    until: Flags.string({ summary: 'Only fill gaps up to this time (at-time syntax).' }),
    overwrite: Flags.boolean({ summary: "Overwrite known local points with the peer's (merge; needs the same archives)." }),
    'dry-run': Flags.boolean({ summary: 'Count what would be copied and filled; change nothing.' }),
    parallel: Flags.integer({ summary: 'Metrics worked on at once.', default: 4, min: 1, max: 64 }),
    'max-per-second': Flags.integer({ summary: 'At most this many metrics per second.', min: 1 }),
    lock: Flags.boolean({ summary: 'Take whisper\'s flock while writing (cooperates with a running carbon-cache or gph cache).' }),
    state: Flags.string({ summary: 'The resume file.' }),
    restart: Flags.boolean({ summary: 'Ignore the resume file and start over.' }),
  };

  async run(): Promise<unknown> {
    const { argv, flags } = await this.parse(Resync);
    const cluster = clusterFrom(flags);
    const local = cluster.node(flags.node);
    const clock = this.clockFrom(flags.now);
    const now = clock.now();
    let metrics: string[] | undefined = (argv as string[]).length ? splitNames(argv as string[]) : flags.stdin ? await readNames() : undefined;
    if (flags.glob) {
      metrics ??= [...new Set((await Promise.all(cluster.nodes.filter((n) => n.data).map((n) => listMetrics(n.data!)))).flat())].sort();
      const glob = flags.glob.split('.');
      metrics = metrics.filter((m) => {
        const parts = m.split('.');
        return parts.length === glob.length && parts.every((p, i) => matchEntries([p], glob[i]).length === 1);
      });
    }
    const statePath = flags.state ?? path.resolve(`.gph-resync-${local.name.replace(/[^\w.-]/g, '_')}.state`);
    if (flags.restart) (await import('node:fs')).rmSync(statePath, { force: true });
    const from = flags.from ? parseATTime(flags.from, 'UTC', now) : undefined;
    const until = flags.until ? parseATTime(flags.until, 'UTC', now) : undefined;
    if (from !== undefined && until !== undefined && from >= until) throw new GphError('USAGE', '--from must be before --until', { hint: 'e.g. --from -6h --until -1h' });
    let progress: ReturnType<typeof startProgress> | undefined;
    const report = await resync({
      cluster,
      local,
      metrics,
      from,
      until,
      overwrite: flags.overwrite,
      dryRun: flags['dry-run'],
      parallel: flags.parallel,
      maxPerSecond: flags['max-per-second'],
      lock: flags.lock,
      statePath,
      clock: flags.now ? clock : systemClock,
      pace: systemClock,
      onProgress: (_done, total, metric) => {
        progress ??= startProgress(total, `resync ${local.name}`, !this.jsonEnabled());
        progress.tick(metric);
      },
    });
    (progress as ReturnType<typeof startProgress> | undefined)?.stop();
    if (report.failures.length) process.exitCode = 1;
    if (this.jsonEnabled()) return report;
    this.print(
      `${report.dryRun ? 'dry run: would have ' : ''}resynced ${report.node}: ${report.metrics} metrics owned, ${report.copied} copied, ${report.filled} filled with ${report.pointsAdded} points` +
        `${report.resumed ? `, ${report.resumed} done in an earlier run` : ''}, ${report.failures.length} failures\n`,
    );
    for (const f of report.failures) this.print(`failed\t${f.metric}\t${f.peer ?? ''}\t${f.reason}\n`);
    return undefined;
  }
}
