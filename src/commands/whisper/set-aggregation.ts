import { Args } from '@oclif/core';
import { pyFloat } from '../../lib/python/py-convert.js';
import { setAggregation } from '../../lib/whisper/set-aggregation.js';
import { GphCommand } from '../../cli/gph-command.js';
import { usageHelpError } from '../../cli/option-values.js';

export default class WhisperSetAggregation extends GphCommand {
  static summary = 'Change the aggregation method (and optionally xFilesFactor) of a whisper file (whisper-set-aggregation-method).';
  static examples = ['<%= config.bin %> whisper set-aggregation cpu.wsp max', '<%= config.bin %> whisper set-aggregation requests.wsp sum 0'];
  static referenceTool = 'whisper-set-aggregation-method';
  static aliases = ['whisper:set-aggregation-method'];
  static args = {
    path: Args.string({ description: 'whisper file', required: false }),
    method: Args.string({ description: 'average, sum, last, max, min, avg_zero, absmax or absmin', required: false }),
    xFilesFactor: Args.string({ description: 'new xFilesFactor (optional)', required: false }),
  };

  async run(): Promise<unknown> {
    const { args } = await this.parse(WhisperSetAggregation);
    if (args.path === undefined || args.method === undefined) throw usageHelpError('Give the whisper file and the new aggregation method', 'e.g. gph whisper set-aggregation cpu.wsp max');
    const old = setAggregation(args.path, args.method, args.xFilesFactor, { compat: this.compat });
    if (this.jsonEnabled()) {
      return { path: args.path, old, new: { aggregationMethod: args.method, xFilesFactor: args.xFilesFactor === undefined ? old.xFilesFactor : pyFloat(args.xFilesFactor) } };
    }
    this.print(`Updated aggregation method: ${args.path} (${old.aggregationMethod} -> ${args.method})\n`);
    return undefined;
  }
}
