/**
 * RELAY_METHOD = rules: relay-rules.conf routing as carbon's RelayRulesRouter
 * (lib/carbon/relayrules.py). Sections in file order; each has `destinations` and either a
 * `pattern` (a case-insensitive search) or `default = true`; the first matching rule ends the
 * search unless it says `continue = true`; the one default rule always comes last. Only rule
 * destinations also listed in DESTINATIONS receive points.
 */
import fs from 'node:fs';
import { GphError, fileSystemError } from '../../errors.js';
import { parseIni } from '../config/parse-ini.js';
import { type Destination, parseDestination } from './destination.js';

export interface RelayRule {
  name: string;
  /** undefined for the default rule. */
  pattern?: RegExp;
  destinations: Destination[];
  continueMatching: boolean;
}

const TRUE_WORDS = ['1', 'yes', 'true', 'on'];

function ruleError(message: string, source: string): GphError {
  return new GphError('CONFIG_VALUE', `${message} (${source})`, { path: source, hint: 'Each section needs destinations and either pattern = REGEX or default = true; exactly one default rule' });
}

/** Parses relay-rules.conf text; the default rule is moved last, as carbon does. */
export function parseRelayRules(text: string, source: string): RelayRule[] {
  const rules: RelayRule[] = [];
  let defaultRule: RelayRule | undefined;
  for (const section of parseIni(text, source)) {
    const destinationsText = section.entries.get('destinations');
    if (destinationsText === undefined) throw ruleError(`Rules file section ${section.name} does not define a 'destinations' list`, source);
    const destinations = destinationsText.split(',').map((d) => d.trim()).filter(Boolean).map(parseDestination);
    const pattern = section.entries.get('pattern');
    const isDefault = section.entries.get('default');
    if (pattern !== undefined) {
      if (isDefault !== undefined) throw ruleError(`Section ${section.name} contains both 'pattern' and 'default'. You must use one or the other.`, source);
      let regex: RegExp;
      try {
        regex = new RegExp(pattern, 'i');
      } catch (cause) {
        throw ruleError(`Section ${section.name} has a pattern that is not a regular expression: ${pattern} (${(cause as Error).message})`, source);
      }
      rules.push({ name: section.name, pattern: regex, destinations, continueMatching: TRUE_WORDS.includes((section.entries.get('continue') ?? '').toLowerCase()) });
      continue;
    }
    if (isDefault !== undefined) {
      if (!TRUE_WORDS.includes(isDefault.toLowerCase())) continue;
      if (defaultRule) throw ruleError('Only one default rule can be specified', source);
      defaultRule = { name: section.name, destinations, continueMatching: false };
    }
  }
  if (!defaultRule) throw ruleError("No default rule defined. You must specify exactly one rule with 'default = true' instead of a pattern.", source);
  return [...rules, defaultRule];
}

/** Reads relay-rules.conf from disk. */
export function loadRelayRules(filePath: string): RelayRule[] {
  let text: string;
  try {
    text = fs.readFileSync(filePath, 'utf8');
  } catch (error) {
    throw fileSystemError(error, filePath, 'read the relay rules');
  }
  return parseRelayRules(text, filePath);
}

const key = (d: { server: string; port: number; instance: string | null }): string => `${d.server}:${d.port}:${d.instance ?? ''}`;

export class RulesRouter {
  private readonly allowed: Set<string>;

  constructor(
    private readonly rules: readonly RelayRule[],
    destinations: readonly Destination[],
  ) {
    this.allowed = new Set(destinations.map(key));
  }

  /** The destinations of `metric` (each once), in rule order. */
  getDestinations(metric: string): Destination[] {
    const out: Destination[] = [];
    const seen = new Set<string>();
    for (const rule of this.rules) {
      if (rule.pattern && !rule.pattern.test(metric)) continue;
      for (const destination of rule.destinations) {
        const k = key(destination);
        if (this.allowed.has(k) && !seen.has(k)) {
          seen.add(k);
          out.push(destination);
        }
      }
      if (!rule.continueMatching) break;
    }
    return out;
  }
}
