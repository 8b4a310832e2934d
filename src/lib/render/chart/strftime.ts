/** strftime over a wall-clock time (for x-axis labels and xFormat), C locale. */
import type { Wall } from '../zone-time.js';

const DAYS = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'];
const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
const pad = (n: number, width = 2, fill = '0'): string => String(n).padStart(width, fill);

export function strftimeWall(format: string, w: Wall): string {
  const hour12 = w.hour % 12 === 0 ? 12 : w.hour % 12;
  const directives: Record<string, () => string> = {
    a: () => DAYS[w.weekday - 1].slice(0, 3),
    A: () => DAYS[w.weekday - 1],
    b: () => MONTHS[w.month - 1].slice(0, 3),
    B: () => MONTHS[w.month - 1],
    d: () => pad(w.day),
    e: () => pad(w.day, 2, ' '),
    H: () => pad(w.hour),
    I: () => pad(hour12),
    l: () => pad(hour12, 2, ' '),
    m: () => pad(w.month),
    M: () => pad(w.minute),
    p: () => (w.hour < 12 ? 'AM' : 'PM'),
    S: () => pad(w.second),
    y: () => pad(w.year % 100),
    Y: () => String(w.year),
    '%': () => '%',
  };
  return format.replace(/%([a-zA-Z%])/g, (m, d: string) => directives[d]?.() ?? m);
}
