/**
 * The base of every gph command: the global --now flag (and GPH_NOW), --json, compatibility
 * mode (GPH_COMPAT=whisper), and the mapping of errors to a clear message and exit status:
 * 1 for errors the user can fix, 2 for usage errors, 70 for internal bugs.
 */
import { Command, Errors, Flags } from '@oclif/core';
import { type Clock, FixedClock, systemClock } from '../lib/clock.js';
import { GphError } from '../lib/errors.js';
import { pyInt } from '../lib/python/py-convert.js';
import { referenceErrorOutput } from './reference-errors.js';

export const EXIT_USER_ERROR = 1;
export const EXIT_USAGE = 2;
export const EXIT_INTERNAL = 70;

/** True when gph should behave exactly as the whisper-* scripts, defects included. */
export function compatMode(): boolean {
  return process.env.GPH_COMPAT === 'whisper';
}

export abstract class GphCommand extends Command {
  static enableJsonFlag = true;
  static baseFlags = {
    now: Flags.string({
      summary: 'Fix "now" to this epoch time (also GPH_NOW), for reproducible scripts and tests.',
      env: 'GPH_NOW',
      helpGroup: 'GLOBAL',
    }),
  };
  /** The reference script this command mirrors (for compatibility-mode errors). */
  static referenceTool = '';

  protected readonly compat = compatMode();

  /** In compatibility mode --json is the command's own (Python-formatted) option. */
  public jsonEnabled(): boolean {
    return !this.compat && super.jsonEnabled();
  }

  /** The clock to use: --now/GPH_NOW when given, else the system clock. */
  protected clockFrom(now: string | undefined): Clock {
    if (now === undefined || now === '') return systemClock;
    return new FixedClock(pyInt(now));
  }

  /** Writes text to stdout exactly as given (no added newline). */
  protected print(text: string): void {
    if (text) process.stdout.write(text);
  }

  protected toErrorJson(error: unknown): unknown {
    if (error instanceof GphError) return { error: { code: error.code, message: error.message, ...(error.hint ? { hint: error.hint } : {}) } };
    const message = error instanceof Error ? error.message : String(error);
    return { error: { code: 'INTERNAL', message } };
  }

  protected async catch(error: Error & { exitCode?: number; oclif?: { exit?: number } }): Promise<unknown> {
    if (error instanceof Errors.ExitError) throw error;
    const tool = (this.constructor as typeof GphCommand).referenceTool;
    if (this.compat && error instanceof GphError && tool) {
      const out = referenceErrorOutput(tool, error);
      process.stdout.write(out.stdout);
      process.stderr.write(out.stderr);
      return this.exit(out.exitCode);
    }
    const isUsage = (error instanceof GphError && error.code.startsWith('USAGE')) || (!(error instanceof GphError) && error.oclif?.exit === 2);
    const isUser = error instanceof GphError || error instanceof Errors.CLIError;
    const status = isUsage ? EXIT_USAGE : isUser ? EXIT_USER_ERROR : EXIT_INTERNAL;
    if (super.jsonEnabled()) {
      const body = error instanceof GphError || isUser ? this.toErrorJson(error) : { error: { code: 'INTERNAL', message: error.message } };
      process.stdout.write(`${JSON.stringify(body, null, 2)}\n`);
    } else if (error instanceof GphError) {
      process.stderr.write(`Error: ${error.message}\nCode: ${error.code}\n${error.hint ? `Hint: ${error.hint}\n` : ''}`);
    } else if (isUser) {
      process.stderr.write(`Error: ${error.message}\nCode: ${isUsage ? 'USAGE' : 'CLI'}\nHint: See --help for the usage\n`);
    } else {
      process.stderr.write(`Internal error: ${error.stack ?? error.message}\nThis is a bug in gph; please report it with the command you ran.\n`);
    }
    return this.exit(status);
  }
}
