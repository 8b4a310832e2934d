import { Args, Flags } from '@oclif/core';
import { fill } from '../../lib/whisper/fill.js';
import { GphCommand } from '../../cli/gph-command.js';
import { usageHelpError } from '../../cli/option-values.js';

export default class WhisperFill extends GphCommand {
  static summary = "Copy points from one whisper file into the gaps of another (carbonate's whisper-fill).";
  static description =
    'Only empty slots of the destination are written, from the source\'s highest-precision data first. Set GPH_COMPAT=whisper for whisper-fill\'s exact behaviour (zeros count as gaps, single-slot gaps are skipped, the point after a gap is overwritten).';
  static examples = ['<%= config.bin %> whisper fill replica/cpu.wsp cpu.wsp', '<%= config.bin %> whisper fill --lock --json replica/cpu.wsp cpu.wsp'];
  static referenceTool = 'whisper-fill';
  static args = {
    src: Args.string({ description: 'whisper file to copy from', required: false }),
    dst: Args.string({ description: 'whisper file whose gaps are filled', required: false }),
  };
  static flags = { lock: Flags.boolean({ summary: 'Lock the destination with flock(2) while writing.' }) };

  async run(): Promise<unknown> {
    const { args, flags } = await this.parse(WhisperFill);
    if (args.src === undefined || args.dst === undefined) throw usageHelpError('Give the source and destination whisper files', 'e.g. gph whisper fill src.wsp dst.wsp');
    const report = fill(args.src, args.dst, { clock: this.clockFrom(flags.now), lock: flags.lock, compat: this.compat });
    return this.jsonEnabled() ? { src: args.src, dst: args.dst, ...report } : undefined;
  }
}
