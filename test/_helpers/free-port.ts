/**
 * Ports for tests that must name one before anything listens on it (a destination that is down
 * for now, a daemon started by a script). A port from bind(0) would be one the kernel hands out
 * again to the next bind(0) of a test running alongside (ava runs files in parallel processes),
 * which then answers for the "down" destination. So the port is picked at random below the
 * kernel's ephemeral range, where no bind(0) ever lands, and checked free.
 */
import fs from 'node:fs';
import net from 'node:net';

/** The lowest port for port-0 binds (net.ipv4.ip_local_port_range), 32768 when unknown. */
function ephemeralLow(): number {
  try {
    const low = Number(fs.readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/)[0]);
    return Number.isInteger(low) && low > 1024 ? low : 32768;
  } catch {
    return 32768;
  }
}

const LOWEST = 20000;
const ATTEMPTS = 50;

function listensThenCloses(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

/** A port nothing listens on, that no port-0 bind of another test can be given meanwhile. */
export async function freePort(): Promise<number> {
  const high = ephemeralLow();
  const lowest = Math.min(LOWEST, high - 1000);
  for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
    const port = lowest + Math.floor(Math.random() * (high - lowest));
    if (await listensThenCloses(port)) return port;
  }
  throw new Error(`no free port found between ${lowest} and ${high} in ${ATTEMPTS} attempts`);
}
