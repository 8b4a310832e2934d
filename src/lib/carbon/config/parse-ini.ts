/**
 * The INI dialect of carbon's config files (Python ConfigParser): [sections] in order,
 * "key = value" or "key: value", full-line comments starting with # or ;, indented continuation
 * lines. Keys are lower-cased as ConfigParser does. Pure: text in, sections out.
 */
import fs from 'node:fs';
import { GphError, fileSystemError } from '../../errors.js';

export interface IniSection {
  name: string;
  /** Entries in file order (a repeated key keeps its last value, as ConfigParser does). */
  entries: Map<string, string>;
  /** 1-based line of the section header, for messages. */
  line: number;
}

/** Parses INI text; `source` names the file in errors (CONFIG_SYNTAX). */
export function parseIni(text: string, source: string): IniSection[] {
  const sections: IniSection[] = [];
  let current: IniSection | undefined;
  let lastKey: string | undefined;
  text.split(/\r?\n/).forEach((raw, index) => {
    const lineNumber = index + 1;
    if (/^\s*([#;].*)?$/.test(raw)) {
      lastKey = undefined;
      return;
    }
    if (/^\s/.test(raw) && current && lastKey !== undefined) {
      current.entries.set(lastKey, `${current.entries.get(lastKey)}\n${raw.trim()}`);
      return;
    }
    const header = /^\[([^\]]+)\]\s*$/.exec(raw);
    if (header) {
      current = { name: header[1], entries: new Map(), line: lineNumber };
      sections.push(current);
      lastKey = undefined;
      return;
    }
    const entry = /^([^=:]+?)\s*[=:]\s*(.*)$/.exec(raw.trim());
    if (!entry || !current) {
      throw new GphError('CONFIG_SYNTAX', `Cannot read ${source} line ${lineNumber}: ${current ? 'expected "key = value"' : 'a setting before any [section]'}`, {
        path: source,
        hint: 'Fix the line; carbon config files are INI files with [sections] and key = value lines',
      });
    }
    lastKey = entry[1].toLowerCase();
    current.entries.set(lastKey, entry[2].trim());
  });
  return sections;
}

/** Reads a config file and returns the entries of its [`name`] section (empty when absent). */
export function readConfigSection(configPath: string, name: string): Map<string, string> {
  let text: string;
  try {
    text = fs.readFileSync(configPath, 'utf8');
  } catch (error) {
    throw fileSystemError(error, configPath, 'read the config file');
  }
  return parseIni(text, configPath).find((s) => s.name === name)?.entries ?? new Map();
}
