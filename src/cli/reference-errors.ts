/**
 * How the reference whisper-* scripts report a failure, for compatibility mode: which exceptions
 * each script catches and prints as "[ERROR] ...", which special messages it prints for a
 * missing file, and which end in a Python traceback. gph reproduces the shape of that output
 * (stderr text and exit status) so scripts that check them keep working.
 */
import { GphError } from '../lib/errors.js';
import { REFERENCE_USAGE } from './reference-usage.js';

/** Exception classes defined by whisper.py (printed with their module in a traceback). */
const WHISPER_EXCEPTIONS = new Set(['InvalidConfiguration', 'InvalidAggregationMethod', 'InvalidTimeInterval', 'InvalidXFilesFactor', 'TimestampNotCovered', 'CorruptWhisperFile']);
const OS_ERRORS = new Set(['FileNotFoundError', 'PermissionError', 'IsADirectoryError', 'OSError']);

/** What a script catches around its main call. */
const CATCHES: Record<string, { whisper: boolean; io: boolean }> = {
  'whisper-fetch': { whisper: true, io: true },
  'whisper-info': { whisper: true, io: false },
  'whisper-create': { whisper: true, io: false },
  'whisper-update': { whisper: true, io: false },
  'whisper-set-aggregation-method': { whisper: true, io: false },
  'whisper-set-xfilesfactor': { whisper: true, io: false },
};

export interface ReferenceOutput {
  stdout: string;
  stderr: string;
  exitCode: number;
}

/** The output the reference `tool` gives for `error`. */
export function referenceErrorOutput(tool: string, error: GphError): ReferenceOutput {
  const reference = error.reference ?? { type: 'RuntimeError', message: error.message };
  if (error.code === 'USAGE') return { stdout: '', stderr: `${reference.message}\n`, exitCode: 2 };
  if (error.code === 'USAGE_HELP') return { stdout: REFERENCE_USAGE[tool] ?? '', stderr: '', exitCode: 1 };
  if (error.code === 'UNKNOWN_FIELD') return { stdout: `${reference.message}\n`, stderr: '', exitCode: 1 };
  if (error.code === 'NO_DATA') return { stdout: '', stderr: `${reference.message}\n`, exitCode: 1 };
  if (error.code === 'FILE_NOT_FOUND' || error.code === 'FILE_ACCESS') {
    if (tool === 'whisper-dump' || tool === 'whisper-merge') return { stdout: '', stderr: `[ERROR] File "${error.path}" does not exist!\n`, exitCode: 1 };
    if (tool === 'whisper-resize' || tool === 'whisper-set-aggregation-method' || tool === 'whisper-set-xfilesfactor') {
      return { stdout: REFERENCE_USAGE[tool] ?? '', stderr: `[ERROR] File '${error.path}' does not exist!\n\n`, exitCode: 1 };
    }
  }
  const catches = CATCHES[tool] ?? { whisper: false, io: false };
  if ((catches.whisper && WHISPER_EXCEPTIONS.has(reference.type)) || (catches.io && OS_ERRORS.has(reference.type))) {
    return { stdout: '', stderr: `[ERROR] ${reference.message}\n`, exitCode: 1 };
  }
  const qualified = WHISPER_EXCEPTIONS.has(reference.type) ? `whisper.${reference.type}` : reference.type;
  return {
    stdout: '',
    stderr: `Traceback (most recent call last):\n  File "${tool}" (reproduced by gph in compatibility mode)\n${qualified}: ${reference.message}\n`,
    exitCode: 1,
  };
}

/** A usage error the reference reports through optparse ("Usage: ...\n\nPROG: error: MSG"). */
export function referenceUsageError(tool: string, usageLine: string, message: string, hint: string): GphError {
  return new GphError('USAGE', message, { hint, reference: { type: 'SystemExit', message: `${usageLine}\n\n${tool}: error: ${message}` } });
}
