import { Args, Flags } from '@oclif/core';
import { nowSeconds } from '../../lib/clock.js';
import { GphError } from '../../lib/errors.js';
import { reprFloat } from '../../lib/python/py-format.js';
import { type FetchResult, fetch } from '../../lib/whisper/fetch.js';
import { DROP_MODES, type DropMode, dropValues, formatFetchPythonJson, formatFetchText } from '../../lib/whisper/text/format-fetch.js';
import { GphCommand } from '../../cli/gph-command.js';
import { intOption, usageHelpError } from '../../cli/option-values.js';
import { referenceUsageError } from '../../cli/reference-errors.js';
import { renderTable } from '../../cli/table.js';

const TOOL = 'whisper-fetch';
const USAGE_LINE = 'Usage: whisper-fetch [options] path';
const DAY_SECONDS = 86_400;

/** A JSON number, or null for a missing or non-finite value (JSON has no NaN or Infinity). */
const jsonValue = (v: number | null): number | null => (v === null || !Number.isFinite(v) ? null : v);

export default class WhisperFetch extends GphCommand {
  static summary = 'Print the points of a whisper file between two times (whisper-fetch).';
  static description =
    'Reads (from, until] from the archive that covers the range, as whisper-fetch does, and prints one "TIMESTAMP<TAB>VALUE" line per step. Several files can be fetched in one run.';
  static examples = [
    '<%= config.bin %> whisper fetch cpu.wsp',
    '<%= config.bin %> whisper fetch --from 1700000000 --until 1700003600 --pretty cpu.wsp',
    '<%= config.bin %> whisper fetch --drop nulls --json cpu.wsp',
    '<%= config.bin %> whisper fetch --table --archive 5m cpu.wsp',
  ];
  static referenceTool = TOOL;
  static strict = false;
  static args = { path: Args.string({ description: 'whisper file(s) to read', required: false }) };
  static flags = {
    from: Flags.string({ summary: 'Start, in epoch seconds (default: 24 hours ago).' }),
    until: Flags.string({ summary: 'End, in epoch seconds (default: now).' }),
    pretty: Flags.boolean({ summary: 'Show times as local dates instead of epoch seconds.' }),
    'time-format': Flags.string({ char: 't', summary: 'strftime format for --pretty.' }),
    drop: Flags.string({ summary: 'Drop values: nulls, zeroes or empty (both). The remaining values are printed at consecutive steps, as whisper-fetch does.' }),
    archive: Flags.string({ summary: 'Read the archive with this precision (e.g. 60 or 5m) instead of choosing by age.' }),
    table: Flags.boolean({ summary: 'Show a readable table.' }),
  };

  async run(): Promise<unknown> {
    const { argv, flags } = await this.parse(WhisperFetch);
    const paths = argv as string[];
    if (paths.length === 0 || (this.compat && paths.length !== 1)) throw usageHelpError('Give the whisper file to fetch', 'Run `gph whisper fetch --help` for the usage');
    const clock = this.clockFrom(flags.now);
    const now = nowSeconds(clock);
    const from = flags.from === undefined ? now - DAY_SECONDS : intOption('--from', flags.from, TOOL, USAGE_LINE);
    const until = flags.until === undefined ? now : intOption('--until', flags.until, TOOL, USAGE_LINE);
    if (flags.drop !== undefined && !(DROP_MODES as readonly string[]).includes(flags.drop)) {
      throw referenceUsageError(TOOL, USAGE_LINE, `option --drop: invalid choice: '${flags.drop}' (choose from 'zeroes', 'nulls', 'empty')`, 'Use --drop nulls, zeroes or empty');
    }
    const drop = flags.drop as DropMode | undefined;
    const fetched = paths.map((path) => {
      const result = fetch(path, from, until, { archive: flags.archive }, { clock, compat: this.compat });
      if (!result) {
        throw new GphError('NO_DATA', `No data in "${path}" between ${from} and ${until}: the range is outside the file's retention`, {
          path,
          hint: 'Choose a range between now minus the retention (see `gph whisper info`) and now',
          reference: { type: 'SystemExit', message: 'No data in selected timerange' },
        });
      }
      return { path, result, values: dropValues(result.values, drop) };
    });

    if (this.jsonEnabled()) {
      const documents = fetched.map(({ path, result, values }) => ({ path, start: result.timeInfo[0], end: result.timeInfo[1], step: result.timeInfo[2], values: values.map(jsonValue) }));
      return documents.length === 1 ? documents[0] : documents;
    }
    for (const { path, result, values } of fetched) {
      if (paths.length > 1) this.print(`==> ${path} <==\n`);
      this.print(this.render(result, values, flags));
    }
    return undefined;
  }

  private render(result: FetchResult, values: Array<number | null>, flags: { json?: boolean; pretty?: boolean; 'time-format'?: string; table?: boolean }): string {
    if (flags.json) return formatFetchPythonJson(result, values);
    if (flags.table) {
      const [start, , step] = result.timeInfo;
      return renderTable(['time', 'value'], values.map((v, i) => [flags.pretty ? new Date((start + i * step) * 1000).toISOString() : start + i * step, v === null ? null : reprFloat(v)]));
    }
    return formatFetchText(result, values, { pretty: flags.pretty, timeFormat: flags['time-format'] });
  }
}
