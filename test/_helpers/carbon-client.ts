/** Small loopback clients for the carbon protocols, for tests. */
import dgram from 'node:dgram';
import net from 'node:net';
import { decodePickle, type PickleValue } from '../../src/lib/carbon/protocol/pickle-decoder.js';
import { type PickleInput, encodePickle } from '../../src/lib/carbon/protocol/pickle-encoder.js';
import { FrameReader, frame } from '../../src/lib/carbon/receiver/frame-reader.js';

/** Opens a TCP connection to 127.0.0.1:port. */
export function connect(port: number): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1', () => resolve(socket));
    socket.once('error', reject);
  });
}

/** Writes `data` and closes the connection once it is sent. */
export async function sendAndClose(port: number, data: string | Buffer): Promise<void> {
  const socket = await connect(port);
  await new Promise<void>((resolve) => socket.end(data, () => resolve()));
}

/** Sends one UDP datagram. */
export async function sendUdp(port: number, data: string): Promise<void> {
  const socket = dgram.createSocket('udp4');
  await new Promise<void>((resolve, reject) => socket.send(data, port, '127.0.0.1', (error) => (error ? reject(error) : resolve())));
  socket.close();
}

/** A framed pickle of `value`. */
export const pickleFrame = (value: PickleInput): Buffer => frame(encodePickle(value));

/** A carbonlink client on one persistent connection. */
export class CarbonlinkClient {
  private waiting: Array<(value: PickleValue) => void> = [];
  private constructor(private readonly socket: net.Socket) {
    const reader = new FrameReader({ frame: (body) => this.waiting.shift()?.(decodePickle(body)), tooLarge: () => {} }, 1 << 30);
    socket.on('data', (chunk: Buffer) => reader.push(chunk));
  }

  static async open(port: number): Promise<CarbonlinkClient> {
    return new CarbonlinkClient(await connect(port));
  }

  /** Sends a raw frame body and waits for the reply. */
  requestRaw(body: Buffer): Promise<PickleValue> {
    return new Promise((resolve) => {
      this.waiting.push(resolve);
      this.socket.write(frame(body));
    });
  }

  request(value: PickleInput): Promise<PickleValue> {
    return this.requestRaw(encodePickle(value));
  }

  close(): void {
    this.socket.destroy();
  }
}
