/**
 * `gph whisper fetch`: the action behind the command (shared by oclif and the fast path).
 */
import { nowSeconds } from '../../lib/clock.js';
import { GphError } from '../../lib/errors.js';
import { reprFloat } from '../../lib/python/py-format.js';
import { fetch } from '../../lib/whisper/fetch.js';
import { DROP_MODES, type DropMode, dropValues, formatFetchPythonJson, formatFetchText } from '../../lib/whisper/text/format-fetch.js';
import type { CommandAction } from '../command-spec.js';
import { intOption, usageHelpError } from '../option-values.js';
import { referenceUsageError } from '../reference-errors.js';

const TOOL = 'whisper-fetch';
const USAGE_LINE = 'Usage: whisper-fetch [options] path';
const DAY_SECONDS = 86_400;

/** A JSON number, or null for a missing or non-finite value (JSON has no NaN or Infinity). */
export const jsonNumber = (v: number | null): number | null => (v === null || !Number.isFinite(v) ? null : v);

export const whisperFetch: CommandAction = {
  referenceTool: TOOL,
  flags: {
    from: { type: 'string', summary: 'Start, in epoch seconds (default: 24 hours ago).' },
    until: { type: 'string', summary: 'End, in epoch seconds (default: now).' },
    pretty: { type: 'boolean', summary: 'Show times as local dates instead of epoch seconds.' },
    'time-format': { type: 'string', char: 't', summary: 'strftime format for --pretty.' },
    drop: { type: 'string', summary: 'Drop values: nulls, zeroes or empty (both). The remaining values are printed at consecutive steps, as whisper-fetch does.' },
    archive: { type: 'string', summary: 'Read the archive with this precision (e.g. 60 or 5m) instead of choosing by age.' },
    table: { type: 'boolean', summary: 'Show a readable table.' },
  },
  async run(paths, flags, context) {
    if (paths.length === 0 || (context.compat && paths.length !== 1)) throw usageHelpError('Give the whisper file to fetch', 'Run `gph whisper fetch --help` for the usage');
    const now = nowSeconds(context.clock);
    const from = flags.from === undefined ? now - DAY_SECONDS : intOption('--from', String(flags.from), TOOL, USAGE_LINE);
    const until = flags.until === undefined ? now : intOption('--until', String(flags.until), TOOL, USAGE_LINE);
    if (flags.drop !== undefined && !(DROP_MODES as readonly unknown[]).includes(flags.drop)) {
      throw referenceUsageError(TOOL, USAGE_LINE, `option --drop: invalid choice: '${flags.drop}' (choose from 'zeroes', 'nulls', 'empty')`, 'Use --drop nulls, zeroes or empty');
    }
    const fetched = paths.map((path) => {
      const result = fetch(path, from, until, { archive: flags.archive as string | undefined }, { clock: context.clock, compat: context.compat });
      if (!result) {
        throw new GphError('NO_DATA', `No data in "${path}" between ${from} and ${until}: the range is outside the file's retention`, {
          path,
          hint: 'Choose a range between now minus the retention (see `gph whisper info`) and now',
          reference: { type: 'SystemExit', message: 'No data in selected timerange' },
        });
      }
      return { path, result, values: dropValues(result.values, flags.drop as DropMode | undefined) };
    });
    if (context.json) {
      const documents = fetched.map(({ path, result, values }) => ({ path, start: result.timeInfo[0], end: result.timeInfo[1], step: result.timeInfo[2], values: values.map(jsonNumber) }));
      return documents.length === 1 ? documents[0] : documents;
    }
    for (const { path, result, values } of fetched) {
      if (paths.length > 1) context.print(`==> ${path} <==\n`);
      if (flags.json) context.print(formatFetchPythonJson(result, values));
      else if (flags.table) {
        const { renderTable } = await import('../table.js');
        const [start, , step] = result.timeInfo;
        context.print(renderTable(['time', 'value'], values.map((v, i) => [flags.pretty ? new Date((start + i * step) * 1000).toISOString() : start + i * step, v === null ? null : reprFloat(v)])));
      } else context.print(formatFetchText(result, values, { pretty: Boolean(flags.pretty), timeFormat: flags['time-format'] as string | undefined }));
    }
    return undefined;
  },
};
