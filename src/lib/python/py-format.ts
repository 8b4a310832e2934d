/**
 * Python's number formatting, which the whisper-* scripts print and shell pipelines parse:
 * repr()/str() of a float, "%f", "%g" and "%W.Pg". JavaScript's own formatting differs
 * (exponent thresholds, "Infinity", no ".0"), so these are built from exact digit strings.
 */

/** Splits a finite non-zero |value| into its decimal digits and exponent (d.ddd × 10^exponent). */
function decimalDigits(value: number, significant?: number): { digits: string; exponent: number } {
  const text = significant === undefined ? Math.abs(value).toExponential() : Math.abs(value).toExponential(significant - 1);
  const [mantissa, exponent] = text.split('e');
  return { digits: mantissa.replace('.', ''), exponent: Number(exponent) };
}

function nonFinite(value: number): string | undefined {
  if (Number.isNaN(value)) return 'nan';
  if (value === Infinity) return 'inf';
  if (value === -Infinity) return '-inf';
  return undefined;
}

function sign(value: number): string {
  return value < 0 || Object.is(value, -0) ? '-' : '';
}

/** Places `digits` (d.ddd × 10^exponent) in fixed notation, keeping `minFraction` fraction digits at least. */
function fixedNotation(digits: string, exponent: number, minFraction: number): string {
  let integer: string;
  let fraction: string;
  if (exponent >= 0) {
    const padded = digits.padEnd(exponent + 1, '0');
    integer = padded.slice(0, exponent + 1);
    fraction = padded.slice(exponent + 1);
  } else {
    integer = '0';
    fraction = '0'.repeat(-exponent - 1) + digits;
  }
  fraction = fraction.padEnd(minFraction, '0');
  return fraction ? `${integer}.${fraction}` : integer;
}

function exponentNotation(digits: string, exponent: number): string {
  const mantissa = digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits;
  const exponentText = String(Math.abs(exponent)).padStart(2, '0');
  return `${mantissa}e${exponent < 0 ? '-' : '+'}${exponentText}`;
}

/** Short decimals are spelled from this many fraction digits at most without V8's number-to-string. */
const SHORT_DECIMAL_SCALE = 1000;
/** Below this the scaled value is an exact integer and two short decimals are far more than an ulp apart. */
const SHORT_DECIMAL_LIMIT = 1e9;
/** The fraction part of each multiple of 1/1000: "001", "01" (for 10), "5" (for 500), built on first use. */
let fractions: string[] | undefined;

/**
 * The shortest round-trip spelling of a non-integer 1e-4 <= |value| < 1e9 that has at most three
 * decimals (most metric values: 52.62, 0.5, 17.125), or undefined. It is the spelling of both
 * JavaScript and Python: the decimal k/1000 is the only one of three decimals at most that rounds
 * to the value (they are 0.001 apart, ulps here are below 2e-7), so no shorter spelling exists.
 * Several times faster than String(value), which is most of the cost of writing series as text.
 */
export function shortDecimal(value: number): string | undefined {
  const magnitude = value < 0 ? -value : value;
  if (!(magnitude < SHORT_DECIMAL_LIMIT)) return undefined;
  const scaled = Math.round(magnitude * SHORT_DECIMAL_SCALE);
  if (scaled / SHORT_DECIMAL_SCALE !== magnitude) return undefined;
  const whole = Math.floor(scaled / SHORT_DECIMAL_SCALE);
  const fraction = scaled - whole * SHORT_DECIMAL_SCALE;
  if (fraction === 0) return undefined;
  fractions ??= Array.from({ length: SHORT_DECIMAL_SCALE }, (_, k) => String(k).padStart(3, '0').replace(/0+$/, ''));
  return `${value < 0 ? '-' : ''}${whole}.${fractions[fraction]}`;
}

/** repr(float) / str(float) in Python 3: "1.0", "0.1", "1e+16", "1.5e-07", "nan", "inf", "-0.0". */
export function reprFloat(value: number): string {
  // Between 1e-4 and 1e16 JavaScript's shortest round-trip digits are Python's, in the same notation.
  const magnitude = Math.abs(value);
  if (magnitude >= 1e-4 && magnitude < 1e16) return Number.isInteger(value) ? `${value}.0` : (shortDecimal(value) ?? String(value));
  const special = nonFinite(value);
  if (special) return special;
  if (value === 0) return `${sign(value)}0.0`;
  const { digits, exponent } = decimalDigits(value);
  const body = exponent >= -4 && exponent < 16 ? fixedNotation(digits, exponent, 1) : exponentNotation(digits, exponent);
  return sign(value) + body;
}

/**
 * True when |value| lies exactly halfway between two multiples of 10^-decimals. value = m * 2^e
 * (m odd after removing its factors of two); value * 2 * 10^d = m * 2^(e+d+1) * 5^d is an odd
 * integer exactly when e + d + 1 = 0.
 */
function isExactHalf(value: number, decimals: number): boolean {
  // A half k + 0.5 (below 2^52) is representable, so the scaled product is computed exactly: it is
  // then not an integer but twice it is. This cheap test rules out nearly every value.
  const scaled = value * 10 ** decimals;
  if (Number.isInteger(scaled) || !Number.isInteger(scaled * 2)) return false;
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, Math.abs(value));
  const bits = view.getBigUint64(0);
  const biased = Number(bits >> 52n);
  let mantissa = bits & 0xfffffffffffffn;
  let exponent = biased === 0 ? -1074 : biased - 1075;
  if (biased !== 0) mantissa |= 1n << 52n;
  if (mantissa === 0n) return false;
  while ((mantissa & 1n) === 0n) {
    mantissa >>= 1n;
    exponent++;
  }
  return exponent + decimals + 1 === 0;
}

/**
 * Python's "%.{decimals}f" % value: never an exponent, every integer digit of huge values, and
 * exact halves rounded to even (JavaScript's toFixed rounds them away from zero).
 */
export function formatFixed(value: number, decimals: number): string {
  const special = nonFinite(value);
  if (special) return special;
  let text: string;
  if (Math.abs(value) < 1e21) {
    text = Math.abs(value).toFixed(decimals);
    if (isExactHalf(value, decimals)) {
      const digits = text.replace('.', '');
      if (Number(digits[digits.length - 1]) % 2 === 1) {
        const lowered = (BigInt(digits) - 1n).toString().padStart(digits.length, '0');
        text = decimals > 0 ? `${lowered.slice(0, -decimals)}.${lowered.slice(-decimals)}` : lowered;
      }
    }
  } else {
    // Doubles of 1e21 and more are integers: their exact digits come from BigInt.
    text = BigInt(Math.abs(value)).toString() + (decimals > 0 ? `.${'0'.repeat(decimals)}` : '');
  }
  return sign(value) + text;
}

/** Python's "%f" % value: six decimals. */
export function formatFixed6(value: number): string {
  return formatFixed(value, 6);
}

/** Python's "%.{precision}g" % value, right-aligned to `width` characters. */
export function formatGeneral(value: number, precision = 6, width = 0): string {
  let text = nonFinite(value);
  if (text === undefined) {
    if (value === 0) {
      text = `${sign(value)}0`;
    } else {
      const p = Math.max(precision, 1);
      const { digits, exponent } = decimalDigits(value, p);
      const trimmed = digits.replace(/0+$/, '') || '0';
      text = sign(value) + (exponent < -4 || exponent >= p ? exponentNotation(trimmed, exponent) : fixedNotation(trimmed, exponent, 0));
    }
  }
  return text.padStart(width, ' ');
}

/** Python's str() of an optional float: "None" for null. */
export function pyStrValue(value: number | null): string {
  return value === null ? 'None' : reprFloat(value);
}

/** Python's str() of a list of optional floats, e.g. "[None, 1.0, nan]". */
export function pyListRepr(values: ReadonlyArray<number | null>, none = 'None'): string {
  return `[${values.map((v) => (v === null ? none : reprFloat(v))).join(', ')}]`;
}
