import test from 'ava';
import fc from 'fast-check';
import { FrameReader, frame } from '../../../../src/lib/carbon/receiver/frame-reader.js';
import { LineSplitter } from '../../../../src/lib/carbon/receiver/line-splitter.js';

function collectLines(chunks: Buffer[], max?: number): string[] {
  const out: string[] = [];
  const splitter = new LineSplitter({ line: (text, start, end) => out.push(text.slice(start, end)), tooLong: () => out.push('<too long>'), invalidUtf8: () => out.push('<bad utf8>') }, max);
  for (const chunk of chunks) splitter.push(chunk);
  splitter.end();
  return out;
}

test('LineSplitter joins lines split across chunks and reports bad ones without losing the rest', (t) => {
  t.deepEqual(collectLines([Buffer.from('a 1 2\nb 3'), Buffer.from(' 4\nc 5 6')]), ['a 1 2', 'b 3 4', 'c 5 6']);
  t.deepEqual(collectLines([Buffer.from('ok\n'), Buffer.from([0xff, 0x0a]), Buffer.from('é\n')]), ['ok', '<bad utf8>', 'é']);
  t.deepEqual(collectLines([Buffer.from('x'.repeat(20)), Buffer.from('y\nnext\n')], 10), ['<too long>', 'next']);
});

test('LineSplitter keeps a byte-order mark wherever a chunk starts, as Python\'s utf-8 codec does', (t) => {
  t.deepEqual(collectLines([Buffer.from('\uFEFFa 1 2\n')]), ['\uFEFFa 1 2']);
  t.deepEqual(collectLines([Buffer.from('a.b 1'), Buffer.from(' 2\n\uFEFFc.d 1 2\n')]), ['a.b 1 2', '\uFEFFc.d 1 2']);
});

test('LineSplitter gives the same lines however the stream is chunked (property)', (t) => {
  fc.assert(
    fc.property(fc.array(fc.stringMatching(/^[a-z0-9 .é]{0,30}$/), { maxLength: 20 }), fc.array(fc.integer({ min: 1, max: 50 }), { minLength: 1, maxLength: 10 }), (lines, cuts) => {
      const bytes = Buffer.from(lines.map((l) => `${l}\n`).join(''));
      const chunks: Buffer[] = [];
      let at = 0;
      for (let i = 0; at < bytes.length; i++) {
        const size = cuts[i % cuts.length];
        chunks.push(bytes.subarray(at, at + size));
        at += size;
      }
      return JSON.stringify(collectLines(chunks)) === JSON.stringify(lines);
    }),
  );
  t.pass();
});

test('FrameReader reassembles frames and skips an oversized one', (t) => {
  const frames: string[] = [];
  const reader = new FrameReader({ frame: (b) => frames.push(b.toString()), tooLarge: (n) => frames.push(`<${n}>`) }, 8);
  const stream = Buffer.concat([frame(Buffer.from('one')), frame(Buffer.from('much too long')), frame(Buffer.from('two'))]);
  for (let i = 0; i < stream.length; i += 3) reader.push(stream.subarray(i, i + 3));
  t.deepEqual(frames, ['one', '<13>', 'two']);
});

test('FrameReader gives the same frames however the stream is chunked, oversized frames included (property)', (t) => {
  const body = fc.uint8Array({ maxLength: 40 }).map((b) => Buffer.from(b));
  fc.assert(
    fc.property(fc.array(body, { maxLength: 12 }), fc.array(fc.integer({ min: 1, max: 30 }), { minLength: 1, maxLength: 8 }), (bodies, cuts) => {
      const stream = Buffer.concat(bodies.map((b) => frame(b)));
      const out: string[] = [];
      const reader = new FrameReader({ frame: (b) => out.push(b.toString('hex')), tooLarge: (n) => out.push(`<${n}>`) }, 20);
      for (let at = 0, i = 0; at < stream.length; i++) {
        const size = cuts[i % cuts.length];
        reader.push(stream.subarray(at, at + size));
        at += size;
      }
      const expected = bodies.map((b) => (b.length > 20 ? `<${b.length}>` : b.toString('hex')));
      return JSON.stringify(out) === JSON.stringify(expected);
    }),
    { numRuns: 2000 },
  );
  t.pass();
});
