import { resolve } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodePayload, encodePayload, type PayloadLayout } from '../../../src/engine/format/payload';
import { fromTagged } from '../../../src/engine/format/taggedJson';
import { readVarint, type VarintRead } from '../../../src/engine/format/varint';
import { valuesEqual, type StateValue } from '../../../src/engine/format/value';
import { FIXTURES, readManifest } from '../../support/fixtures';

const LAYOUTS: PayloadLayout[] = ['state-value', 'key-value-pair'];

function roundTrip(layout: PayloadLayout, value: StateValue | null, key = 'k'): StateValue | null {
  const decoded = decodePayload(layout, encodePayload(layout, key, value));
  if (!decoded.ok) throw new Error(decoded.error);
  return decoded.value;
}

const int64 = fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n });
const leaf: fc.Arbitrary<StateValue> = fc.oneof(
  fc.string({ unit: 'grapheme' }).map((value) => ({ kind: 'string' as const, value })),
  int64.map((value) => ({ kind: 'int' as const, value })),
  fc.double().map((value) => ({ kind: 'double' as const, value })),
  fc.boolean().map((value) => ({ kind: 'bool' as const, value })),
  fc.uint8Array({ maxLength: 40 }).map((value) => ({ kind: 'bytes' as const, value })),
);
const stateValue: fc.Arbitrary<StateValue> = fc.letrec<{ value: StateValue }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    leaf,
    fc.array(tie('value'), { maxLength: 4 }).map((value) => ({ kind: 'list' as const, value })),
    fc
      .uniqueArray(fc.tuple(fc.string(), tie('value')), { maxLength: 4, selector: ([k]) => k })
      .map((entries) => ({ kind: 'map' as const, value: new Map(entries) })),
  ),
})).value;

describe.each(LAYOUTS)('payload layout %s', (layout) => {
  it('round-trips every value kind, nested lists and maps included', () => {
    fc.assert(
      fc.property(stateValue, fc.string(), (value, key) => {
        expect(valuesEqual(roundTrip(layout, value, key), value)).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  it.each([-1n, 0n, 1n, -(2n ** 63n), 2n ** 63n - 1n, 2n ** 53n + 1n])('keeps int64 %s exact', (value) => {
    expect(roundTrip(layout, { kind: 'int', value })).toEqual({ kind: 'int', value });
  });

  it.each([NaN, Infinity, -Infinity, -0, 0, Number.MIN_VALUE])('keeps double %s (sign of zero included)', (value) => {
    const back = roundTrip(layout, { kind: 'double', value });
    expect(back?.kind).toBe('double');
    expect(Object.is(back!.value, value)).toBe(true);
  });

  it('treats "" and false as values, not deletes', () => {
    expect(roundTrip(layout, { kind: 'string', value: '' })).toEqual({ kind: 'string', value: '' });
    expect(roundTrip(layout, { kind: 'bool', value: false })).toEqual({ kind: 'bool', value: false });
    expect(roundTrip(layout, { kind: 'int', value: 0n })).toEqual({ kind: 'int', value: 0n });
  });

  it('decodes an empty payload as a delete', () => {
    expect(decodePayload(layout, new Uint8Array(0))).toEqual({ ok: true, value: null });
    expect(roundTrip(layout, null)).toBeNull();
  });

  it('reports malformed protobuf as an error instead of throwing', () => {
    const truncated = Uint8Array.from([0x0a, 0x05, 0x61]);
    expect(decodePayload(layout, truncated).ok).toBe(false);
  });
});

describe('payload encodings', () => {
  it('encodes upstream kinds as upstream does (oneof members always written)', () => {
    const hex = (v: StateValue) => Buffer.from(encodePayload('state-value', 'k', v)).toString('hex');
    expect(hex({ kind: 'string', value: '' })).toBe('0a00');
    expect(hex({ kind: 'bool', value: false })).toBe('2000');
    expect(hex({ kind: 'int', value: -1n })).toBe('10ffffffffffffffffff01');
    expect(hex({ kind: 'double', value: 0.5 })).toBe('19000000000000e03f');
  });

  it('gives bytes, list and map field numbers 5, 6 and 7', () => {
    const tag = (v: StateValue) => encodePayload('state-value', 'k', v)[0];
    expect(tag({ kind: 'bytes', value: Uint8Array.of(1) })).toBe((5 << 3) | 2);
    expect(tag({ kind: 'list', value: [] })).toBe((6 << 3) | 2);
    expect(tag({ kind: 'map', value: new Map() })).toBe((7 << 3) | 2);
  });

  it('writes both StateKeyValuePair delete forms, and reads both as deletes', () => {
    const omit = encodePayload('key-value-pair', 'k', null);
    const empty = encodePayload('key-value-pair', 'k', null, 'empty-value');
    expect(Buffer.from(omit).toString('hex')).toBe('0a016b');
    expect(Buffer.from(empty).toString('hex')).toBe('0a016b1200');
    expect(decodePayload('key-value-pair', omit)).toEqual({ ok: true, value: null });
    expect(decodePayload('key-value-pair', empty)).toEqual({ ok: true, value: null });
    expect(encodePayload('state-value', 'k', null, 'empty-value')).toHaveLength(0);
  });

  it('encodes every value of the reference fixtures to exactly the bytes upstream wrote', () => {
    let checked = 0;
    for (const scenario of ['small', 'manual', 'rotated']) {
      const manifest = readManifest(resolve(FIXTURES, 'reference-4255c9b1', scenario)) as unknown as {
        files: { frames: { key: string; value: unknown; raw_hex: string }[] }[];
      };
      for (const frame of manifest.files.flatMap((f) => f.frames)) {
        const payload = payloadOfRawFrame(Buffer.from(frame.raw_hex, 'hex'));
        const value = frame.value === null ? null : fromTagged(frame.value);
        expect(Buffer.from(encodePayload('state-value', frame.key, value))).toEqual(payload);
        expect(decodePayload('state-value', payload)).toEqual({ ok: true, value });
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(80);
  });
});

/** The payload bytes of a raw frame: after length, scope, key and timestamp, before the CRC. */
function payloadOfRawFrame(raw: Buffer): Buffer {
  const v: VarintRead = { value: 0, length: 0 };
  let pos = readVarint(raw, 0, raw.length, v).length + 1;
  const keyLength = readVarint(raw, pos, raw.length, v).value;
  pos += v.length + keyLength;
  pos += readVarint(raw, pos, raw.length, v).length;
  return raw.subarray(pos, raw.length - 4);
}
