/**
 * Relay destinations as carbon.conf writes them: host:port[:instance], or [v6]:port[:instance]
 * (carbon's util.parseDestination).
 */
import { GphError } from '../../errors.js';

export interface Destination {
  server: string;
  port: number;
  /** null without ":instance". */
  instance: string | null;
}

/** Parses one destination; throws CONFIG_VALUE with the expected form. */
export function parseDestination(text: string): Destination {
  const trimmed = text.trim();
  const match = /^\[([^\]]+)\]:(\d+)(?::(.*))?$/.exec(trimmed) ?? /^([^:[\]]+):(\d+)(?::(.*))?$/.exec(trimmed);
  const port = match ? Number(match[2]) : NaN;
  if (!match || !(port > 0 && port < 65536)) {
    throw new GphError('CONFIG_VALUE', `Cannot read destination "${text}"`, { hint: 'Write host:port[:instance], e.g. 127.0.0.1:2004:a or [::1]:2004:a' });
  }
  return { server: match[1], port, instance: match[3] === undefined ? null : match[3] };
}

/** host:port:instance as carbon prints it ("" for no instance). */
export function formatDestination(destination: Destination): string {
  return `${destination.server}:${destination.port}:${destination.instance ?? ''}`;
}
