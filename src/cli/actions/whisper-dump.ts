/**
 * `gph whisper dump`: the action behind the command (shared by oclif and the fast path).
 */
import { reprFloat } from '../../lib/python/py-format.js';
import { dump } from '../../lib/whisper/dump.js';
import { formatDumpText } from '../../lib/whisper/text/format-dump.js';
import type { CommandAction } from '../command-spec.js';
import { referenceUsageError } from '../reference-errors.js';
import { jsonNumber } from './whisper-fetch.js';

export const whisperDump: CommandAction = {
  referenceTool: 'whisper-dump',
  flags: {
    pretty: { type: 'boolean', summary: 'Show slot times as local dates.' },
    'time-format': { type: 'string', char: 't', summary: 'strftime format for --pretty.' },
    table: { type: 'boolean', summary: 'Show each archive as a readable table of its non-empty slots.' },
  },
  async run(args, flags, context) {
    if (args.length !== 1) throw referenceUsageError('whisper-dump', 'Usage: whisper-dump path', 'require one input file name', 'Give the whisper file to dump');
    const result = dump(args[0], { lax: true }, { compat: context.compat });
    if (context.json) {
      return { ...result, archives: result.archives.map((a) => ({ ...a, slots: a.slots.map((s) => (s ? [s[0], jsonNumber(s[1])] : null)) })) };
    }
    if (flags.table) {
      const { renderTable } = await import('../table.js');
      const { header } = result;
      context.print(`aggregationMethod: ${header.aggregationMethod}  maxRetention: ${header.maxRetention}s  xFilesFactor: ${header.xFilesFactor}  fileSize: ${result.fileSize}\n`);
      result.archives.forEach((archive, i) => {
        const rows = archive.slots.flatMap((slot, index) => (slot && slot[0] !== 0 ? [[index, flags.pretty ? new Date(slot[0] * 1000).toISOString() : slot[0], reprFloat(slot[1])]] : []));
        context.print(`\nArchive ${i}: ${archive.points} points of ${archive.secondsPerPoint}s at offset ${archive.offset} (${rows.length} in use)\n`);
        context.print(renderTable(['slot', 'time', 'value'], rows));
      });
      return undefined;
    }
    context.print(formatDumpText(result, { pretty: Boolean(flags.pretty), timeFormat: flags['time-format'] as string | undefined }));
    return undefined;
  },
};
