/**
 * Chart templates: graphite's graphTemplates.conf sections (background, foreground, majorLine,
 * minorLine, lineColors, font*). gph's default is the look graphite users know from the example
 * template: black background, white text and major grid lines.
 */
import fs from 'node:fs';
import { GphError } from '../../errors.js';
import { parseIni } from '../../carbon/config/parse-ini.js';

export interface ChartTemplate {
  background: string;
  foreground: string;
  majorLine: string;
  minorLine: string;
  lineColors: string[];
  fontName: string;
  fontSize: number;
  fontBold: boolean;
  fontItalic: boolean;
}

export const DEFAULT_TEMPLATE: ChartTemplate = {
  background: 'black',
  foreground: 'white',
  majorLine: 'white',
  minorLine: 'grey',
  lineColors: ['blue', 'green', 'red', 'purple', 'brown', 'yellow', 'aqua', 'grey', 'magenta', 'pink', 'gold', 'rose'],
  fontName: 'Sans',
  fontSize: 10,
  fontBold: false,
  fontItalic: false,
};

/** The bundled font every chart uses, whatever fontName asks for (output identical everywhere). */
export const CHART_FONT_FAMILY = 'DejaVu Sans';

export function fontSpec(size: number, bold: boolean, italic: boolean, _requested: string): string {
  return `${italic ? 'italic ' : ''}${bold ? 'bold ' : ''}${size}px "${CHART_FONT_FAMILY}"`;
}

/** Reads section `name` of a graphTemplates.conf over the defaults ([default] first). */
export function loadTemplate(name: string | undefined, confPath?: string): ChartTemplate {
  if (!confPath || !fs.existsSync(confPath)) {
    if (name && name !== 'default' && confPath) throw new GphError('RENDER_BAD_OPTION', `No graph template "${name}": ${confPath} does not exist`, { hint: 'Create graphTemplates.conf or drop template=' });
    return DEFAULT_TEMPLATE;
  }
  const sections = new Map(parseIni(fs.readFileSync(confPath, 'utf8'), confPath).map((s) => [s.name, s.entries]));
  const pick = (section: Map<string, string> | undefined, base: ChartTemplate): ChartTemplate => {
    if (!section) return base;
    const get = (key: string): string | undefined => section.get(key.toLowerCase());
    return {
      background: get('background') ?? base.background,
      foreground: get('foreground') ?? base.foreground,
      majorLine: get('majorLine') ?? base.majorLine,
      minorLine: get('minorLine') ?? base.minorLine,
      lineColors: get('lineColors')?.split(',').map((c) => c.trim()) ?? base.lineColors,
      fontName: get('fontName') ?? base.fontName,
      fontSize: Number(get('fontSize') ?? base.fontSize),
      fontBold: (get('fontBold') ?? String(base.fontBold)).toLowerCase() === 'true',
      fontItalic: (get('fontItalic') ?? String(base.fontItalic)).toLowerCase() === 'true',
    };
  };
  const defaults = pick(sections.get('default'), DEFAULT_TEMPLATE);
  if (!name || name === 'default') return defaults;
  const section = sections.get(name);
  if (!section) throw new GphError('RENDER_BAD_OPTION', `No graph template "${name}" in ${confPath}`, { hint: `Sections there: ${[...sections.keys()].join(', ')}` });
  return pick(section, defaults);
}
