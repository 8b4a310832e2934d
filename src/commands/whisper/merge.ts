import { Args, Flags } from '@oclif/core';
import fs from 'node:fs';
import { missingFileError } from '../../lib/errors.js';
import { merge } from '../../lib/whisper/merge.js';
import { GphCommand } from '../../cli/gph-command.js';
import { intOption, usageHelpError } from '../../cli/option-values.js';

const TOOL = 'whisper-merge';
const USAGE_LINE = 'Usage: whisper-merge [options] from_path to_path';

export default class WhisperMerge extends GphCommand {
  static summary = 'Copy every point of one whisper file into another with the same archives (whisper-merge).';
  static description = 'Points of the source overwrite the destination; destination points where the source has none are kept.';
  static examples = ['<%= config.bin %> whisper merge old/cpu.wsp new/cpu.wsp', '<%= config.bin %> whisper merge --from 1700000000 --until 1700086400 a.wsp b.wsp'];
  static referenceTool = TOOL;
  static args = {
    from: Args.string({ description: 'source whisper file', required: false }),
    to: Args.string({ description: 'destination whisper file', required: false }),
  };
  static flags = {
    from: Flags.string({ summary: 'Start of the range, epoch seconds (default: the epoch).' }),
    until: Flags.string({ summary: 'End of the range, epoch seconds (default: now).' }),
  };

  async run(): Promise<unknown> {
    const { args, flags } = await this.parse(WhisperMerge);
    if (args.from === undefined || args.to === undefined) throw usageHelpError('Give the source and destination whisper files', 'e.g. gph whisper merge a.wsp b.wsp');
    for (const path of [args.from, args.to]) {
      if (!fs.existsSync(path)) throw missingFileError(path, 'open');
    }
    const timeFrom = flags.from === undefined ? undefined : intOption('--from', flags.from, TOOL, USAGE_LINE);
    const timeTo = flags.until === undefined ? undefined : intOption('--until', flags.until, TOOL, USAGE_LINE);
    const written = merge(args.from, args.to, { timeFrom, timeTo }, { clock: this.clockFrom(flags.now), compat: this.compat });
    return this.jsonEnabled() ? { from: args.from, to: args.to, pointsWritten: written } : undefined;
  }
}
