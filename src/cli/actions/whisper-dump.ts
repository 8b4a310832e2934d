/**
 * `gph whisper dump`: the action behind the command (shared by oclif and the fast path).
 */
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
  },
  run(args, flags, context) {
    if (args.length !== 1) throw referenceUsageError('whisper-dump', 'Usage: whisper-dump path', 'require one input file name', 'Give the whisper file to dump');
    const result = dump(args[0], { lax: true }, { compat: context.compat });
    if (context.json) {
      return { ...result, archives: result.archives.map((a) => ({ ...a, slots: a.slots.map((s) => (s ? [s[0], jsonNumber(s[1])] : null)) })) };
    }
    context.print(formatDumpText(result, { pretty: Boolean(flags.pretty), timeFormat: flags['time-format'] as string | undefined }));
    return undefined;
  },
};
