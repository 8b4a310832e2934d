/**
 * The base of every gph command: the global --now flag (and GPH_NOW), --json, compatibility
 * mode (GPH_COMPAT=whisper), and the mapping of errors to a clear message and exit status
 * (src/cli/report-error.ts).
 */
import { Command, Errors, Flags } from '@oclif/core';
import type { Clock } from '../lib/clock.js';
import { clockFrom, compatMode } from './clock-from.js';
import type { CommandAction } from './command-spec.js';
import { reportError } from './report-error.js';

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
    return clockFrom(now);
  }

  /** Writes text to stdout exactly as given (no added newline). */
  protected print(text: string): void {
    if (text) process.stdout.write(text);
  }

  /** Runs a command action (src/cli/actions) with what oclif parsed. */
  protected runAction(action: CommandAction, parsed: { argv: unknown[]; flags: Record<string, unknown> }): unknown {
    const flags = parsed.flags as Record<string, string | boolean | string[] | undefined>;
    return action.run(parsed.argv as string[], flags, { compat: this.compat, json: this.jsonEnabled(), clock: this.clockFrom(flags.now as string | undefined), print: (text) => this.print(text) });
  }

  protected async catch(error: Error & { oclif?: { exit?: number } }): Promise<unknown> {
    if (error instanceof Errors.ExitError) throw error;
    const status = reportError(error, {
      json: super.jsonEnabled() && !this.compat,
      compat: this.compat,
      tool: (this.constructor as typeof GphCommand).referenceTool,
      usage: error.oclif?.exit === 2,
      cliError: error instanceof Errors.CLIError,
    });
    return this.exit(status);
  }
}
