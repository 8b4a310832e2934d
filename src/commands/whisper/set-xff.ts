import { Args } from '@oclif/core';
import { GphError } from '../../lib/errors.js';
import { pyFloat } from '../../lib/python/py-convert.js';
import { reprFloat } from '../../lib/python/py-format.js';
import { setXFilesFactor } from '../../lib/whisper/set-aggregation.js';
import { GphCommand } from '../../cli/gph-command.js';
import { usageHelpError } from '../../cli/option-values.js';

const USAGE_LINE = 'usage: whisper-set-xfilesfactor [-h] path xFilesFactor';

export default class WhisperSetXff extends GphCommand {
  static summary = 'Change the xFilesFactor of a whisper file (whisper-set-xfilesfactor).';
  static examples = ['<%= config.bin %> whisper set-xff cpu.wsp 0', '<%= config.bin %> whisper set-xff --json cpu.wsp 0.25'];
  static referenceTool = 'whisper-set-xfilesfactor';
  static aliases = ['whisper:set-xfilesfactor'];
  static args = {
    path: Args.string({ description: 'whisper file', required: false }),
    xFilesFactor: Args.string({ description: 'a number between 0 and 1', required: false }),
  };

  async run(): Promise<unknown> {
    const { args } = await this.parse(WhisperSetXff);
    if (args.path === undefined || args.xFilesFactor === undefined) throw usageHelpError('Give the whisper file and the new xFilesFactor', 'e.g. gph whisper set-xff cpu.wsp 0.5');
    let xff: number;
    try {
      xff = pyFloat(args.xFilesFactor);
    } catch {
      throw new GphError('USAGE', `Invalid xFilesFactor "${args.xFilesFactor}": not a number`, {
        hint: 'Give a number between 0 and 1, e.g. 0.5',
        reference: { type: 'SystemExit', message: `${USAGE_LINE}\nwhisper-set-xfilesfactor: error: argument xFilesFactor: invalid float value: '${args.xFilesFactor}'` },
      });
    }
    const old = setXFilesFactor(args.path, xff, { compat: this.compat });
    if (this.jsonEnabled()) return { path: args.path, old, new: xff };
    this.print(`Updated xFilesFactor: ${args.path} (${reprFloat(old)} -> ${reprFloat(xff)})\n`);
    return undefined;
  }
}
