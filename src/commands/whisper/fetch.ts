import { Args } from '@oclif/core';
import { whisperFetch } from '../../cli/actions/whisper-fetch.js';
import { GphCommand } from '../../cli/gph-command.js';
import { toOclifFlags } from '../../cli/oclif-flags.js';

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
  static referenceTool = whisperFetch.referenceTool;
  static strict = false;
  static args = { path: Args.string({ description: 'whisper file(s) to read', required: false }) };
  static flags = toOclifFlags(whisperFetch.flags);

  async run(): Promise<unknown> {
    return this.runAction(whisperFetch, await this.parse(WhisperFetch));
  }
}
