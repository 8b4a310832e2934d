/**
 * The network side of the receivers: a TCP line listener, a UDP line listener and a TCP pickle
 * listener, each feeding a PointIntake. Bad input is counted and skipped; the connection stays.
 */
import dgram from 'node:dgram';
import net from 'node:net';
import { pyFloat } from '../../python/py-convert.js';
import { type PicklePoint, readDatapointPickle } from '../protocol/pickle-datapoints.js';
import { PickleError, type PickleValue, decodePickle } from '../protocol/pickle-decoder.js';
import { type TakePoint, parseLineAt } from '../protocol/parse-line.js';
import type { CacheStats } from '../cache-stats.js';
import type { FlowControl } from './flow-control.js';
import { FrameReader } from './frame-reader.js';
import { LineSplitter, MAX_LINE_BYTES } from './line-splitter.js';
import type { KnownPoint, NameTable } from './name-table.js';
import type { PointIntake } from './point-intake.js';
import type { Logger } from '../../logger.js';

export interface ListenerContext {
  intake: PointIntake;
  stats: CacheStats;
  flow: FlowControl;
  now: () => number;
  /** LOG_LISTENER_CONNECTIONS: connections opened and closed are logged here (carbon's listener.log). */
  connections?: Logger;
  /** The line and pickle receivers' native fast path (none: every line and frame is read in JavaScript). */
  names?: NameTable;
}

const peer = (socket: net.Socket): string => `${socket.remoteAddress}:${socket.remotePort}`;

function track(server: net.Server, context: ListenerContext, kind: string): void {
  server.on('connection', (socket) => {
    context.stats.activeConnections++;
    context.flow.register(socket);
    socket.setNoDelay(true);
    const from = context.connections && peer(socket);
    context.connections?.info(`${kind} connection with ${from} established`);
    socket.on('close', (hadError) => {
      context.stats.activeConnections--;
      context.connections?.info(`${kind} connection with ${from} closed${hadError ? ' after an error' : ' cleanly'}`);
    });
    socket.on('error', () => socket.destroy());
  });
}

/** Takes the line text[start, end) of a connection whose points go to `take`. */
function takeLine(text: string, start: number, end: number, from: string, context: ListenerContext, take: TakePoint): void {
  const error = parseLineAt(text, start, end, context.now, take);
  if (error === undefined) return;
  const line = text.slice(start, end);
  if (line.trim() !== '') context.intake.refuse('invalidLines', `invalid line ${JSON.stringify(line.slice(0, 400))} (${error})`, from);
  else context.stats.count('invalidLines');
}

/** Line receivers' splitter: each line parsed where it lies and its point handed to the intake. */
function lineSplitter(from: string, context: ListenerContext): LineSplitter {
  const take: TakePoint = (metric, value, timestamp, plainName) => {
    context.intake.accept(metric, timestamp, value, from, plainName);
  };
  const intake = context.intake;
  return new LineSplitter(
    {
      line: (text, start, end) => takeLine(text, start, end, from, context, take),
      tooLong: () => intake.refuse('oversizedLines', 'line over 16384 bytes', from),
      invalidUtf8: () => intake.refuse('invalidLines', 'line that is not UTF-8', from),
      point: (id, name, value, timestamp) => void intake.acceptKnown(id, name, timestamp, value, from),
    },
    MAX_LINE_BYTES,
    context.names,
  );
}

/** A TCP server for the plaintext protocol. */
export function createLineServer(context: ListenerContext): net.Server {
  const server = net.createServer((socket) => {
    const splitter = lineSplitter(peer(socket), context);
    socket.on('data', (chunk: Buffer) => {
      splitter.push(chunk);
      context.intake.endChunk();
    });
    socket.on('end', () => {
      splitter.end();
      context.intake.endChunk();
    });
  });
  track(server, context, 'MetricLineReceiver');
  return server;
}

/** A UDP socket for the plaintext protocol (each datagram holds whole lines). */
export function createLineUdpSocket(context: ListenerContext, type: 'udp4' | 'udp6' = 'udp4'): dgram.Socket {
  const socket = dgram.createSocket(type);
  socket.on('message', (message, remote) => {
    const splitter = lineSplitter(`${remote.address}:${remote.port}`, context);
    splitter.push(message);
    splitter.end();
    context.intake.endChunk();
  });
  return socket;
}

function asPair(value: PickleValue): readonly PickleValue[] | undefined {
  return Array.isArray(value) && value.length === 2 ? value : undefined;
}

/** Takes the points of one decoded pickle: an iterable of (metric, (timestamp, value)). */
function takePickle(payload: PickleValue, from: string, context: ListenerContext): void {
  const items = Array.isArray(payload) ? payload : payload instanceof Set ? [...payload] : undefined;
  if (!items) {
    context.intake.refuse('invalidPickles', 'pickle that is not a list of (metric, (timestamp, value))', from);
    return;
  }
  for (const item of items) {
    const pair = asPair(item);
    const datapoint = pair && asPair(pair[1]);
    if (!pair || !datapoint || typeof pair[0] !== 'string') {
      context.intake.refuse('invalidPoints', 'pickled item that is not (metric, (timestamp, value))', from);
      continue;
    }
    let timestamp: number;
    let value: number;
    try {
      timestamp = pyFloat(typeof datapoint[0] === 'bigint' ? Number(datapoint[0]) : datapoint[0]);
      value = pyFloat(typeof datapoint[1] === 'bigint' ? Number(datapoint[1]) : datapoint[1]);
    } catch {
      context.stats.count('invalidPoints');
      continue;
    }
    context.intake.accept(pair[0], timestamp, value, from);
  }
}

/** A TCP server for the pickle protocol, refusing frames over `maxFrameBytes`. */
export function createPickleServer(context: ListenerContext, maxFrameBytes: number): net.Server {
  const server = net.createServer((socket) => {
    const from = peer(socket);
    const take: PicklePoint = (metric, timestamp, value) => {
      context.intake.accept(metric, timestamp, value, from);
    };
    const takeKnown: KnownPoint = (id, name, value, timestamp) => void context.intake.acceptKnown(id, name, timestamp, value, from);
    const reader = new FrameReader(
      {
        frame: (body) => {
          if (context.names?.readPickle(body, takeKnown) || readDatapointPickle(body, take)) return;
          let payload: PickleValue;
          try {
            payload = decodePickle(body);
          } catch (error) {
            if (!(error instanceof PickleError)) throw error;
            context.intake.refuse('invalidPickles', `invalid pickle (${error.message})`, from);
            return;
          }
          takePickle(payload, from, context);
        },
        tooLarge: (length) => context.intake.refuse('oversizedFrames', `pickle frame of ${length} bytes (limit ${maxFrameBytes})`, from),
      },
      maxFrameBytes,
    );
    socket.on('data', (chunk: Buffer) => {
      reader.push(chunk);
      context.intake.endChunk();
    });
  });
  track(server, context, 'MetricPickleReceiver');
  return server;
}
