/** Unit prefixes as graphite's glyph.format_units, and Python %-formatting of one value. */
import { formatFixed, formatGeneral, reprFloat } from '../../python/py-format.js';

export const UNIT_SYSTEMS: Record<string, Array<[string, number]>> = {
  binary: [
    ['Pi', 1024 ** 5],
    ['Ti', 1024 ** 4],
    ['Gi', 1024 ** 3],
    ['Mi', 1024 ** 2],
    ['Ki', 1024],
  ],
  si: [
    ['P', 1000 ** 5],
    ['T', 1000 ** 4],
    ['G', 1000 ** 3],
    ['M', 1000 ** 2],
    ['k', 1000],
  ],
  sec: [
    ['Y', 60 * 60 * 24 * 365],
    ['M', 60 * 60 * 24 * 30],
    ['D', 60 * 60 * 24],
    ['H', 60 * 60],
    ['m', 60],
  ],
  msec: [
    ['Y', 60 * 60 * 24 * 365 * 1000],
    ['M', 60 * 60 * 24 * 30 * 1000],
    ['D', 60 * 60 * 24 * 1000],
    ['H', 60 * 60 * 1000],
    ['m', 60 * 1000],
    ['s', 1000],
  ],
  none: [],
};

/** format_units(v, step, system, units): [scaled value, prefix]. */
export function formatUnits(v: number, system = 'si', units?: string, step?: number): [number, string] {
  for (const [prefix, size] of UNIT_SYSTEMS[system] ?? UNIT_SYSTEMS.si) {
    if (Math.abs(v) >= size && (step === undefined || step >= size)) {
      let v2 = v / size;
      if (v2 - Math.floor(v2) < 1e-11 && v > 1) v2 = Math.floor(v2);
      return [v2, units ? `${prefix}${units}` : prefix];
    }
  }
  if (v - Math.floor(v) < 1e-11 && v > 1) v = Math.floor(v);
  return [v, units ?? ''];
}

/** Python `fmt % value` for one numeric value (%s %d %i %f %.Nf %g %e %%). */
export function pyPercent(fmt: string, value: number): string {
  return fmt.replace(/%(-?\d*)(?:\.(\d+))?([sdifgeE%])/g, (_m, width: string, precision: string | undefined, conv: string) => {
    let text: string;
    switch (conv) {
      case '%':
        return '%';
      case 's':
        text = reprFloat(value);
        break;
      case 'd':
      case 'i':
        text = String(Math.trunc(value));
        break;
      case 'f':
        text = formatFixed(value, precision === undefined ? 6 : Number(precision));
        break;
      case 'g':
        text = formatGeneral(value, precision === undefined ? 6 : Number(precision));
        break;
      default:
        text = value.toExponential(precision === undefined ? 6 : Number(precision)).replace(/e([+-])(\d)$/, 'e$10$2');
        if (conv === 'E') text = text.toUpperCase();
    }
    const w = Number(width || 0);
    return w < 0 ? text.padEnd(-w) : text.padStart(w);
  });
}
