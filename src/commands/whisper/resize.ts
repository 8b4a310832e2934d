import { Args, Flags } from '@oclif/core';
import fs from 'node:fs';
import { missingFileError } from '../../lib/errors.js';
import type { ArchiveSpec } from '../../lib/whisper/format.js';
import { listWhisperFiles } from '../../lib/whisper/check-file.js';
import { type ResizeReport, resize } from '../../lib/whisper/resize.js';
import { parseRetentionDef } from '../../lib/whisper/retention.js';
import { GphCommand } from '../../cli/gph-command.js';
import { floatOption, usageHelpError } from '../../cli/option-values.js';
import { startProgress } from '../../cli/progress.js';

const TOOL = 'whisper-resize';
const USAGE_LINE = 'Usage: whisper-resize path timePerPoint:timeToStore [timePerPoint:timeToStore]*';
const RETENTION_LIKE = /^[^/]+:[^/]+$/;

export default class WhisperResize extends GphCommand {
  static summary = 'Change the archives of whisper files, keeping their data (whisper-resize).';
  static description =
    'Builds the new file beside the old one, syncs it, and swaps it in with one atomic rename, keeping PATH.bak unless --nobackup. Give several files or directories to resize them all in one run.';
  static examples = [
    '<%= config.bin %> whisper resize cpu.wsp 10s:7d 1m:30d 10m:5y',
    '<%= config.bin %> whisper resize --aggregate --nobackup cpu.wsp 1m:30d,1h:2y',
    '<%= config.bin %> whisper resize --nobackup storage/whisper/servers 10s:7d,1m:30d,10m:5y',
  ];
  static referenceTool = TOOL;
  static strict = false;
  static args = { path: Args.string({ description: 'whisper file(s) or directories, then the new archives', required: false }) };
  static flags = {
    xFilesFactor: Flags.string({ summary: 'New xFilesFactor (default: keep).' }),
    aggregationMethod: Flags.string({ summary: 'New aggregation method (default: keep).' }),
    force: Flags.boolean({ summary: 'Accepted for compatibility; resize never asks.' }),
    newfile: Flags.string({ summary: 'Write the result here and leave the original untouched.' }),
    nobackup: Flags.boolean({ summary: 'Delete PATH.bak after a successful resize.' }),
    aggregate: Flags.boolean({ summary: 'Aggregate old points into the new archives instead of copying them.' }),
  };

  async run(): Promise<unknown> {
    const { argv, flags } = await this.parse(WhisperResize);
    const args = argv as string[];
    if (args.length < 2) throw usageHelpError('Give the whisper file and its new archives', 'e.g. gph whisper resize cpu.wsp 1m:30d 1h:2y');
    const [first, ...rest] = args;
    const targets = [first, ...rest.filter((a) => !RETENTION_LIKE.test(a))];
    const definitions = this.compat ? rest : rest.filter((a) => RETENTION_LIKE.test(a)).flatMap((d) => d.split(','));
    for (const target of targets) if (!fs.existsSync(target)) throw missingFileError(target, 'resize');
    const files = targets.flatMap((t) => listWhisperFiles(t));
    const xFilesFactor = flags.xFilesFactor === undefined ? undefined : floatOption('--xFilesFactor', flags.xFilesFactor, TOOL, USAGE_LINE);
    const single = files.length === 1;
    const quiet = this.jsonEnabled() || !single;
    const options = { clock: this.clockFrom(flags.now), compat: this.compat };
    const progress = startProgress(files.length, 'Resizing', !this.jsonEnabled());
    const reports: ResizeReport[] = [];
    for (const file of files) {
      // Each file validates (and sorts) its own copy of the archive list.
      const archives: ArchiveSpec[] = definitions.map((d) => parseRetentionDef(d));
      reports.push(
        resize(
          file,
          archives,
          {
            xFilesFactor,
            aggregationMethod: flags.aggregationMethod,
            aggregate: flags.aggregate,
            newfile: single ? flags.newfile : undefined,
            nobackup: flags.nobackup,
            onMessage: quiet ? undefined : (line) => this.print(`${line}\n`),
          },
          options,
        ),
      );
      progress.tick(file);
    }
    progress.stop();
    if (this.jsonEnabled()) return single ? reports[0] : reports;
    if (!single) this.print(`Resized ${reports.length} files (${reports.reduce((n, r) => n + r.pointsMigrated, 0)} points migrated)\n`);
    return undefined;
  }
}
