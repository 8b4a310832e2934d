import { Args, Flags } from '@oclif/core';
import { dump } from '../../lib/whisper/dump.js';
import { formatDumpText } from '../../lib/whisper/text/format-dump.js';
import { GphCommand } from '../../cli/gph-command.js';
import { referenceUsageError } from '../../cli/reference-errors.js';

const jsonValue = (v: number): number | null => (Number.isFinite(v) ? v : null);

export default class WhisperDump extends GphCommand {
  static summary = 'Print the header and every raw slot of a whisper file (whisper-dump).';
  static examples = ['<%= config.bin %> whisper dump cpu.wsp', '<%= config.bin %> whisper dump --pretty cpu.wsp', '<%= config.bin %> whisper dump --json cpu.wsp | jq .archives[0].slots'];
  static referenceTool = 'whisper-dump';
  static args = { path: Args.string({ description: 'whisper file', required: false }) };
  static flags = {
    pretty: Flags.boolean({ summary: 'Show slot times as local dates.' }),
    'time-format': Flags.string({ char: 't', summary: 'strftime format for --pretty.' }),
  };

  async run(): Promise<unknown> {
    const { args, flags } = await this.parse(WhisperDump);
    if (args.path === undefined) {
      throw referenceUsageError('whisper-dump', 'Usage: whisper-dump path', 'require one input file name', 'Give the whisper file to dump');
    }
    const result = dump(args.path, { lax: true }, { compat: this.compat });
    if (this.jsonEnabled()) {
      return { ...result, archives: result.archives.map((a) => ({ ...a, slots: a.slots.map((s) => (s ? [s[0], jsonValue(s[1])] : null)) })) };
    }
    this.print(formatDumpText(result, { pretty: flags.pretty, timeFormat: flags['time-format'] }));
    return undefined;
  }
}
