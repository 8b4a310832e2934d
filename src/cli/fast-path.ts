/**
 * Start-up fast path: runs a command action with node:util's parseArgs instead of oclif, which
 * alone takes longer to load than the whole whisper-fetch script runs. Anything unusual (help,
 * an unknown flag, a parse error) returns false so bin/run.js hands the command to oclif.
 */
import { parseArgs } from 'node:util';
import { clockFrom, compatMode } from './clock-from.js';
import type { CommandAction } from './command-spec.js';
import { reportError } from './report-error.js';

const GLOBAL_FLAGS = { json: { type: 'boolean' }, now: { type: 'string' } } as const;

/** Runs `action` with `argv` if it parses cleanly; returns false to fall back to oclif. */
export async function runFast(action: CommandAction, argv: string[]): Promise<boolean> {
  if (argv.some((a) => a === '--help' || a === '-h' || a === '--')) return false;
  const options: Record<string, { type: 'string' | 'boolean'; short?: string; multiple?: boolean }> = { ...GLOBAL_FLAGS };
  for (const [name, spec] of Object.entries(action.flags)) {
    options[name] = { type: spec.type, ...(spec.char ? { short: spec.char } : {}), ...(spec.multiple ? { multiple: true } : {}) };
    if (spec.allowNo) options[`no-${name}`] = { type: 'boolean' };
  }
  let parsed;
  try {
    parsed = parseArgs({ args: argv, options, allowPositionals: true, strict: true });
  } catch {
    return false;
  }
  const flags = parsed.values as Record<string, string | boolean | string[] | undefined>;
  for (const [name, spec] of Object.entries(action.flags)) {
    const value = flags[name];
    // Let oclif report values outside a flag's options.
    if (spec.options && value !== undefined && ![value].flat().every((v) => spec.options!.includes(String(v)))) return false;
    if (spec.allowNo && flags[`no-${name}`]) flags[name] = false;
  }
  const compat = compatMode();
  const json = !compat && Boolean(flags.json);
  try {
    const clock = clockFrom((flags.now as string | undefined) ?? process.env.GPH_NOW);
    const result = await action.run(parsed.positionals, flags, { compat, json, clock, print: (text) => text && process.stdout.write(text) });
    if (json && result !== undefined) process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
  } catch (error) {
    process.exitCode = reportError(error, { json, compat, tool: action.referenceTool });
  }
  return true;
}
