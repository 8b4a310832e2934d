import { Args } from '@oclif/core';
import { nowSeconds } from '../../lib/clock.js';
import { GphError } from '../../lib/errors.js';
import { pyFloat, pyInt } from '../../lib/python/py-convert.js';
import { update, updateMany } from '../../lib/whisper/update.js';
import { GphCommand } from '../../cli/gph-command.js';
import { usageHelpError } from '../../cli/option-values.js';

export default class WhisperUpdate extends GphCommand {
  static summary = 'Write points into a whisper file (whisper-update).';
  static description =
    'Each point is TIMESTAMP:VALUE; "N:" stands for now. One point must lie within the retention (else an error); with several, points older than the retention are skipped as whisper-update does.';
  static examples = ['<%= config.bin %> whisper update cpu.wsp N:42', '<%= config.bin %> whisper update cpu.wsp 1700000000:1.5 1700000060:2.5'];
  static referenceTool = 'whisper-update';
  static strict = false;
  static args = { path: Args.string({ description: 'whisper file, then TIMESTAMP:VALUE points', required: false }) };

  async run(): Promise<unknown> {
    const { argv, flags } = await this.parse(WhisperUpdate);
    const args = argv as string[];
    if (args.length < 2) throw usageHelpError('Give the whisper file and at least one TIMESTAMP:VALUE point', 'e.g. gph whisper update cpu.wsp N:42');
    const clock = this.clockFrom(flags.now);
    const now = nowSeconds(clock);
    const [path, ...pointTexts] = args;
    const fields = pointTexts.map((text) => {
      const parts = text.replaceAll('N:', `${now}:`).split(':');
      if (parts.length !== 2) {
        throw new GphError('INVALID_POINT', `Cannot read point "${text}": expected TIMESTAMP:VALUE`, {
          hint: 'Write points as 1700000000:1.5 or N:1.5',
          reference: { type: 'ValueError', message: parts.length > 2 ? 'too many values to unpack (expected 2)' : 'not enough values to unpack (expected 2, got 1)' },
        });
      }
      return parts;
    });
    if (fields.length === 1) {
      const value = pyFloat(fields[0][1]);
      update(path, value, pyInt(fields[0][0]), { clock, compat: this.compat });
    } else {
      updateMany(path, fields.map(([t, v]) => [pyInt(t), pyFloat(v)] as const), { clock, compat: this.compat });
    }
    return this.jsonEnabled() ? { path, points: fields.length } : undefined;
  }
}
