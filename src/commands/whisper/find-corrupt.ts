import { Args, Flags } from '@oclif/core';
import fs from 'node:fs';
import { GphError } from '../../lib/errors.js';
import { type FileCheck, checkFile, listWhisperFiles } from '../../lib/whisper/check-file.js';
import { GphCommand } from '../../cli/gph-command.js';
import { startProgress } from '../../cli/progress.js';

export default class WhisperFindCorrupt extends GphCommand {
  static summary = 'Scan directories for corrupt or truncated whisper files (find-corrupt-whisper-files).';
  static description =
    'Checks every *.wsp file: the header decodes, archives are laid out and configured correctly, and the file has the size its header promises. Reports "Corrupt Whisper file: PATH" on stderr like the reference, with the reason. Exits 1 when any file is corrupt.';
  static examples = ['<%= config.bin %> whisper find-corrupt /var/lib/graphite/whisper', '<%= config.bin %> whisper find-corrupt --json storage/whisper | jq ".corrupt[].path"'];
  static referenceTool = 'find-corrupt-whisper-files';
  static strict = false;
  static args = { directory: Args.string({ description: 'directories (or files) to scan', required: true }) };
  static flags = {
    'delete-corrupt': Flags.boolean({ summary: 'Delete the corrupt files found.' }),
    verbose: Flags.boolean({ summary: 'Print every file checked with its point count.' }),
  };

  async run(): Promise<unknown> {
    const { argv, flags } = await this.parse(WhisperFindCorrupt);
    const roots = argv as string[];
    const files: string[] = [];
    for (const root of roots) {
      if (!fs.existsSync(root)) throw new GphError('FILE_NOT_FOUND', `Cannot scan "${root}": no such file or directory`, { path: root, hint: 'Give the whisper data directory, e.g. /var/lib/graphite/whisper' });
      files.push(...listWhisperFiles(root));
    }
    const progress = startProgress(files.length, 'Checking', !this.jsonEnabled() && !flags.verbose);
    const corrupt: FileCheck[] = [];
    for (const file of files) {
      const check = checkFile(file);
      progress.tick(file);
      if (!check.ok) {
        corrupt.push(check);
        if (flags['delete-corrupt']) fs.unlinkSync(file);
      } else if (flags.verbose && !this.jsonEnabled()) {
        this.print(`${file}: ${check.points} points\n`);
      }
    }
    progress.stop();
    if (this.jsonEnabled()) return { checked: files.length, corrupt: corrupt.map(({ path, problems }) => ({ path, problems })), deleted: Boolean(flags['delete-corrupt']) };
    for (const check of corrupt) {
      process.stderr.write(`${flags['delete-corrupt'] ? 'Deleting corrupt' : 'Corrupt'} Whisper file: ${check.path} (${check.problems.join('; ')})\n`);
    }
    if (corrupt.length > 0 && !this.compat) this.exit(1);
    return undefined;
  }
}
