import { Args } from '@oclif/core';
import { whisperDump } from '../../cli/actions/whisper-dump.js';
import { GphCommand } from '../../cli/gph-command.js';
import { toOclifFlags } from '../../cli/oclif-flags.js';

export default class WhisperDump extends GphCommand {
  static summary = 'Print the header and every raw slot of a whisper file (whisper-dump).';
  static examples = ['<%= config.bin %> whisper dump cpu.wsp', '<%= config.bin %> whisper dump --pretty cpu.wsp', '<%= config.bin %> whisper dump --json cpu.wsp | jq .archives[0].slots'];
  static referenceTool = whisperDump.referenceTool;
  static strict = false;
  static args = { path: Args.string({ description: 'whisper file', required: false }) };
  static flags = toOclifFlags(whisperDump.flags);

  async run(): Promise<unknown> {
    return this.runAction(whisperDump, await this.parse(WhisperDump));
  }
}
