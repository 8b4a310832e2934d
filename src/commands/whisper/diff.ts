import { Args, Flags } from '@oclif/core';
import { diff } from '../../lib/whisper/diff.js';
import { formatDiffJson, formatDiffText } from '../../lib/whisper/text/format-diff.js';
import { jsonNumber } from '../../cli/actions/whisper-fetch.js';
import { GphCommand } from '../../cli/gph-command.js';
import { renderTable } from '../../cli/table.js';
import { reprFloat } from '../../lib/python/py-format.js';
import { intOption, usageHelpError } from '../../cli/option-values.js';

const TOOL = 'whisper-diff';

export default class WhisperDiff extends GphCommand {
  static summary = 'Compare two whisper files with the same archives, point by point (whisper-diff).';
  static examples = ['<%= config.bin %> whisper diff a/cpu.wsp b/cpu.wsp', '<%= config.bin %> whisper diff --summary --columns a.wsp b.wsp', '<%= config.bin %> whisper diff --json a.wsp b.wsp'];
  static referenceTool = TOOL;
  static args = {
    pathA: Args.string({ description: 'first whisper file', required: false }),
    pathB: Args.string({ description: 'second whisper file', required: false }),
  };
  static flags = {
    summary: Flags.boolean({ summary: 'Show only the number of differing points per archive.' }),
    'ignore-empty': Flags.boolean({ summary: 'Compare only points present in both files.' }),
    columns: Flags.boolean({ summary: 'Plain space-separated columns.' }),
    'no-headers': Flags.boolean({ summary: 'Leave out the column headers.' }),
    until: Flags.string({ summary: 'Compare up to this epoch time (default: now).' }),
    table: Flags.boolean({ summary: 'Show a readable table.' }),
  };

  async run(): Promise<unknown> {
    const { args, flags } = await this.parse(WhisperDiff);
    if (args.pathA === undefined || args.pathB === undefined) throw usageHelpError('Give the two whisper files to compare', 'e.g. gph whisper diff a.wsp b.wsp');
    const until = flags.until ? intOption('--until', flags.until, TOOL, 'Usage: whisper-diff [options] path_a path_b') : undefined;
    const clock = this.clockFrom(flags.now);
    const diffs = diff(args.pathA, args.pathB, { ignoreEmpty: flags['ignore-empty'], until }, { clock, compat: this.compat });
    if (this.jsonEnabled()) {
      return {
        path_a: args.pathA,
        path_b: args.pathB,
        archives: diffs.map((d) => ({ archive: d.archive, total: d.total, points: d.diffs.length, ...(flags.summary ? {} : { datapoint: d.diffs.map(([timestamp, a, b]) => ({ timestamp, value_a: jsonNumber(a), value_b: jsonNumber(b) })) }) })),
      };
    }
    if (flags.table) {
      this.print(
        flags.summary
          ? renderTable(['archive', 'total', 'differing'], diffs.map((d) => [d.archive, d.total, d.diffs.length]))
          : renderTable(['archive', 'timestamp', 'value_a', 'value_b'], diffs.flatMap((d) => d.diffs.map(([ts, a, b]) => [d.archive, ts, a === null ? null : reprFloat(a), b === null ? null : reprFloat(b)]))),
      );
    } else if (flags.json) this.print(formatDiffJson(diffs, args.pathA, args.pathB, flags.summary));
    else this.print(formatDiffText(diffs, { summary: flags.summary, columns: flags.columns, noHeaders: flags['no-headers'] }));
    return undefined;
  }
}
