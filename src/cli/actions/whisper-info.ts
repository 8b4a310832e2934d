/**
 * `gph whisper info`: the action behind the command (shared by oclif and the fast path).
 */
import fs from 'node:fs';
import { GphError } from '../../lib/errors.js';
import { type FileInfo, info } from '../../lib/whisper/info.js';
import { INFO_FIELDS, formatInfoField, formatInfoJson, formatInfoText } from '../../lib/whisper/text/format-info.js';
import type { CommandAction } from '../command-spec.js';
import { usageHelpError } from '../option-values.js';

type Entry = FileInfo & { path: string };

/** whisper-info --json's document (same keys, same order), with the path when several files are shown. */
function infoDocument({ path, aggregationMethod, maxRetention, xFilesFactor, archives, fileSize }: Entry, withPath: boolean): Record<string, unknown> {
  return {
    ...(withPath ? { path } : {}),
    aggregationMethod,
    maxRetention,
    xFilesFactor,
    archives: archives.map(({ offset, secondsPerPoint, points, retention, size }) => ({ offset, secondsPerPoint, points, retention, size })),
    fileSize,
  };
}

async function table(entry: Entry): Promise<string> {
  const { renderTable } = await import('../table.js');
  return (
    `aggregationMethod: ${entry.aggregationMethod}  maxRetention: ${entry.maxRetention}s  xFilesFactor: ${entry.xFilesFactor}  fileSize: ${entry.fileSize}\n` +
    renderTable(['archive', 'secondsPerPoint', 'points', 'retention', 'offset', 'size'], entry.archives.map((a, i) => [i, a.secondsPerPoint, a.points, a.retention, a.offset, a.size]))
  );
}

export const whisperInfo: CommandAction = {
  referenceTool: 'whisper-info',
  flags: { table: { type: 'boolean', summary: 'Show a readable table of the archives.' } },
  async run(args, flags, context) {
    if (args.length === 0 || (context.compat && args.length > 2)) throw usageHelpError('Give the whisper file to describe', 'Run `gph whisper info --help` for the usage');
    const fieldMode = args.length === 2 && ((INFO_FIELDS as readonly string[]).includes(args[1]) || !fs.existsSync(args[1]));
    const paths = fieldMode ? [args[0]] : args;
    const entries: Entry[] = paths.map((path) => ({ path, ...info(path, { compat: context.compat }) }));
    if (fieldMode) {
      const value = formatInfoField(entries[0], args[1]);
      if (value === undefined) {
        throw new GphError('UNKNOWN_FIELD', `Unknown field "${args[1]}"`, {
          hint: `Valid fields are ${INFO_FIELDS.join(', ')}`,
          reference: { type: 'SystemExit', message: `Unknown field "${args[1]}". Valid fields are ${INFO_FIELDS.join(',')}` },
        });
      }
      if (context.json) return { [args[1]]: infoDocument(entries[0], false)[args[1]] };
      context.print(`${value}\n`);
      return undefined;
    }
    if (context.json) return entries.length === 1 ? infoDocument(entries[0], false) : entries.map((e) => infoDocument(e, true));
    for (const entry of entries) {
      if (entries.length > 1) context.print(`==> ${entry.path} <==\n`);
      context.print(flags.table ? await table(entry) : flags.json ? formatInfoJson(entry) : formatInfoText(entry));
    }
    return undefined;
  },
};
