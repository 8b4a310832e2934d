/**
 * A command described without oclif: its flags and the action that runs it. The oclif command
 * classes turn these into oclif flags; the start-up fast path (src/cli/fast-path.ts) parses them
 * with node:util, so the hot read commands run without loading oclif at all.
 */
import type { Clock } from '../lib/clock.js';

export interface FlagSpec {
  type: 'string' | 'boolean';
  summary: string;
  char?: string;
  /** May be given several times (the value is then an array of strings). */
  multiple?: boolean;
  /** The allowed values of a string flag. */
  options?: readonly string[];
  /** A boolean flag that also accepts --no-NAME. */
  allowNo?: boolean;
}

export interface ActionContext {
  /** GPH_COMPAT=whisper: behave exactly as the whisper-* scripts. */
  compat: boolean;
  /** gph's --json: return a value to print as JSON instead of printing text. */
  json: boolean;
  clock: Clock;
  print(text: string): void;
}

export interface CommandAction {
  /** The reference script the command mirrors, for compatibility-mode errors. */
  referenceTool: string;
  flags: Record<string, FlagSpec>;
  /** Runs with the positional arguments and parsed flags (`json` is the raw --json flag); returns the --json value. */
  run(argv: string[], flags: Record<string, string | boolean | string[] | undefined>, context: ActionContext): unknown;
}
