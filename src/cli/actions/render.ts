/**
 * `gph render`: the action behind the command (shared by oclif and the start-up fast path, so a
 * render starts without loading oclif). Parses the flags, runs one render, writes one format.
 */
import fs from 'node:fs';
import path from 'node:path';
import { GphError } from '../../lib/errors.js';
import { render } from '../../lib/render/render-request.js';
import { formatSeries } from '../../lib/render/output/format-series.js';
import { DATA_FORMATS } from '../../lib/render/output/render-output.js';
import { functionCatalog, signature } from '../../lib/render/output/function-catalog.js';
import { allFunctions } from '../../lib/render/functions/index.js';
import type { ActionContext, CommandAction } from '../command-spec.js';

const FORMATS = [...DATA_FORMATS, 'png', 'svg', 'pdf', 'terminal'] as const;
type Format = (typeof FORMATS)[number];
const BY_EXTENSION: Record<string, Format> = { '.json': 'json', '.csv': 'csv', '.txt': 'raw', '.raw': 'raw', '.pickle': 'pickle', '.pkl': 'pickle', '.png': 'png', '.svg': 'svg', '.pdf': 'pdf' };

function pickFormat(format: string | undefined, output: string | undefined, json: boolean): Format {
  const byExtension = output === undefined ? undefined : BY_EXTENSION[path.extname(output).toLowerCase()];
  if (json) {
    // --json is --format json: writing json into "chart.png" is never what was meant.
    if (format !== undefined && format !== 'json') throw new GphError('USAGE', `--json asks for json but --format asks for ${format}`, { hint: 'Give one of them' });
    if (format === undefined && byExtension !== undefined && byExtension !== 'json') throw new GphError('USAGE', `--json asks for json but "${output}" is named for ${byExtension}`, { hint: 'Drop --json, or name the file .json' });
    return 'json';
  }
  if (format) return format as Format;
  if (output) {
    if (byExtension) return byExtension;
    throw new GphError('USAGE', `Cannot tell the format of "${output}"`, { hint: `Give --format (${FORMATS.join(', ')})` });
  }
  return process.stdout.isTTY ? 'terminal' : 'json';
}

function positiveInt(name: string, text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1) throw new GphError('USAGE', `Invalid --${name} "${text}"`, { hint: `Give --${name} as a whole number of 1 or more` });
  return n;
}

function templateValues(entries: readonly string[]): Record<string, string> {
  return Object.fromEntries(
    entries.map((entry) => {
      const eq = entry.indexOf('=');
      if (eq <= 0) throw new GphError('USAGE', `Invalid --template "${entry}"`, { hint: 'Write --template NAME=VALUE' });
      return [entry.slice(0, eq), entry.slice(eq + 1)];
    }),
  );
}

function listFunctions(context: ActionContext): unknown {
  if (context.json) return functionCatalog();
  const byGroup = new Map<string, string[]>();
  for (const fn of allFunctions()) {
    const lines = byGroup.get(fn.group) ?? [];
    lines.push(`  ${signature(fn)}${fn.aliasOf ? `  (alias of ${fn.aliasOf})` : ''}\n      ${fn.description}`);
    byGroup.set(fn.group, lines);
  }
  for (const [group, lines] of [...byGroup].sort()) context.print(`${group} (${lines.length})\n${lines.join('\n')}\n\n`);
  return undefined;
}

const list = (value: unknown): string[] => (value === undefined ? [] : ([value].flat() as string[]));

export const renderAction: CommandAction = {
  referenceTool: 'graphite-web',
  flags: {
    from: { type: 'string', summary: 'Start of the range, in at-time syntax (default -1d).' },
    until: { type: 'string', summary: 'End of the range, in at-time syntax (default now).' },
    tz: { type: 'string', summary: 'Time zone for absolute times and CSV/chart timestamps (IANA name, default UTC).' },
    format: { type: 'string', char: 'f', summary: 'Output format (default: terminal on a terminal, else json).', options: FORMATS },
    output: { type: 'string', char: 'o', summary: 'Write to this file instead of stdout (format from the extension: .json .csv .txt .pickle .png .svg .pdf).' },
    'max-data-points': { type: 'string', summary: 'json: consolidate each series to at most about this many points.' },
    xff: { type: 'string', summary: 'xFilesFactor for consolidation and aggregation (0..1, default 0).' },
    template: { type: 'string', multiple: true, summary: 'A value NAME=VALUE for template() targets (repeatable).' },
    'storage-dir': { type: 'string', summary: 'The whisper directory to read (default ./data/whisper, where `gph cache start` writes).' },
    carbonlink: { type: 'string', multiple: true, summary: 'A carbon cache to ask for unwritten points: host:port[:instance] (repeatable).' },
    'carbonlink-hashing': { type: 'string', summary: 'Hash type choosing among several caches (carbon_ch or fnv1a_ch).', options: ['carbon_ch', 'fnv1a_ch'] },
    'no-null-points': { type: 'boolean', summary: 'json: drop null points (and series left empty).' },
    pretty: { type: 'boolean', summary: 'json: indent by 2.' },
    lenient: { type: 'boolean', summary: 'Ignore unparsable trailing text as graphite-web does (warned on stderr).' },
    height: { type: 'string', summary: 'terminal: chart height in rows (default 15).' },
    color: { type: 'boolean', allowNo: true, summary: 'terminal: colours (--no-color for plain text).' },
    param: { type: 'string', char: 'p', multiple: true, summary: "png/svg/pdf: a graph option NAME=VALUE with graphite-web's names, e.g. -p areaMode=stacked -p yMin=0 (repeatable)." },
    width: { type: 'string', summary: 'png/svg/pdf: image width in pixels (default 330).' },
    'image-height': { type: 'string', summary: 'png/svg/pdf: image height in pixels (default 250).' },
    title: { type: 'string', summary: 'png/svg/pdf: chart title.' },
    'graph-templates': { type: 'string', summary: 'png/svg/pdf: a graphTemplates.conf for -p template=NAME.' },
    'list-functions': { type: 'boolean', summary: 'List the render functions with their groups and parameters (--json: as graphite-web /functions).' },
  },
  async run(targets, flags, context) {
    if (flags['list-functions']) return listFunctions(context);
    if (targets.length === 0) throw new GphError('USAGE', 'No target given', { hint: "Give one or more targets, e.g. gph render 'sumSeries(servers.*.cpu)'" });
    const output = flags.output as string | undefined;
    const format = pickFormat(flags.format as string | undefined, output, context.json);
    const storageDir = path.resolve((flags['storage-dir'] as string | undefined) ?? 'data/whisper');
    if (!fs.existsSync(storageDir)) {
      throw new GphError('RENDER_NO_STORAGE', `No whisper directory at ${storageDir}`, { hint: 'Give --storage-dir, or run `gph cache start` here first so ./data/whisper exists' });
    }
    let carbonlink;
    if (flags.carbonlink !== undefined) {
      // Loaded only when asked for: it brings node:net and node:crypto, which slow start-up.
      const { CarbonlinkPool, parseCarbonlinkHost } = await import('../../lib/carbon/carbonlink/carbonlink-client.js');
      const hashType = ((flags['carbonlink-hashing'] as string | undefined) ?? 'carbon_ch') as 'carbon_ch' | 'fnv1a_ch';
      carbonlink = new CarbonlinkPool(list(flags.carbonlink).map(parseCarbonlinkHost), { hashType });
    }
    const xff = flags.xff === undefined ? undefined : Number(flags.xff);
    if (xff !== undefined && !(xff >= 0 && xff <= 1)) throw new GphError('USAGE', `Invalid --xff "${flags.xff}"`, { hint: 'Give a number from 0 to 1' });
    const maxDataPoints = positiveInt('max-data-points', flags['max-data-points'] as string | undefined);
    const height = positiveInt('height', flags.height as string | undefined) ?? 15;
    const request = {
      targets,
      from: (flags.from as string | undefined) ?? '-1d',
      until: (flags.until as string | undefined) ?? 'now',
      tz: (flags.tz as string | undefined) ?? 'UTC',
      xFilesFactor: xff,
      template: templateValues(list(flags.template)),
      strict: !flags.lenient,
    };
    const result = await render(request, { storageDir, carbonlink, clock: context.clock });
    for (const warning of result.warnings) process.stderr.write(`warning: ${warning}\n`);
    if (result.series.length === 0) process.stderr.write(`note: no series matched ${targets.map((t) => `"${t}"`).join(', ')} (graphite-web answers [] too)\n`);
    let body: string | Buffer;
    if (format === 'png' || format === 'svg' || format === 'pdf') {
      const { renderChart } = await import('../../lib/render/chart/render-chart.js');
      const { parseGraphOptions } = await import('../../lib/render/chart/graph-options.js');
      const pairs: Array<[string, string]> = list(flags.param).map((p) => {
        const eq = p.indexOf('=');
        if (eq <= 0) throw new GphError('USAGE', `Invalid --param "${p}"`, { hint: 'Write -p NAME=VALUE, e.g. -p areaMode=stacked' });
        return [p.slice(0, eq), p.slice(eq + 1)];
      });
      if (flags.width !== undefined) pairs.push(['width', String(flags.width)]);
      if (flags['image-height'] !== undefined) pairs.push(['height', String(flags['image-height'])]);
      if (flags.title !== undefined) pairs.push(['title', String(flags.title)]);
      const options = parseGraphOptions(pairs);
      body = await renderChart(result.series, { format, options, tz: result.tz, templatesPath: flags['graph-templates'] as string | undefined });
    } else if (format === 'terminal') {
      const { terminalChart } = await import('../render-terminal.js');
      const color = flags.color !== false && !output && !process.env.NO_COLOR;
      body = terminalChart(result.series, { width: process.stdout.columns ?? 100, height, color, tz: result.tz, startTime: result.startTime, endTime: result.endTime });
    } else {
      body = formatSeries(result.series, format, { tz: result.tz, maxDataPoints, noNullPoints: Boolean(flags['no-null-points']), pretty: Boolean(flags.pretty) });
      if (format === 'json') body = Buffer.concat([body as Buffer, Buffer.from('\n')]);
    }
    if (output) fs.writeFileSync(output, body);
    else if (typeof body === 'string') context.print(body);
    else process.stdout.write(body);
    return undefined;
  },
};
