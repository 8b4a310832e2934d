/**
 * Python's float() and int() conversions, as whisper.py applies them to user input. They accept
 * exactly what CPython 3.11 accepts and raise GphErrors whose `reference` carries CPython's
 * exception type and message.
 */
import { GphError, pyQuote } from '../errors.js';

const FLOAT_LITERAL = /^[+-]?(?:\d(?:_?\d)*(?:\.(?:\d(?:_?\d)*)?)?|\.\d(?:_?\d)*)(?:[eE][+-]?\d(?:_?\d)*)?$/;
const SPECIAL_FLOAT = /^([+-]?)(nan|inf|infinity)$/i;
const INT_LITERAL = /^[+-]?\d(?:_?\d)*$/;
const NEGATIVE_NAN_BITS = 0xfff8000000000000n;

function pyTypeName(value: unknown): string {
  if (value === null || value === undefined) return 'NoneType';
  if (Array.isArray(value)) return 'list';
  if (typeof value === 'object') return 'dict';
  return typeof value;
}

/** Python's `str.strip()` whitespace (ASCII and Unicode spaces). */
function pyStrip(text: string): string {
  return text.replace(/^[\s\u001c-\u001f\u0085]+|[\s\u001c-\u001f\u0085]+$/gu, '');
}

/** A NaN with the sign bit set, as float('-nan') gives. */
function negativeNaN(): number {
  const view = new DataView(new ArrayBuffer(8));
  view.setBigUint64(0, NEGATIVE_NAN_BITS);
  return view.getFloat64(0);
}

/** float(value): throws GphError `INVALID_NUMBER` (ValueError/TypeError in the reference). */
export function pyFloat(value: unknown): number {
  if (typeof value === 'number') return value;
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (typeof value === 'string') {
    const text = pyStrip(value);
    const special = SPECIAL_FLOAT.exec(text);
    if (special) {
      const negative = special[1] === '-';
      if (special[2].toLowerCase() === 'nan') return negative ? negativeNaN() : Number.NaN;
      return negative ? -Infinity : Infinity;
    }
    if (FLOAT_LITERAL.test(text)) return Number(text.replace(/_/g, ''));
    throw new GphError('INVALID_NUMBER', `Cannot read ${pyQuote(value)} as a number`, {
      hint: 'Give a decimal number such as 1.5, 1e3, nan or inf',
      reference: { type: 'ValueError', message: `could not convert string to float: ${pyQuote(value)}` },
    });
  }
  throw new GphError('INVALID_NUMBER', `Cannot read a ${pyTypeName(value)} as a number`, {
    hint: 'Give a decimal number such as 1.5',
    reference: { type: 'TypeError', message: `float() argument must be a string or a real number, not '${pyTypeName(value)}'` },
  });
}

/** int(value): truncates numbers toward zero; strings must be integer literals. */
export function pyInt(value: unknown): number {
  if (typeof value === 'number') {
    if (Number.isNaN(value)) {
      throw new GphError('INVALID_INTEGER', 'Cannot use NaN as a timestamp', {
        hint: 'Give a whole number of seconds since the epoch',
        reference: { type: 'ValueError', message: 'cannot convert float NaN to integer' },
      });
    }
    if (!Number.isFinite(value)) {
      throw new GphError('INVALID_INTEGER', 'Cannot use an infinite value as a timestamp', {
        hint: 'Give a whole number of seconds since the epoch',
        reference: { type: 'OverflowError', message: 'cannot convert float infinity to integer' },
      });
    }
    return Math.trunc(value) + 0;
  }
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (typeof value === 'string') {
    const text = pyStrip(value);
    if (INT_LITERAL.test(text)) return Number(text.replace(/_/g, ''));
    throw new GphError('INVALID_INTEGER', `Cannot read ${pyQuote(value)} as a whole number`, {
      hint: 'Give a whole number of seconds since the epoch, e.g. 1700000000',
      reference: { type: 'ValueError', message: `invalid literal for int() with base 10: ${pyQuote(value)}` },
    });
  }
  throw new GphError('INVALID_INTEGER', `Cannot read a ${pyTypeName(value)} as a whole number`, {
    hint: 'Give a whole number of seconds since the epoch',
    reference: {
      type: 'TypeError',
      message: `int() argument must be a string, a bytes-like object or a real number, not '${pyTypeName(value)}'`,
    },
  });
}
