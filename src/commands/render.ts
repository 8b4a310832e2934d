import { Args, Flags } from '@oclif/core';
import fs from 'node:fs';
import path from 'node:path';
import { GphError } from '../lib/errors.js';
import { CarbonlinkPool, parseCarbonlinkHost } from '../lib/carbon/carbonlink/carbonlink-client.js';
import { render } from '../lib/render/render-request.js';
import { formatSeries } from '../lib/render/output/format-series.js';
import { DATA_FORMATS, type DataFormat } from '../lib/render/output/render-output.js';
import { functionCatalog, signature } from '../lib/render/output/function-catalog.js';
import { allFunctions } from '../lib/render/functions/index.js';
import { GphCommand } from '../cli/gph-command.js';
import { terminalChart } from '../cli/render-terminal.js';

const FORMATS = [...DATA_FORMATS, 'terminal'] as const;

export default class Render extends GphCommand {
  static summary = "Evaluate graphite targets over whisper files (and live caches) and print graphite-web's json, csv, raw or a terminal chart.";
  static description = `Targets use graphite's language: metric paths with globs, nested functions, pipes and template(). Times use graphite's at-time syntax (-1d, now-90min, 23:00_20231231, midnight, epoch seconds). Data comes from --storage-dir (default ./data/whisper, where \`gph cache start\` writes), merged with unwritten points from the carbon caches given with --carbonlink (gph's or carbon's; several choose by carbon's hash ring).

The output is byte-for-byte what graphite-web's /render?format=... answers, so scripts written for graphite-web parse it. On a terminal the default is a chart; when piped, json.`;
  static examples = [
    "<%= config.bin %> render 'sumSeries(products.*.salesPerMinute)' --from -1d",
    "<%= config.bin %> render 'servers.*.cpuUsage|highestAverage(3)' --format csv -o cpu.csv",
    "<%= config.bin %> render 'movingAverage(app.login.hits,\"15min\")' --storage-dir /var/lib/graphite/whisper --carbonlink 127.0.0.1:7002:a",
    "<%= config.bin %> render 'template(products.$p.salesPerMinute)' --template p=a --max-data-points 100 --json",
    '<%= config.bin %> render --list-functions',
  ];
  static strict = false;
  static args = { target: Args.string({ description: 'A graphite target (repeatable: every argument is one target)' }) };
  static flags = {
    from: Flags.string({ summary: 'Start of the range (at-time syntax).', default: '-1d' }),
    until: Flags.string({ summary: 'End of the range (at-time syntax).', default: 'now' }),
    tz: Flags.string({ summary: 'Time zone for absolute times and CSV/chart timestamps (IANA name).', default: 'UTC' }),
    format: Flags.string({ char: 'f', summary: 'Output format (default: terminal on a terminal, else json).', options: [...FORMATS] }),
    output: Flags.string({ char: 'o', summary: 'Write to this file instead of stdout (format from the extension: .json .csv .txt .pickle).' }),
    'max-data-points': Flags.integer({ summary: 'Consolidate each series to at most about this many points (json).', min: 1 }),
    xff: Flags.string({ summary: 'xFilesFactor for consolidation and aggregation (0..1).' }),
    template: Flags.string({ summary: 'Template value NAME=VALUE for template() targets (repeatable).', multiple: true }),
    'storage-dir': Flags.string({ summary: 'The whisper directory to read (default ./data/whisper).' }),
    carbonlink: Flags.string({ summary: 'A carbon cache to ask for unwritten points: host:port[:instance] (repeatable).', multiple: true }),
    'carbonlink-hashing': Flags.string({ summary: 'Hash type choosing among several caches.', options: ['carbon_ch', 'fnv1a_ch'], default: 'carbon_ch' }),
    'no-null-points': Flags.boolean({ summary: 'json: drop null points (and series left empty).' }),
    pretty: Flags.boolean({ summary: 'json: indent by 2.' }),
    lenient: Flags.boolean({ summary: 'Ignore unparsable trailing text as graphite-web does (warned on stderr).' }),
    height: Flags.integer({ summary: 'terminal: chart height in rows.', default: 15, min: 2 }),
    color: Flags.boolean({ summary: 'terminal: colours (--no-color for plain text).', allowNo: true, default: true }),
    'list-functions': Flags.boolean({ summary: 'List the render functions with their groups and parameters (--json: as graphite-web /functions).' }),
  };

  async run(): Promise<unknown> {
    const { argv, flags } = await this.parse(Render);
    if (flags['list-functions']) return this.listFunctions();
    const targets = argv as string[];
    if (targets.length === 0) throw new GphError('USAGE', 'No target given', { hint: "Give one or more targets, e.g. gph render 'sumSeries(servers.*.cpu)'" });
    const format = this.pickFormat(flags.format, flags.output);
    const explicitStorage = flags['storage-dir'];
    const storageDir = path.resolve(explicitStorage ?? 'data/whisper');
    if (!fs.existsSync(storageDir)) {
      throw new GphError('RENDER_NO_STORAGE', `No whisper directory at ${storageDir}`, { hint: 'Give --storage-dir, or start `gph cache start` here first so ./data/whisper exists' });
    }
    const hosts = (flags.carbonlink ?? []).map(parseCarbonlinkHost);
    const carbonlink = hosts.length ? new CarbonlinkPool(hosts, { hashType: flags['carbonlink-hashing'] as 'carbon_ch' | 'fnv1a_ch' }) : undefined;
    const template = Object.fromEntries(
      (flags.template ?? []).map((t) => {
        const eq = t.indexOf('=');
        if (eq <= 0) throw new GphError('USAGE', `Invalid --template "${t}"`, { hint: 'Write --template NAME=VALUE' });
        return [t.slice(0, eq), t.slice(eq + 1)];
      }),
    );
    const xFilesFactor = flags.xff === undefined ? undefined : Number(flags.xff);
    if (xFilesFactor !== undefined && !(xFilesFactor >= 0 && xFilesFactor <= 1)) throw new GphError('USAGE', `Invalid --xff "${flags.xff}"`, { hint: 'Give a number from 0 to 1' });
    const result = await render(
      { targets, from: flags.from, until: flags.until, now: flags.now, tz: flags.tz, xFilesFactor, template, strict: !flags.lenient },
      { storageDir, carbonlink },
    );
    for (const warning of result.warnings) process.stderr.write(`warning: ${warning}\n`);
    if (result.series.length === 0) process.stderr.write(`note: no series matched ${targets.map((t) => `"${t}"`).join(', ')} (graphite-web answers [] too)\n`);
    const body =
      format === 'terminal'
        ? terminalChart(result.series, { width: process.stdout.columns ?? 100, height: flags.height, color: flags.color && !flags.output, tz: result.tz, startTime: result.startTime, endTime: result.endTime })
        : formatSeries(result.series, format, { tz: result.tz, maxDataPoints: flags['max-data-points'], noNullPoints: flags['no-null-points'], pretty: flags.pretty });
    const text = typeof body === 'string' && (format === 'json') ? `${body}\n` : body;
    if (flags.output) fs.writeFileSync(flags.output, text);
    else if (typeof text === 'string') this.print(text);
    else process.stdout.write(text);
    return undefined;
  }

  private pickFormat(format: string | undefined, output: string | undefined): DataFormat | 'terminal' {
    if (this.jsonEnabled()) return 'json';
    if (format) return format as DataFormat | 'terminal';
    if (output) {
      const ext = path.extname(output).toLowerCase();
      const byExt: Record<string, DataFormat> = { '.json': 'json', '.csv': 'csv', '.txt': 'raw', '.raw': 'raw', '.pickle': 'pickle', '.pkl': 'pickle' };
      if (byExt[ext]) return byExt[ext];
      if (['.png', '.svg', '.pdf'].includes(ext)) throw new GphError('RENDER_UNSUPPORTED', `Cannot write ${ext.slice(1).toUpperCase()} yet: charts are not built`, { hint: 'Use .json, .csv or .txt, or --format terminal' });
      throw new GphError('USAGE', `Cannot tell the format of "${output}"`, { hint: `Give --format (${FORMATS.join(', ')})` });
    }
    return process.stdout.isTTY ? 'terminal' : 'json';
  }

  private listFunctions(): unknown {
    if (this.jsonEnabled()) return functionCatalog();
    const byGroup = new Map<string, string[]>();
    for (const fn of allFunctions()) {
      const list = byGroup.get(fn.group) ?? [];
      list.push(`  ${signature(fn)}${fn.aliasOf ? `  (alias of ${fn.aliasOf})` : ''}\n      ${fn.description}`);
      byGroup.set(fn.group, list);
    }
    for (const [group, lines] of [...byGroup].sort()) this.print(`${group} (${lines.length})\n${lines.join('\n')}\n\n`);
    return undefined;
  }
}
