/**
 * Turns an error into what the user sees and the exit status: "Error:", "Code:" and "Hint:"
 * lines (or a JSON error document with --json), the reference scripts' output in compatibility
 * mode, and a bug report request for internal errors. Exit 1 user error, 2 usage, 70 bug.
 */
import { GphError } from '../lib/errors.js';
import { referenceErrorOutput } from './reference-errors.js';

export const EXIT_USER_ERROR = 1;
export const EXIT_USAGE = 2;
export const EXIT_INTERNAL = 70;

export interface ReportOptions {
  json: boolean;
  compat: boolean;
  /** The reference script (for compatibility mode). */
  tool?: string;
  /** An error from the argument parser (oclif exit code 2). */
  usage?: boolean;
  /** An expected CLI error that is not a GphError (oclif's CLIError). */
  cliError?: boolean;
}

/** Writes the report for `error` and returns the exit status. */
export function reportError(error: unknown, options: ReportOptions): number {
  if (options.compat && options.tool && error instanceof GphError) {
    const out = referenceErrorOutput(options.tool, error);
    process.stdout.write(out.stdout);
    process.stderr.write(out.stderr);
    return out.exitCode;
  }
  const gph = error instanceof GphError ? error : undefined;
  const isUsage = (gph?.code.startsWith('USAGE') ?? false) || Boolean(options.usage);
  const isUser = Boolean(gph) || Boolean(options.cliError) || isUsage;
  const message = error instanceof Error ? error.message : String(error);
  const code = gph?.code ?? (isUsage ? 'USAGE' : isUser ? 'CLI' : 'INTERNAL');
  const hint = gph?.hint ?? (isUser ? 'See --help for the usage' : undefined);
  if (options.json) {
    process.stdout.write(`${JSON.stringify({ error: { code, message, ...(hint ? { hint } : {}) } }, null, 2)}\n`);
  } else if (isUser) {
    process.stderr.write(`Error: ${message}\nCode: ${code}\n${hint ? `Hint: ${hint}\n` : ''}`);
  } else {
    process.stderr.write(`Internal error: ${error instanceof Error ? (error.stack ?? message) : message}\nThis is a bug in gph; please report it with the command you ran.\n`);
  }
  return isUsage ? EXIT_USAGE : isUser ? EXIT_USER_ERROR : EXIT_INTERNAL;
}
