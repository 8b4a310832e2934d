import { Args } from '@oclif/core';
import { whisperInfo } from '../../cli/actions/whisper-info.js';
import { GphCommand } from '../../cli/gph-command.js';
import { toOclifFlags } from '../../cli/oclif-flags.js';

export default class WhisperInfo extends GphCommand {
  static summary = 'Show the header of whisper files: aggregation, retention, xFilesFactor and archives (whisper-info).';
  static description = 'With one file and a field name, prints just that field, as whisper-info does. Several files can be given in one run.';
  static examples = [
    '<%= config.bin %> whisper info cpu.wsp',
    '<%= config.bin %> whisper info cpu.wsp xFilesFactor',
    '<%= config.bin %> whisper info --json storage/whisper/servers/*/cpu.wsp',
    '<%= config.bin %> whisper info --table cpu.wsp',
  ];
  static referenceTool = whisperInfo.referenceTool;
  static strict = false;
  static args = { path: Args.string({ description: 'whisper file(s), or one file and a field name', required: false }) };
  static flags = toOclifFlags(whisperInfo.flags);

  async run(): Promise<unknown> {
    return this.runAction(whisperInfo, await this.parse(WhisperInfo));
  }
}
