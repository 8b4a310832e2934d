import test from 'ava';
import fc from 'fast-check';
import { parseLineAt } from '../../../../src/lib/carbon/protocol/parse-line.js';
import { LineSplitter } from '../../../../src/lib/carbon/receiver/line-splitter.js';
import { NameTable } from '../../../../src/lib/carbon/receiver/name-table.js';

const NOW = 1_700_000_000;
type Outcome = [string, number, number] | string;

/** What the line receivers make of a stream: each line's point (name, value, timestamp), or why not. */
function outcomes(chunks: Buffer[], table?: NameTable, maxLineBytes = 64): Outcome[] {
  const out: Outcome[] = [];
  const splitter = new LineSplitter(
    {
      line: (text, start, end) => {
        const error = parseLineAt(text, start, end, () => NOW, (metric, value, timestamp) => out.push([metric, value, timestamp]));
        if (error !== undefined) out.push(`error: ${error}`);
      },
      tooLong: () => out.push('too long'),
      invalidUtf8: () => out.push('not UTF-8'),
      point: (_id, name, value, timestamp) => out.push([name, value, timestamp]),
    },
    maxLineBytes,
    table,
  );
  for (const chunk of chunks) splitter.push(chunk);
  splitter.end();
  return out;
}

const same = (a: Outcome[], b: Outcome[]): boolean =>
  a.length === b.length && a.every((x, i) => (typeof x === 'string' ? x === b[i] : Array.isArray(b[i]) && x.every((v, j) => Object.is(v, (b[i] as Outcome[])[j]))));

function chunked(bytes: Buffer, cuts: number[]): Buffer[] {
  const chunks: Buffer[] = [];
  for (let at = 0, i = 0; at < bytes.length; i++) {
    chunks.push(bytes.subarray(at, at + cuts[i % cuts.length]));
    at += cuts[i % cuts.length];
  }
  return chunks;
}

const table = NameTable.create(() => {});
const withAddon = table ? test : test.skip;

/** Lines near the fast path's edges: plain and odd names, numbers in every form, stray whitespace. */
const name = fc.oneof(
  fc.constantFrom('a', 'a.b', 'servers.web-01.cpu', 'x'.repeat(70), 'a..b', '.a', 'a.', 'a/b', 'a;t=1', 'é.b', 'a\tb', 'a\u0001'),
  fc.stringMatching(/^[a-z.]{1,12}$/),
);
const number = fc.oneof(
  fc.constantFrom('0', '-0', '+1', '1.', '.5', '-.5', '.', '-', '+', '', '1e3', '1E-3', 'nan', 'inf', '-1', '-1.5', '-2', '0x10', '1_0', '١'),
  fc.stringMatching(/^[-+]?[0-9]{0,18}(\.[0-9]{0,6})?$/),
  fc.double().map(String),
  fc.integer({ min: 0, max: 2 ** 32 }).map(String),
);
const line = fc.oneof(
  fc.tuple(name, number, number, fc.constantFrom(' ', '  ', '\t', ' \t')).map(([n, v, ts, sep]) => `${n}${sep}${v} ${ts}`),
  fc.tuple(name, number, number).map(([n, v, ts]) => `${n} ${v} ${ts}`),
  fc.tuple(name, number, number).map(([n, v, ts]) => `${n} ${v} ${ts}\r`),
  fc.constantFrom('', ' ', 'a 1', 'a 1 2 3', ' a 1 2', 'a 1 2 ', '\uFEFFa 1 2', 'a 1 2\r\r'),
);

withAddon('the native reader gives every line the outcome the JavaScript parser gives it, however the stream is chunked (property)', (t) => {
  fc.assert(
    fc.property(fc.array(line, { maxLength: 40 }), fc.array(fc.integer({ min: 1, max: 80 }), { minLength: 1, maxLength: 6 }), (lines, cuts) => {
      const bytes = Buffer.from(lines.map((l) => `${l}\n`).join(''));
      const expected = outcomes(chunked(bytes, cuts));
      return same(outcomes(chunked(bytes, cuts), table), expected) && expected.length === lines.length;
    }),
    { numRuns: 2000 },
  );
  t.pass();
});

withAddon('invalid UTF-8 and over-long lines are reported in their place among the points', (t) => {
  const bytes = Buffer.concat([Buffer.from('a.b 1 10\n'), Buffer.from([0x61, 0xff, 0x20, 0x31, 0x20, 0x32, 0x0a]), Buffer.from(`${'c'.repeat(80)} 1 2\nd 2 20\n`)]);
  t.deepEqual(outcomes([bytes], table), [['a.b', 1, 10], 'not UTF-8', 'too long', ['d', 2, 20]]);
});

withAddon('a region of more lines than one native call holds is read whole, in order (resumed)', (t) => {
  const lines = Array.from({ length: 10_000 }, (_, i) => `m.${i % 3000} ${i} ${i + 1}`);
  const expected: Outcome[] = lines.map((_, i) => [`m.${i % 3000}`, i, i + 1]);
  t.deepEqual(outcomes([Buffer.from(lines.map((l) => `${l}\n`).join(''))], NameTable.create(() => {})), expected);
});

withAddon('a table that reaches its size starts again, telling its owner, and names keep coming out right', (t) => {
  let clears = 0;
  const small = NameTable.create(() => clears++, 4)!;
  const lines = Array.from({ length: 30 }, (_, i) => `n.${i % 7} ${i} 1`);
  const stream = Buffer.from(lines.map((l) => `${l}\n`).join(''));
  const got = outcomes(chunked(stream, [9]), small);
  t.deepEqual(got, lines.map((_, i) => [`n.${i % 7}`, i, 1]));
  t.true(clears > 0);
  t.true(small.size <= 4 + 7);
});
