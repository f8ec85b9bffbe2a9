import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { encodeFrame } from '../../../src/engine/format/frame';
import { encodePayload, type PayloadLayout } from '../../../src/engine/format/payload';
import { readJournal } from '../../../src/engine/format/reader';
import { writeHeader } from '../../../src/engine/format/header';
import type { StateValue } from '../../../src/engine/format/value';
import { FrameEncoder, utf8Length, varintLength, writeVarint } from '../../../src/engine/store/frameEncoder';

const text = fc.string({ unit: 'grapheme', maxLength: 40 });
const primitive: fc.Arbitrary<StateValue> = fc.oneof(
  text.map((value) => ({ kind: 'string' as const, value })),
  fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }).map((value) => ({ kind: 'int' as const, value })),
  fc.constantFrom(0n, -1n, 1n, 127n, 128n, 2n ** 53n, 2n ** 53n + 1n, 2n ** 63n - 1n, -(2n ** 63n)).map((value) => ({ kind: 'int' as const, value })),
  fc.double().map((value) => ({ kind: 'double' as const, value })),
  fc.boolean().map((value) => ({ kind: 'bool' as const, value })),
);
const complex: fc.Arbitrary<StateValue> = fc.oneof(
  fc.uint8Array({ maxLength: 20 }).map((value) => ({ kind: 'bytes' as const, value })),
  fc.array(primitive, { maxLength: 4 }).map((value) => ({ kind: 'list' as const, value })),
  fc.dictionary(text, primitive, { maxKeys: 3 }).map((d) => ({ kind: 'map' as const, value: new Map(Object.entries(d)) })),
);
const timestamp = fc.oneof(fc.integer({ min: 0, max: 2 ** 31 }), fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER }), fc.constant(1704067200000000));

function encodeWith(layout: PayloadLayout, scope: number, key: string, ts: number, value: StateValue | null): Buffer {
  const enc = new FrameEncoder(layout);
  const length = enc.measure(key, Buffer.byteLength(key), ts, value);
  const buf = Buffer.alloc(length + 8, 0xee);
  expect(enc.write(buf, 3, scope, key, ts, value)).toBe(length);
  expect(buf[2]).toBe(0xee);
  expect(buf[3 + length]).toBe(0xee);
  return buf.subarray(3, 3 + length);
}

describe('FrameEncoder', () => {
  for (const layout of ['state-value', 'key-value-pair'] as const) {
    it(`writes the same bytes as encodeFrame + protobufjs (${layout})`, () => {
      fc.assert(
        fc.property(fc.integer({ min: 0, max: 255 }), text, timestamp, fc.option(fc.oneof(primitive, complex), { nil: null }), (scope, key, ts, value) => {
          const expected = encodeFrame(scope, key, ts, encodePayload(layout, key, value));
          expect(encodeWith(layout, scope, key, ts, value).toString('hex')).toBe(expected.toString('hex'));
        }),
        { numRuns: 2000 },
      );
    });
  }

  it('writes the edge values of every kind byte-identically', () => {
    const edges: StateValue[] = [
      { kind: 'string', value: '' },
      { kind: 'string', value: 'x'.repeat(200) },
      { kind: 'string', value: 'värde ✓ 😀' },
      { kind: 'int', value: -1n },
      { kind: 'int', value: 2n ** 64n + 5n },
      { kind: 'double', value: -0 },
      { kind: 'double', value: Number.NaN },
      { kind: 'bool', value: false },
    ];
    for (const layout of ['state-value', 'key-value-pair'] as const) {
      for (const key of ['', 'k', 'unicode.κλειδί', 'k'.repeat(300)]) {
        for (const value of [...edges, null]) {
          const expected = encodeFrame(2, key, 1704067200000000, encodePayload(layout, key, value));
          expect(encodeWith(layout, 2, key, 1704067200000000, value).equals(expected)).toBe(true);
        }
      }
    }
  });

  it('writes a lone surrogate as U+FFFD (valid UTF-8), where protobufjs would write invalid UTF-8', () => {
    const value: StateValue = { kind: 'string', value: 'a\ud800b' };
    const frame = encodeWith('state-value', 2, 'k', 5, value);
    const buf = Buffer.alloc(9 + frame.length);
    writeHeader(buf, 'v9', buf.length);
    frame.copy(buf, 9);
    const read = readJournal(buf, { file: 'mem', payloadLayout: 'state-value' });
    expect(read.problems).toEqual([]);
    expect(read.frames[0].value).toEqual({ kind: 'string', value: 'a\ufffdb' });
  });

  it('counts and writes varints and UTF-8 lengths exactly', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER }), (n) => {
        const buf = new Uint8Array(12);
        expect(writeVarint(buf, 0, n)).toBe(varintLength(n));
      }),
    );
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (s) => {
        expect(utf8Length(s)).toBe(Buffer.byteLength(s));
      }),
    );
  });
});
