/**
 * Python's time.ctime() and time.strftime() over local time (the process's TZ), as the
 * whisper-* scripts print with --pretty.
 */

const DAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

const pad = (n: number, width = 2, fill = '0'): string => String(n).padStart(width, fill);

function dayOfYear(date: Date): number {
  const start = new Date(date.getFullYear(), 0, 1);
  const utcDay = Date.UTC(date.getFullYear(), date.getMonth(), date.getDate());
  return Math.round((utcDay - Date.UTC(start.getFullYear(), 0, 1)) / 86_400_000) + 1;
}

function utcOffset(date: Date): string {
  const minutes = -date.getTimezoneOffset();
  const sign = minutes < 0 ? '-' : '+';
  return `${sign}${pad(Math.floor(Math.abs(minutes) / 60))}${pad(Math.abs(minutes) % 60)}`;
}

function zoneName(date: Date): string {
  const part = new Intl.DateTimeFormat('en-US', { timeZoneName: 'short' }).formatToParts(date).find((p) => p.type === 'timeZoneName');
  return part?.value === 'GMT' && date.getTimezoneOffset() === 0 ? (process.env.TZ === 'UTC' ? 'UTC' : 'GMT') : (part?.value ?? '');
}

/** time.strftime(format, time.localtime(epochSeconds)) for the common C directives. */
export function strftime(format: string, epochSeconds: number): string {
  const date = new Date(epochSeconds * 1000);
  const hours12 = date.getHours() % 12 === 0 ? 12 : date.getHours() % 12;
  const directives: Record<string, () => string> = {
    a: () => DAYS[date.getDay()].slice(0, 3),
    A: () => DAYS[date.getDay()],
    b: () => MONTHS[date.getMonth()].slice(0, 3),
    h: () => MONTHS[date.getMonth()].slice(0, 3),
    B: () => MONTHS[date.getMonth()],
    c: () => strftime('%a %b %e %H:%M:%S %Y', epochSeconds),
    d: () => pad(date.getDate()),
    e: () => pad(date.getDate(), 2, ' '),
    H: () => pad(date.getHours()),
    I: () => pad(hours12),
    j: () => pad(dayOfYear(date), 3),
    m: () => pad(date.getMonth() + 1),
    M: () => pad(date.getMinutes()),
    p: () => (date.getHours() < 12 ? 'AM' : 'PM'),
    S: () => pad(date.getSeconds()),
    s: () => String(Math.floor(epochSeconds)),
    w: () => String(date.getDay()),
    y: () => pad(date.getFullYear() % 100),
    Y: () => String(date.getFullYear()),
    z: () => utcOffset(date),
    Z: () => zoneName(date),
    F: () => strftime('%Y-%m-%d', epochSeconds),
    T: () => strftime('%H:%M:%S', epochSeconds),
    D: () => strftime('%m/%d/%y', epochSeconds),
    R: () => strftime('%H:%M', epochSeconds),
    x: () => strftime('%m/%d/%y', epochSeconds),
    X: () => strftime('%H:%M:%S', epochSeconds),
    n: () => '\n',
    t: () => '\t',
    '%': () => '%',
  };
  return format.replace(/%(.)/gs, (match, directive: string) => directives[directive]?.() ?? match);
}

/** time.ctime(epochSeconds): "Tue Nov 14 22:00:00 2023" in local time. */
export function ctime(epochSeconds: number): string {
  return strftime('%a %b %e %H:%M:%S %Y', epochSeconds);
}
