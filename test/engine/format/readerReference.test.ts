import { isUtf8 } from 'node:buffer';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { crc32 } from '../../../src/engine/format/crc32';
import { encodeFrame } from '../../../src/engine/format/frame';
import { JournalReader } from '../../../src/engine/format/reader';
import { isKnownScope } from '../../../src/engine/format/scopes';
import { bigVarint, frameAround, journalOf } from './journalBytes';

/**
 * The reader takes shortcuts for speed: CRCs checked a run of frames at a time, and a fast path
 * for the usual frame. This reference reads frame by frame with every check in the documented
 * order (FORMAT.md); on any journal, damaged or not, both must read the same frames and stop
 * at the same offset for the same reason.
 */
function referenceRead(buf: Buffer, start: number, end: number) {
  const frames: { offset: number; scope: number; key: string; timestamp: number; payload: string }[] = [];
  const varint = (at: number, limit: number): [number, number] => {
    let value = 0;
    for (let i = 0, m = 1; i < 10; i++, m *= 128) {
      if (at + i >= limit) return [0, 0];
      value += (buf[at + i] & 0x7f) * m;
      if (buf[at + i] < 0x80) return [value, i + 1];
    }
    return [0, -1];
  };
  let at = start;
  while (at < end) {
    if (buf[at] === 0) return { frames, stop: { offset: at, reason: 'zero-length' } };
    const [bodyLength, n] = varint(at, end);
    if (n === -1) return { frames, stop: { offset: at, reason: 'varint-too-long' } };
    if (n === 0) return { frames, stop: { offset: at, reason: 'past-end' } };
    const bodyStart = at + n;
    const frameEnd = bodyStart + bodyLength;
    if (bodyLength < 7) return { frames, stop: { offset: at, reason: 'frame-too-short' } };
    if (frameEnd > end) return { frames, stop: { offset: at, reason: 'past-end' } };
    const crcStart = frameEnd - 4;
    if (crc32(buf, bodyStart, crcStart) !== buf.readUInt32LE(crcStart)) return { frames, stop: { offset: at, reason: 'crc-mismatch' } };
    const [keyLength, kn] = varint(bodyStart + 1, crcStart);
    if (kn === -1) return { frames, stop: { offset: bodyStart + 1, reason: 'varint-too-long' } };
    const keyStart = bodyStart + 1 + kn;
    if (kn === 0 || keyStart + keyLength > crcStart) return { frames, stop: { offset: at, reason: 'malformed-frame' } };
    const key = buf.subarray(keyStart, keyStart + keyLength);
    if (!isUtf8(key)) return { frames, stop: { offset: keyStart, reason: 'bad-utf8-key' } };
    const [timestamp, tn] = varint(keyStart + keyLength, crcStart);
    if (tn === -1) return { frames, stop: { offset: keyStart + keyLength, reason: 'varint-too-long' } };
    if (tn === 0) return { frames, stop: { offset: at, reason: 'malformed-frame' } };
    if (timestamp > Number.MAX_SAFE_INTEGER) return { frames, stop: { offset: keyStart + keyLength, reason: 'timestamp-too-large' } };
    const payload = buf.subarray(keyStart + keyLength + tn, crcStart).toString('hex');
    frames.push({ offset: at, scope: buf[bodyStart], key: key.toString('utf8'), timestamp, payload });
    at = frameEnd;
  }
  return { frames, stop: null };
}

function readerRead(buf: Buffer) {
  const reader = new JournalReader(buf, { file: 'j', payloadLayout: 'state-value' });
  const frames: ReturnType<typeof referenceRead>['frames'] = [];
  while (reader.next()) {
    frames.push({
      offset: reader.frameStart,
      scope: reader.scope,
      key: reader.key,
      timestamp: reader.timestamp,
      payload: buf.subarray(reader.payloadStart, reader.payloadEnd).toString('hex'),
    });
  }
  const error = reader.problems.find((p) => p.severity === 'error');
  const reason = error && (error.reason === 'truncated-frame' || error.reason === 'length-past-end' ? 'past-end' : error.reason);
  const unknownScopes = reader.problems.filter((p) => p.reason === 'unknown-scope').length;
  return { frames, stop: error ? { offset: error.offset, reason } : null, unknownScopes };
}

const frame = fc.oneof(
  // What writers write: every size of key, timestamp and payload, known and unknown scopes.
  fc
    .record({
      scope: fc.oneof(fc.constantFrom(1, 2, 3), fc.integer({ min: 0, max: 255 })),
      key: fc.oneof(fc.string({ maxLength: 20 }), fc.string({ unit: 'grapheme', maxLength: 8 }), fc.string({ minLength: 120, maxLength: 300 })),
      timestamp: fc.oneof(fc.nat(200), fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER }), fc.constant(1_700_000_000_000_000)),
      payload: fc.oneof(fc.uint8Array({ maxLength: 12 }), fc.uint8Array({ minLength: 100, maxLength: 3000 })),
    })
    .map(({ scope, key, timestamp, payload }) => encodeFrame(scope, key, timestamp, payload)),
  // Bodies no writer makes, with a valid CRC: bad keys, overlong varints, huge timestamps.
  fc.uint8Array({ minLength: 3, maxLength: 40 }).map((body) => frameAround(body)),
  // Keys whose only high bit is 0x80 (not UTF-8), where a bitwise test of ASCII must still see it.
  fc.constantFrom(frameAround(Buffer.from([2, 1, 0x80, 5])), frameAround(Buffer.from([2, 5, 0, 0x80, 0, 0, 0x80, 5]))),
  // The usual shape with an odd timestamp: past 2^53, or continuation bytes into the CRC.
  fc
    .record({
      key: fc.string({ maxLength: 10 }),
      timestamp: fc.oneof(
        fc.bigInt({ min: 2n ** 53n, max: 2n ** 64n }).map(bigVarint),
        fc.integer({ min: 1, max: 11 }).map((n) => Buffer.alloc(n, 0x80)),
      ),
      payload: fc.uint8Array({ maxLength: 6 }),
    })
    .map(({ key, timestamp, payload }) => frameAround(Buffer.concat([Buffer.from([2, Buffer.byteLength(key)]), Buffer.from(key), timestamp, payload]))),
);

describe('JournalReader against a frame-by-frame reference', () => {
  it('reads the same frames and stops at the same place for the same reason, damaged or not', () => {
    fc.assert(
      fc.property(
        fc.array(frame, { maxLength: 60 }),
        fc.array(fc.tuple(fc.nat(), fc.integer({ min: 1, max: 255 })), { maxLength: 3 }),
        (frames, flips) => {
          const buf = journalOf(frames, 'v17', 8);
          const dataEnd = buf.length - 8;
          for (const [where, mask] of flips) if (dataEnd > 17) buf[17 + (where % (dataEnd - 17))] ^= mask;
          const expected = referenceRead(buf, 17, dataEnd);
          const actual = readerRead(buf);
          expect(actual.frames).toEqual(expected.frames);
          expect(actual.stop).toEqual(expected.stop);
          const unknown = new Set(expected.frames.filter((f) => !isKnownScope(f.scope)).map((f) => f.scope));
          expect(actual.unknownScopes).toBe(unknown.size);
        },
      ),
      { numRuns: 400 },
    );
  });
});
