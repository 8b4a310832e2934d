import { Args, Flags } from '@oclif/core';
import fs from 'node:fs';
import { GphError } from '../../lib/errors.js';
import { info, type FileInfo } from '../../lib/whisper/info.js';
import { INFO_FIELDS, formatInfoField, formatInfoJson, formatInfoText } from '../../lib/whisper/text/format-info.js';
import { GphCommand } from '../../cli/gph-command.js';
import { usageHelpError } from '../../cli/option-values.js';
import { renderTable } from '../../cli/table.js';

export default class WhisperInfo extends GphCommand {
  static summary = 'Show the header of whisper files: aggregation, retention, xFilesFactor and archives (whisper-info).';
  static description = 'With one file and a field name, prints just that field, as whisper-info does. Several files can be given in one run.';
  static examples = [
    '<%= config.bin %> whisper info cpu.wsp',
    '<%= config.bin %> whisper info cpu.wsp xFilesFactor',
    '<%= config.bin %> whisper info --json storage/whisper/servers/*/cpu.wsp',
    '<%= config.bin %> whisper info --table cpu.wsp',
  ];
  static referenceTool = 'whisper-info';
  static strict = false;
  static args = { path: Args.string({ description: 'whisper file(s), or one file and a field name', required: false }) };
  static flags = { table: Flags.boolean({ summary: 'Show a readable table of the archives.' }) };

  async run(): Promise<unknown> {
    const { argv, flags } = await this.parse(WhisperInfo);
    const args = argv as string[];
    if (args.length === 0 || (this.compat && args.length > 2)) throw usageHelpError('Give the whisper file to describe', 'Run `gph whisper info --help` for the usage');
    const fieldMode = args.length === 2 && ((INFO_FIELDS as readonly string[]).includes(args[1]) || !fs.existsSync(args[1]));
    const paths = fieldMode ? [args[0]] : args;
    const infos = paths.map((path) => ({ path, ...info(path, { compat: this.compat }) }));
    // One file: whisper-info --json's document (same keys, same order); several: one per file, with its path.
    const document = ({ path, aggregationMethod, maxRetention, xFilesFactor, archives, fileSize }: (typeof infos)[number]) => ({
      ...(infos.length > 1 ? { path } : {}),
      aggregationMethod,
      maxRetention,
      xFilesFactor,
      archives: archives.map(({ offset, secondsPerPoint, points, retention, size }) => ({ offset, secondsPerPoint, points, retention, size })),
      fileSize,
    });

    if (fieldMode) {
      const value = formatInfoField(infos[0], args[1]);
      if (value === undefined) {
        throw new GphError('UNKNOWN_FIELD', `Unknown field "${args[1]}"`, {
          hint: `Valid fields are ${INFO_FIELDS.join(', ')}`,
          reference: { type: 'SystemExit', message: `Unknown field "${args[1]}". Valid fields are ${INFO_FIELDS.join(',')}` },
        });
      }
      if (this.jsonEnabled()) return { [args[1]]: args[1] === 'archives' ? infos[0].archives : (infos[0] as unknown as Record<string, unknown>)[args[1]] };
      this.print(`${value}\n`);
      return undefined;
    }
    if (this.jsonEnabled()) return infos.length === 1 ? document(infos[0]) : infos.map(document);
    for (const entry of infos) {
      if (infos.length > 1) this.print(`==> ${entry.path} <==\n`);
      this.print(flags.table ? this.table(entry) : flags.json ? formatInfoJson(entry) : formatInfoText(entry));
    }
    return undefined;
  }

  private table(entry: FileInfo): string {
    return (
      `aggregationMethod: ${entry.aggregationMethod}  maxRetention: ${entry.maxRetention}s  xFilesFactor: ${entry.xFilesFactor}  fileSize: ${entry.fileSize}\n` +
      renderTable(
        ['archive', 'secondsPerPoint', 'points', 'retention', 'offset', 'size'],
        entry.archives.map((a, i) => [i, a.secondsPerPoint, a.points, a.retention, a.offset, a.size]),
      )
    );
  }
}
