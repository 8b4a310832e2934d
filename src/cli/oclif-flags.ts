import { Flags, type Interfaces } from '@oclif/core';
import type { FlagSpec } from './command-spec.js';

/** oclif flag definitions for a command action's flag specs. */
export function toOclifFlags(specs: Record<string, FlagSpec>): Interfaces.FlagInput {
  const flags: Interfaces.FlagInput = {};
  for (const [name, spec] of Object.entries(specs)) {
    const options = { summary: spec.summary, ...(spec.char ? { char: spec.char as 'a' } : {}) };
    flags[name] =
      spec.type === 'boolean'
        ? Flags.boolean({ ...options, allowNo: spec.allowNo ?? false })
        : spec.multiple
          ? Flags.string({ ...options, multiple: true, ...(spec.options ? { options: [...spec.options] } : {}) })
          : Flags.string({ ...options, ...(spec.options ? { options: [...spec.options] } : {}) });
  }
  return flags;
}
