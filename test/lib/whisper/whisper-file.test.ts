import test from 'ava';
import fc from 'fast-check';
import { nativeAddon } from '../../../src/lib/native-addon.js';
import { POINT_SIZE } from '../../../src/lib/whisper/format.js';
import { decodeSlotsInto, decodeSlotsUnboxed } from '../../../src/lib/whisper/whisper-file.js';

const native = nativeAddon();

/** Slots as whisper stores them; `fresh` slots carry their expected timestamp, the others a stale one. */
function slotBytes(slots: Array<{ fresh: boolean; stale: number; value: number }>, start: number, step: number): Buffer {
  const bytes = Buffer.alloc(slots.length * POINT_SIZE);
  slots.forEach(({ fresh, stale, value }, i) => {
    bytes.writeUInt32BE(fresh ? start + i * step : stale, i * POINT_SIZE);
    bytes.writeDoubleBE(value, i * POINT_SIZE + 4);
  });
  return bytes;
}

test('the addon decodes slots as the JavaScript decoder does: fresh values known, stale ones not, across a wrapped range', (t) => {
  t.truthy(native?.decodeSlots, 'the addon is built');
  fc.assert(
    fc.property(
      fc.array(fc.record({ fresh: fc.boolean(), stale: fc.nat({ max: 0xffffffff }), value: fc.double() }), { maxLength: 80 }),
      fc.nat(),
      fc.integer({ min: 0, max: 2_000_000_000 }),
      fc.integer({ min: 1, max: 86400 }),
      (slots, cut, start, step) => {
        const bytes = slotBytes(slots, start, step);
        const at = slots.length === 0 ? 0 : (cut % (slots.length + 1)) * POINT_SIZE;
        const parts = [bytes.subarray(0, at), bytes.subarray(at)];
        const decoded = decodeSlotsUnboxed(parts, start, step, 'x.wsp');
        const reference = decodeSlotsInto(parts, start, step, new Float64Array(slots.length), new Uint8Array(slots.length));
        t.deepEqual(decoded.known, reference.known);
        t.deepEqual(decoded.values, reference.values);
      },
    ),
    { numRuns: 2000 },
  );
});

test('a slot is known only when its timestamp is the expected one, even when a stale value is equal', (t) => {
  const bytes = slotBytes(
    [
      { fresh: true, stale: 0, value: 1.5 },
      { fresh: false, stale: 60, value: 2.5 },
      { fresh: true, stale: 0, value: -0 },
    ],
    120,
    60,
  );
  const { values, known } = decodeSlotsUnboxed([bytes], 120, 60, 'x.wsp');
  t.deepEqual([...known], [1, 0, 1]);
  t.deepEqual([values[0], values[1]], [1.5, 0]);
  t.true(Object.is(values[2], -0));
});

test('the addon refuses arrays too short for the slots instead of writing past them', (t) => {
  const bytes = Buffer.alloc(3 * POINT_SIZE);
  t.throws(() => native!.decodeSlots(bytes, 0, 60, new Float64Array(2), new Uint8Array(3), 0), { instanceOf: TypeError });
  t.throws(() => native!.decodeSlots(bytes, 0, 60, new Float64Array(3), new Uint8Array(3), 1), { instanceOf: TypeError });
});
