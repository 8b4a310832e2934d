/**
 * Converting option text the way the reference scripts' optparse does (type='int', 'float'),
 * with optparse's error wording kept in the reference message for compatibility mode.
 */
import { GphError } from '../lib/errors.js';
import { pyFloat, pyInt } from '../lib/python/py-convert.js';

/** Parses an integer option such as --from; USAGE error when it is not an integer literal. */
export function intOption(name: string, text: string, tool: string, usageLine: string): number {
  try {
    return pyInt(text);
  } catch {
    const message = `option ${name}: invalid integer value: '${text}'`;
    throw new GphError('USAGE', `Invalid value for ${name}: "${text}" is not a whole number`, {
      hint: `Give ${name} as epoch seconds, e.g. ${name} 1700000000`,
      reference: { type: 'SystemExit', message: `${usageLine}\n\n${tool}: error: ${message}` },
    });
  }
}

/** Parses a float option such as --xFilesFactor; USAGE error when it is not a number. */
export function floatOption(name: string, text: string, tool: string, usageLine: string): number {
  try {
    return pyFloat(text);
  } catch {
    const message = `option ${name}: invalid floating-point value: '${text}'`;
    throw new GphError('USAGE', `Invalid value for ${name}: "${text}" is not a number`, {
      hint: `Give ${name} as a decimal number, e.g. ${name}=0.5`,
      reference: { type: 'SystemExit', message: `${usageLine}\n\n${tool}: error: ${message}` },
    });
  }
}

/** The error for a command run with too few or too many arguments; the reference prints its help. */
export function usageHelpError(message: string, hint: string): GphError {
  return new GphError('USAGE_HELP', message, { hint });
}
