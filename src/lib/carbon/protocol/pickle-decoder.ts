/**
 * A restricted unpickler for carbon's pickle protocol and carbonlink: pickle protocols 0-5, but
 * only the opcodes that build built-in scalars and containers. Any opcode that would import a
 * global, call a function or build an object is refused, so no input can construct anything but
 * plain data (carbon's SafeUnpickler, stricter). Only PickleError escapes the decoder.
 *
 * Values: None -> null, bool, int -> number (bigint beyond 2^53), float -> number,
 * str -> string, bytes -> Uint8Array, list and tuple -> array, dict -> Map,
 * set/frozenset -> Set.
 */

export class PickleError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PickleError';
  }
}

export type PickleValue = null | boolean | number | bigint | string | Uint8Array | PickleValue[] | ReadonlyArray<PickleValue> | Map<PickleValue, PickleValue> | Set<PickleValue> | PickledObject;

/** An instance of an allowed class (PickleLimits.allowClasses): its name, constructor arguments and BUILD state. Nothing is run. */
export class PickledObject {
  state: PickleValue = null;
  constructor(
    readonly className: string,
    readonly args: PickleValue,
  ) {}
}

/** A reference to an allowed class, before it is instantiated. */
class PickledClass {
  constructor(readonly className: string) {}
}

/** Decoding limits, against hostile input. */
export interface PickleLimits {
  /** Most values on the stack plus memo (default 1,000,000). */
  maxObjects?: number;
  /**
   * "module.Name" classes whose instances may appear; they become PickledObject records (no code
   * runs). Any other class reference is refused, as by default.
   */
  allowClasses?: ReadonlySet<string>;
}

const MARK = Symbol('mark');
type StackItem = PickleValue | PickledClass | typeof MARK;
const textDecoder = new TextDecoder('utf-8', { fatal: true });

const REFUSED: Record<number, string> = {
  0x63: 'GLOBAL',
  0x93: 'STACK_GLOBAL',
  0x52: 'REDUCE',
  0x62: 'BUILD',
  0x69: 'INST',
  0x6f: 'OBJ',
  0x81: 'NEWOBJ',
  0x92: 'NEWOBJ_EX',
  0x82: 'EXT1',
  0x83: 'EXT2',
  0x84: 'EXT4',
  0x50: 'PERSID',
  0x51: 'BINPERSID',
  0x97: 'NEXT_BUFFER',
  0x98: 'READONLY_BUFFER',
};

/** Node's native Latin-1 reader (ASCII is Latin-1), applicable to any Uint8Array. */
export const latin1Slice = (Buffer.prototype as unknown as { latin1Slice: (this: Uint8Array, start: number, end: number) => string }).latin1Slice;
/** Strings up to this many bytes are checked for ASCII and read without TextDecoder. */
const SHORT_TEXT_BYTES = 256;
/** Longest integer accepted, in bytes (timestamps and counters need 8). */
const MAX_INT_BYTES = 64;

/** Decodes one pickle. Throws PickleError (and only PickleError) for anything malformed, truncated or not plain data. */
export function decodePickle(bytes: Uint8Array, limits: PickleLimits = {}): PickleValue {
  try {
    return decode(bytes, limits);
  } catch (error) {
    if (error instanceof PickleError) throw error;
    throw new PickleError(`cannot decode: ${(error as Error).message}`);
  }
}

function decode(bytes: Uint8Array, limits: PickleLimits): PickleValue {
  const maxObjects = limits.maxObjects ?? 1_000_000;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let pos = 0;
  const stack: StackItem[] = [];
  const memo = new Map<number, PickleValue | PickledClass>();
  let created = 0;

  const need = (n: number): void => {
    if (pos + n > bytes.byteLength) throw new PickleError(`pickle ends early at byte ${pos}`);
  };
  const u8 = (): number => {
    need(1);
    return bytes[pos++];
  };
  const u16 = (): number => {
    need(2);
    const v = view.getUint16(pos, true);
    pos += 2;
    return v;
  };
  const u32 = (): number => {
    need(4);
    const v = view.getUint32(pos, true);
    pos += 4;
    return v;
  };
  const u64 = (): number => {
    need(8);
    const v = view.getBigUint64(pos, true);
    pos += 8;
    if (v > BigInt(bytes.byteLength)) throw new PickleError('length beyond the end of the pickle');
    return Number(v);
  };
  const take = (n: number): Uint8Array => {
    need(n);
    const out = bytes.subarray(pos, pos + n);
    pos += n;
    return out;
  };
  const line = (): string => {
    const end = bytes.indexOf(0x0a, pos);
    if (end < 0) throw new PickleError('text opcode without a newline');
    const text = Buffer.from(bytes.subarray(pos, end)).toString('latin1');
    pos = end + 1;
    return text;
  };
  const utf8 = (raw: Uint8Array): string => {
    try {
      return textDecoder.decode(raw);
    } catch {
      throw new PickleError('string is not valid UTF-8');
    }
  };
  /** The next `length` bytes as UTF-8 text: metric names are short and ASCII, read without a decoder. */
  const text = (length: number): string => {
    need(length);
    const end = pos + length;
    if (length <= SHORT_TEXT_BYTES) {
      let ascii = true;
      for (let i = pos; i < end; i++) if (bytes[i] >= 0x80) ascii = false;
      if (ascii) {
        const out = latin1Slice.call(bytes, pos, end);
        pos = end;
        return out;
      }
    }
    return utf8(take(length));
  };
  const push = (value: PickleValue): void => {
    if (++created > maxObjects) throw new PickleError(`pickle builds more than ${maxObjects} objects`);
    stack.push(value);
  };
  const pop = (): PickleValue => {
    const value = stack.pop();
    if (value === undefined || value === MARK || value instanceof PickledClass) throw new PickleError('stack underflow');
    return value;
  };
  const top = (): PickleValue => {
    const value = stack[stack.length - 1];
    if (value === undefined || value === MARK || value instanceof PickledClass) throw new PickleError('stack underflow');
    return value;
  };
  /** The top of the stack for the memo: a value, or a class reference when classes are allowed. */
  const memoizable = (): PickleValue | PickledClass => {
    const value = stack[stack.length - 1];
    return value instanceof PickledClass ? value : top();
  };
  const allowed = limits.allowClasses;
  const classRef = (module: string, name: string): PickledClass => {
    const className = `${module}.${name}`;
    if (!allowed?.has(className)) throw new PickleError(`refused class ${className}: only plain data may be sent`);
    return new PickledClass(className);
  };
  const instantiate = (): void => {
    const args = pop();
    const cls = stack.pop();
    if (!(cls instanceof PickledClass)) throw new PickleError('instantiation of something that is not an allowed class');
    push(new PickledObject(cls.className, args));
  };
  const popToMark = (): PickleValue[] => {
    const at = stack.lastIndexOf(MARK);
    if (at < 0) throw new PickleError('no mark on the stack');
    const items = stack.splice(at);
    items.shift();
    if (items.some((item) => item instanceof PickledClass || item === MARK)) throw new PickleError('a class reference used as a value');
    return items as PickleValue[];
  };
  const asInt = (n: bigint): number | bigint => (n >= BigInt(Number.MIN_SAFE_INTEGER) && n <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(n) : n);
  const signedLittleEndian = (raw: Uint8Array): number | bigint => {
    if (raw.length === 0) return 0;
    if (raw.length > MAX_INT_BYTES) throw new PickleError(`integer of ${raw.length} bytes is too long`);
    let n = 0n;
    for (let i = raw.length - 1; i >= 0; i--) n = (n << 8n) | BigInt(raw[i]);
    if (raw[raw.length - 1] & 0x80) n -= 1n << BigInt(raw.length * 8);
    return asInt(n);
  };
  const textInt = (text: string): PickleValue => {
    const t = text.replace(/L$/, '');
    if (t === '01' && text === '01') return true;
    if (t === '00' && text === '00') return false;
    if (!/^[+-]?\d+$/.test(t) || t.length > MAX_INT_BYTES * 3) throw new PickleError(`bad integer literal ${JSON.stringify(text.slice(0, 40))}`);
    return asInt(BigInt(t));
  };
  // Lists are remembered so that APPEND(S) on a tuple is refused as Python refuses it (tuples
  // are plain arrays: a carbon payload holds two per point and freezing them was costly).
  const lists = new WeakSet<PickleValue[]>();
  const newList = (items: PickleValue[]): PickleValue[] => {
    lists.add(items);
    return items;
  };
  const list = (value: PickleValue): PickleValue[] => {
    if (!Array.isArray(value) || !lists.has(value)) throw new PickleError('append to something that is not a list');
    return value as PickleValue[];
  };
  const dict = (value: PickleValue): Map<PickleValue, PickleValue> => {
    if (!(value instanceof Map)) throw new PickleError('setitem on something that is not a dict');
    return value;
  };
  const key = (value: PickleValue): PickleValue => {
    if (Array.isArray(value) || value instanceof Map || value instanceof Set) throw new PickleError('unhashable dict key');
    return value;
  };

  for (;;) {
    const op = u8();
    switch (op) {
      case 0x80: // PROTO
        if (u8() > 5) throw new PickleError('unsupported pickle protocol');
        break;
      case 0x95: // FRAME
        u64();
        break;
      case 0x2e: {
        // STOP
        const result = pop();
        if (pos !== bytes.byteLength) throw new PickleError('bytes after the end of the pickle');
        return result;
      }
      case 0x28: // MARK
        stack.push(MARK);
        break;
      case 0x30: // POP
        if (stack.pop() === undefined) throw new PickleError('stack underflow');
        break;
      case 0x31: // POP_MARK
        popToMark();
        break;
      case 0x32: // DUP
        push(top());
        break;
      case 0x4e: // NONE
        push(null);
        break;
      case 0x88: // NEWTRUE
        push(true);
        break;
      case 0x89: // NEWFALSE
        push(false);
        break;
      case 0x49: // INT
        push(textInt(line()));
        break;
      case 0x4a: // BININT
        need(4);
        push(view.getInt32(pos, true));
        pos += 4;
        break;
      case 0x4b: // BININT1
        push(u8());
        break;
      case 0x4d: // BININT2
        push(u16());
        break;
      case 0x4c: // LONG
        push(textInt(line()));
        break;
      case 0x8a: // LONG1
        push(signedLittleEndian(take(u8())));
        break;
      case 0x8b: {
        // LONG4
        need(4);
        const n = view.getInt32(pos, true);
        pos += 4;
        if (n < 0) throw new PickleError('negative LONG4 length');
        push(signedLittleEndian(take(n)));
        break;
      }
      case 0x46: {
        // FLOAT
        const text = line().trim();
        if (!/^[+-]?(\d+\.?\d*(e[+-]?\d+)?|\.\d+(e[+-]?\d+)?|inf|nan)$/i.test(text)) throw new PickleError(`bad float literal ${JSON.stringify(text)}`);
        push(/^[+-]?inf$/i.test(text) ? (text.startsWith('-') ? -Infinity : Infinity) : /nan/i.test(text) ? Number.NaN : Number(text));
        break;
      }
      case 0x47: // BINFLOAT
        need(8);
        push(view.getFloat64(pos, false));
        pos += 8;
        break;
      case 0x53: {
        // STRING: a Python 2 str literal, quoted
        const text = line();
        const match = /^(['"])(.*)\1$/s.exec(text);
        if (!match) throw new PickleError('bad STRING literal');
        push(unescapePython(match[2]));
        break;
      }
      case 0x54: // BINSTRING (Python 2 str: decoded as UTF-8, as carbon does)
        need(4);
        push(utf8(take(u32())));
        break;
      case 0x55: // SHORT_BINSTRING
        push(utf8(take(u8())));
        break;
      case 0x56: // UNICODE (raw-unicode-escape)
        push(rawUnicodeEscape(line()));
        break;
      case 0x58: // BINUNICODE
        push(text(u32()));
        break;
      case 0x8c: // SHORT_BINUNICODE
        push(text(u8()));
        break;
      case 0x8d: // BINUNICODE8
        push(text(u64()));
        break;
      case 0x42: // BINBYTES
        push(Uint8Array.from(take(u32())));
        break;
      case 0x43: // SHORT_BINBYTES
        push(Uint8Array.from(take(u8())));
        break;
      case 0x8e: // BINBYTES8
      case 0x96: // BYTEARRAY8
        push(Uint8Array.from(take(u64())));
        break;
      case 0x5d: // EMPTY_LIST
        push(newList([]));
        break;
      case 0x61: {
        // APPEND
        const value = pop();
        list(top()).push(value);
        break;
      }
      case 0x65: {
        // APPENDS
        const items = popToMark();
        const target = list(top());
        if ((created += items.length) > maxObjects) throw new PickleError(`pickle builds more than ${maxObjects} objects`);
        for (const item of items) target.push(item);
        break;
      }
      case 0x6c: // LIST
        push(newList(popToMark()));
        break;
      case 0x29: // EMPTY_TUPLE
        push([]);
        break;
      case 0x74: // TUPLE
        push(popToMark());
        break;
      case 0x85: // TUPLE1
        push([pop()]);
        break;
      case 0x86: {
        // TUPLE2
        const b = pop();
        push([pop(), b]);
        break;
      }
      case 0x87: {
        // TUPLE3
        const c = pop();
        const b = pop();
        push([pop(), b, c]);
        break;
      }
      case 0x7d: // EMPTY_DICT
        push(new Map());
        break;
      case 0x64: {
        // DICT
        const items = popToMark();
        if (items.length % 2) throw new PickleError('odd number of items for a dict');
        const map = new Map<PickleValue, PickleValue>();
        for (let i = 0; i < items.length; i += 2) map.set(key(items[i]), items[i + 1]);
        push(map);
        break;
      }
      case 0x73: {
        // SETITEM
        const value = pop();
        const k = pop();
        dict(top()).set(key(k), value);
        break;
      }
      case 0x75: {
        // SETITEMS
        const items = popToMark();
        if (items.length % 2) throw new PickleError('odd number of items for a dict');
        const target = dict(top());
        for (let i = 0; i < items.length; i += 2) target.set(key(items[i]), items[i + 1]);
        break;
      }
      case 0x8f: // EMPTY_SET
        push(new Set());
        break;
      case 0x90: {
        // ADDITEMS
        const items = popToMark();
        const target = top();
        if (!(target instanceof Set)) throw new PickleError('additems on something that is not a set');
        for (const item of items) target.add(key(item));
        break;
      }
      case 0x91: // FROZENSET
        push(new Set(popToMark().map(key)));
        break;
      case 0x70: // PUT
        memo.set(Number(line()), memoizable());
        break;
      case 0x71: // BINPUT
        memo.set(u8(), memoizable());
        break;
      case 0x72: // LONG_BINPUT
        memo.set(u32(), memoizable());
        break;
      case 0x94: // MEMOIZE
        memo.set(memo.size, memoizable());
        break;
      case 0x67: // GET
      case 0x68: // BINGET
      case 0x6a: {
        // LONG_BINGET
        const index = op === 0x67 ? Number(line()) : op === 0x68 ? u8() : u32();
        if (!memo.has(index)) throw new PickleError(`memo has no entry ${index}`);
        const value = memo.get(index)!;
        if (value instanceof PickledClass) stack.push(value);
        else push(value);
        break;
      }
      case 0x63: // GLOBAL
        if (!allowed) throw new PickleError('refused opcode GLOBAL: only plain data may be sent');
        stack.push(classRef(line(), line()));
        break;
      case 0x93: {
        // STACK_GLOBAL
        if (!allowed) throw new PickleError('refused opcode STACK_GLOBAL: only plain data may be sent');
        const name = pop();
        const module = pop();
        if (typeof name !== 'string' || typeof module !== 'string') throw new PickleError('STACK_GLOBAL needs two strings');
        stack.push(classRef(module, name));
        break;
      }
      case 0x81: // NEWOBJ
      case 0x52: // REDUCE
        if (!allowed) throw new PickleError(`refused opcode ${REFUSED[op]}: only plain data may be sent`);
        instantiate();
        break;
      case 0x62: {
        // BUILD
        if (!allowed) throw new PickleError('refused opcode BUILD: only plain data may be sent');
        const state = pop();
        const target = top();
        if (!(target instanceof PickledObject)) throw new PickleError('BUILD on something that is not an allowed object');
        target.state = state;
        break;
      }
      default: {
        const name = REFUSED[op];
        throw new PickleError(name ? `refused opcode ${name}: only plain data may be sent` : `unknown opcode 0x${op.toString(16)}`);
      }
    }
    if (memo.size + stack.length > maxObjects) throw new PickleError(`pickle holds more than ${maxObjects} objects`);
  }
}

function unescapePython(text: string): string {
  return text.replace(/\\(x[0-9a-fA-F]{2}|[0-7]{1,3}|.)/gs, (_m, esc: string) => {
    if (esc[0] === 'x') return String.fromCharCode(parseInt(esc.slice(1), 16));
    if (/^[0-7]/.test(esc)) return String.fromCharCode(parseInt(esc, 8));
    return ({ n: '\n', r: '\r', t: '\t', '\\': '\\', "'": "'", '"': '"', a: '\x07', b: '\b', f: '\f', v: '\v' } as Record<string, string>)[esc] ?? `\\${esc}`;
  });
}

function rawUnicodeEscape(text: string): string {
  return text.replace(/\\u([0-9a-fA-F]{4})|\\U([0-9a-fA-F]{8})/g, (_m, u4?: string, u8?: string) => {
    const codePoint = parseInt(u4 ?? u8 ?? '0', 16);
    if (codePoint > 0x10ffff) throw new PickleError(`\\U${u8} is not a Unicode code point`);
    return String.fromCodePoint(codePoint);
  });
}
