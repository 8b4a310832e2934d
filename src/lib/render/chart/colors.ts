/** graphite's colour names (render/glyph.py colorAliases) and colour parsing. */
import { GphError } from '../../errors.js';

export interface Rgba {
  r: number;
  g: number;
  b: number;
  a: number;
}

export const COLOR_ALIASES: Record<string, [number, number, number]> = {
  black: [0, 0, 0],
  white: [255, 255, 255],
  blue: [100, 100, 255],
  green: [0, 200, 0],
  red: [200, 0, 50],
  yellow: [255, 255, 0],
  orange: [255, 165, 0],
  purple: [200, 100, 255],
  brown: [150, 100, 50],
  cyan: [0, 255, 255],
  aqua: [0, 150, 150],
  gray: [175, 175, 175],
  grey: [175, 175, 175],
  magenta: [255, 0, 255],
  pink: [255, 100, 100],
  gold: [200, 200, 0],
  rose: [200, 150, 200],
  darkblue: [0, 0, 255],
  darkgreen: [0, 255, 0],
  darkred: [255, 0, 0],
  darkgray: [111, 111, 111],
  darkgrey: [111, 111, 111],
};

/** A name from COLOR_ALIASES or hex RRGGBB / RRGGBBAA (leading "#" or "%23" allowed). */
export function parseColor(value: string, alpha = 1, forceAlpha = false): Rgba {
  const alias = COLOR_ALIASES[value];
  if (alias) return { r: alias[0], g: alias[1], b: alias[2], a: alpha };
  let hex = value;
  if (hex.startsWith('#')) hex = hex.slice(1);
  if (hex.startsWith('%23')) hex = hex.slice(3);
  if (/^[0-9a-fA-F]{6}([0-9a-fA-F]{2})?$/.test(hex)) {
    const a = hex.length === 8 && !forceAlpha ? Number.parseInt(hex.slice(6, 8), 16) / 255 : alpha;
    return { r: Number.parseInt(hex.slice(0, 2), 16), g: Number.parseInt(hex.slice(2, 4), 16), b: Number.parseInt(hex.slice(4, 6), 16), a };
  }
  throw new GphError('RENDER_BAD_OPTION', `Unknown colour "${value}"`, { hint: `Use a name (${Object.keys(COLOR_ALIASES).join(', ')}) or hex RRGGBB[AA]` });
}

export function cssColor(color: Rgba): string {
  return `rgba(${color.r},${color.g},${color.b},${Number(color.a.toFixed(4))})`;
}
