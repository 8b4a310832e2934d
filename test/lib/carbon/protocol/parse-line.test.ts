import test from 'ava';
import fc from 'fast-check';
import { parseLine, parseLineAt, parseLineGeneral } from '../../../../src/lib/carbon/protocol/parse-line.js';
import { isPlainMetricName } from '../../../../src/lib/carbon/metric-name.js';

const now = (): number => 1_700_000_000.5;

test('parseLine() reads "metric value timestamp" with any whitespace', (t) => {
  t.deepEqual(parseLine('a.b.c 42 1700000000', now), { metric: 'a.b.c', value: 42, timestamp: 1700000000 });
  t.deepEqual(parseLine('  a\t1.5e3   1700000000.7\r', now), { metric: 'a', value: 1500, timestamp: 1700000000.7 });
  t.deepEqual(parseLine('a inf 1_700_000_000', now), { metric: 'a', value: Infinity, timestamp: 1700000000 });
});

test('parseLine() treats a timestamp of -1 as now, as carbon does', (t) => {
  t.deepEqual(parseLine('a 1 -1', now), { metric: 'a', value: 1, timestamp: now() });
  t.deepEqual(parseLine('a 1 -1.5', now), { metric: 'a', value: 1, timestamp: now() });
});

test('parseLine() refuses wrong field counts, junk numbers and non-finite timestamps', (t) => {
  for (const line of ['', '   ', 'a 1', 'a 1 2 3', 'a x 1700000000', 'a 1 0x10', 'a 1 nan', 'a 1 inf', 'a 1,5 1700000000']) {
    t.true('error' in parseLine(line, now), line);
  }
});

test('parseLine() reads back every well-formed line (property)', (t) => {
  const name = fc.stringMatching(/^[A-Za-z0-9_][A-Za-z0-9_.-]{0,40}$/);
  fc.assert(
    fc.property(name, fc.double({ noNaN: true }), fc.integer({ min: 0, max: 2 ** 32 - 1 }), (metric, value, timestamp) => {
      const text = Object.is(value, -0) ? '-0' : String(value); // a template literal prints -0 as 0
      const parsed = parseLine(`${metric} ${text} ${timestamp}`, now);
      return !('error' in parsed) && parsed.metric === metric && Object.is(parsed.value, value) && parsed.timestamp === timestamp;
    }),
  );
  t.pass();
});

test('the fast path of parseLine() agrees with the general parser on every line (property)', (t) => {
  const token = fc.oneof(
    fc.constantFrom('a.b', 'x', '1', '-1', '+5', '1.', '.5', '.', '-', '1e', 'e5', '1e5', '1e+5', '1e400', '-0', '00012', '1_000', 'inf', 'nan', 'NaN', '1.5.5', '0x10', '', '１'),
    fc.double().map(String),
    fc.integer().map(String),
    // Plain decimals of 1 to 20 digits (the fast path reads up to 15 itself), signed or not.
    fc.tuple(fc.constantFrom('', '-', '+'), fc.stringMatching(/^[0-9]{1,20}$/), fc.nat(21)).map(([sign, digits, point]) => `${sign}${digits.slice(0, point)}.${digits.slice(point)}`),
    fc.tuple(fc.constantFrom('', '-'), fc.stringMatching(/^[0-9]{1,20}$/)).map(([sign, digits]) => sign + digits),
  );
  const separator = fc.constantFrom(' ', '  ', '\t', ' \t', '\u00a0', '\r', '');
  fc.assert(
    fc.property(fc.array(fc.tuple(token, separator), { minLength: 1, maxLength: 5 }), fc.boolean(), (parts, crlf) => {
      const line = parts.map(([a, b]) => a + b).join('') + (crlf ? '\r' : '');
      const fast = parseLine(line, now);
      const general = parseLineGeneral(line, now);
      if ('error' in fast || 'error' in general) return JSON.stringify(fast) === JSON.stringify(general);
      return fast.metric === general.metric && Object.is(fast.value, general.value) && Object.is(fast.timestamp, general.timestamp);
    }),
    { numRuns: 20_000 },
  );
  t.pass();
});

test('parseLineAt() reads a line where it lies among others as parseLine() reads it alone, and says when the name is plain (property)', (t) => {
  const token = fc.oneof(fc.constantFrom('a.b', 'x y', '1', '-1', '1e5', 'nan', '1 2', ' ', '\t', 'é.b', 'a;t=v', '1700000000'), fc.double().map(String));
  const line = fc.array(token, { minLength: 0, maxLength: 4 }).map((parts) => parts.join(' '));
  fc.assert(
    fc.property(line, line, line, (before, middle, after) => {
      const text = `${before}\n${middle}\n${after}`;
      const start = before.length + 1;
      let taken: unknown;
      const error = parseLineAt(text, start, start + middle.length, now, (metric, value, timestamp, plainName) => {
        taken = { metric, value, timestamp };
        if (plainName !== isPlainMetricName(metric) && plainName) throw new Error(`${metric} is not plain`);
      });
      const alone = parseLine(middle, now);
      return error === undefined ? JSON.stringify(taken) === JSON.stringify(alone) && !('error' in alone) : 'error' in alone && alone.error === error;
    }),
    { numRuns: 5000 },
  );
  t.pass();
});

test('lines without spaces are refused one by one, each looking for its spaces within itself only', (t) => {
  // 2M lines of "x": a search for spaces running to the text's end for every line would read
  // ~4e12 characters and never finish (the test would time out); within the line it is instant.
  const text = 'x\n'.repeat(2_000_000);
  let refused = 0;
  for (let start = 0; start < text.length; start += 2) if (parseLineAt(text, start, start + 1, now, () => t.fail('taken')) !== undefined) refused++;
  t.is(refused, 2_000_000);
  // A point after them is still read where it lies.
  let taken = '';
  t.is(parseLineAt(`${text}a.b 1 2`, text.length, text.length + 7, now, (metric) => (taken = metric)), undefined);
  t.is(taken, 'a.b');
});
