import { Args, Flags } from '@oclif/core';
import fs from 'node:fs';
import { create } from '../../lib/whisper/create.js';
import { parseRetentionDef } from '../../lib/whisper/retention.js';
import { estimateSize, formatEstimateText } from '../../lib/whisper/text/format-estimate.js';
import { GphCommand } from '../../cli/gph-command.js';
import { floatOption, usageHelpError } from '../../cli/option-values.js';

const TOOL = 'whisper-create';
const USAGE_LINE = 'Usage: whisper-create path timePerPoint:timeToStore [timePerPoint:timeToStore]*';

export default class WhisperCreate extends GphCommand {
  static summary = 'Create a whisper file with the given archives (whisper-create).';
  static description = 'Archives are PRECISION:RETENTION, e.g. 60:1440 (60 s per point, 1440 points), 1m:1d, or several at once: 10s:6h,1m:7d,10m:5y.';
  static examples = [
    '<%= config.bin %> whisper create cpu.wsp 10s:6h 1m:7d 10m:5y',
    '<%= config.bin %> whisper create --xFilesFactor=0 --aggregationMethod=max errors.wsp 1m:30d',
    '<%= config.bin %> whisper create --estimate 10s:1d,1m:7d,10m:1y',
  ];
  static referenceTool = TOOL;
  static strict = false;
  static args = { path: Args.string({ description: 'file to create, then the archives', required: false }) };
  static flags = {
    xFilesFactor: Flags.string({ summary: 'Fraction of known points needed to aggregate into a lower archive (default 0.5).' }),
    aggregationMethod: Flags.string({ summary: 'average, sum, last, max, min, avg_zero, absmax or absmin (default average).' }),
    overwrite: Flags.boolean({ summary: 'Replace an existing file.' }),
    estimate: Flags.boolean({ summary: 'Print the size the file would have, create nothing.' }),
    sparse: Flags.boolean({ summary: 'Create a sparse file (no data blocks allocated).' }),
    fallocate: Flags.boolean({ summary: 'Allocate the data blocks now.' }),
  };

  async run(): Promise<unknown> {
    const { argv, flags } = await this.parse(WhisperCreate);
    const args = argv as string[];
    if (flags.estimate) {
      if (args.length === 0) throw usageHelpError('Give the archives to estimate', 'e.g. gph whisper create --estimate 60:1440,1h:7d');
      const definitions = args.length === 1 && args[0].indexOf(',') > 0 ? args[0].split(',') : args;
      const estimate = estimateSize(definitions.map((d) => parseRetentionDef(d)));
      if (this.jsonEnabled()) return estimate;
      this.print(formatEstimateText(estimate));
      return undefined;
    }
    if (args.length < 2) throw usageHelpError('Give the file to create and at least one archive', 'e.g. gph whisper create cpu.wsp 1m:1d');
    const [path, ...definitions] = args;
    const xFilesFactor = flags.xFilesFactor === undefined ? 0.5 : floatOption('--xFilesFactor', flags.xFilesFactor, TOOL, USAGE_LINE);
    const archives = definitions.flatMap((d) => (this.compat ? [d] : d.split(','))).map((d) => parseRetentionDef(d));
    if (flags.overwrite && fs.existsSync(path)) {
      if (!this.jsonEnabled()) this.print(`Overwriting existing file: ${path}\n`);
      fs.unlinkSync(path);
    }
    const size = create(path, archives, { xFilesFactor, aggregationMethod: flags.aggregationMethod ?? 'average', sparse: flags.sparse, fallocate: flags.fallocate }, { compat: this.compat });
    if (this.jsonEnabled()) return { path, size, archives };
    this.print(`Created: ${path} (${size} bytes)\n`);
    return undefined;
  }
}
