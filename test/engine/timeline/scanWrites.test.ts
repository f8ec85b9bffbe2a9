import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { encodeFrame } from '../../../src/engine/format/frame';
import { sumCrcs } from '../../../src/engine/timeline/liveHash';
import { scanJournal, scanWrites, type ScannedJournal } from '../../../src/engine/timeline/scan';
import { bigVarint, frameAround, journalOf } from '../format/journalBytes';

/**
 * scanWrites keeps only a journal's last run of non-decreasing timestamps and sums up the
 * frames before it. Whatever the bytes, it must agree with scanJournal: the same problems, the
 * same frames from the last run on, a true summary of those before, and a whole reading
 * whenever the journal is damaged.
 */
const frame = fc.oneof(
  { weight: 40, arbitrary: fc
    .record({
      scope: fc.oneof({ weight: 30, arbitrary: fc.constantFrom(1, 2, 3) }, { weight: 1, arbitrary: fc.integer({ min: 0, max: 255 }) }),
      key: fc.oneof(fc.string({ maxLength: 16 }), fc.string({ unit: 'grapheme', maxLength: 6 }), fc.string({ minLength: 130, maxLength: 200 })),
      timestamp: fc.oneof(fc.nat(3), fc.nat(50), fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER })),
      payload: fc.oneof(fc.constant(new Uint8Array(0)), fc.uint8Array({ minLength: 1, maxLength: 10 }).map((p) => Uint8Array.of(0x0a, ...p.subarray(0, 1), ...p)), fc.uint8Array({ minLength: 130, maxLength: 400 })),
    })
    .map(({ scope, key, timestamp, payload }) => encodeFrame(scope, key, timestamp, payload)) },
  // Valid CRCs around bodies no writer makes: any bytes; a key or timestamp running into the
  // CRC; timestamps past 2^53 in 8 bytes (the longest the walk reads) and beyond.
  { weight: 1, arbitrary: fc.uint8Array({ minLength: 3, maxLength: 30 }).map((body) => frameAround(body)) },
  { weight: 1, arbitrary: fc
    .tuple(fc.nat(255), fc.uint8Array({ maxLength: 12 }))
    .map(([keyLength, rest]) => frameAround(Buffer.concat([Buffer.from([2, keyLength]), rest]))) },
  { weight: 1, arbitrary: fc
    .tuple(fc.string({ maxLength: 6 }), fc.oneof(fc.bigInt({ min: 2n ** 53n, max: 2n ** 56n - 1n }), fc.bigInt({ min: 2n ** 56n, max: 2n ** 64n })))
    .map(([key, ts]) => frameAround(Buffer.concat([Buffer.from([2, Buffer.byteLength(key)]), Buffer.from(key), bigVarint(ts)]))) },
);

function framesOf(s: ScannedJournal, from: number) {
  const f = s.frames;
  const out = [];
  for (let i = from - f.first; i < f.n - f.first; i++) {
    out.push({
      scope: f.scope[i],
      key: Buffer.from(s.bytes.subarray(f.keyStart[i], f.keyStart[i] + f.keyLength[i])).toString('hex'),
      ts: f.ts[i],
      start: f.frameStart[i],
      payload: Buffer.from(s.bytes.subarray(f.payloadStart[i], f.payloadEnd[i])).toString('hex'),
      crc: f.crc[i],
      del: f.del[i],
    });
  }
  return out;
}

/**
 * The frames real stores are made of, and only those: known scopes, ASCII keys (one- and
 * two-byte key lengths), timestamps of every size below 2^53, payloads of one- and two-byte
 * frame lengths, deletes included. Journals of `frame` above nearly always hold an odd one;
 * these give lean scans of clean journals, and of journals damaged only by flipped bytes.
 */
const usualFrame = fc
  .record({
    scope: fc.constantFrom(1, 2, 3),
    key: fc.oneof(fc.string({ unit: 'binary-ascii', maxLength: 16 }), fc.string({ unit: 'binary-ascii', minLength: 130, maxLength: 200 })),
    timestamp: fc.oneof(fc.nat(3), fc.nat(50), fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER })),
    payload: fc.oneof(fc.constant(new Uint8Array(0)), fc.uint8Array({ minLength: 1, maxLength: 10 }).map((p) => Uint8Array.of(0x0a, ...p.subarray(0, 1), ...p)), fc.uint8Array({ minLength: 130, maxLength: 400 })),
  })
  .map(({ scope, key, timestamp, payload }) => encodeFrame(scope, key, timestamp, payload));

const damage = fc.oneof(fc.constant([]), fc.array(fc.tuple(fc.nat(), fc.integer({ min: 1, max: 255 })), { maxLength: 2 }));

/** scanWrites agrees with a whole reading of the journal made of `frames`, bytes flipped by `flips`. */
function agreesWithWholeReading(frames: Uint8Array[], flips: readonly (readonly [number, number])[]): boolean {
  const buf = journalOf(frames, 'v9', 0);
  for (const [where, mask] of flips) if (buf.length > 9) buf[9 + (where % (buf.length - 9))] ^= mask;
  const whole = scanJournal(Buffer.from(buf), { file: 'j', payloadLayout: 'state-value' });
  const lean = scanWrites(Buffer.from(buf), { file: 'j', payloadLayout: 'state-value' });
  expect(lean.problems).toEqual(whole.problems);
  expect([lean.stopped, lean.goodEnd, lean.frames.n]).toEqual([whole.stopped, whole.goodEnd, whole.frames.n]);
  const from = lean.lean?.from ?? 0;
  expect(framesOf(lean, from)).toEqual(framesOf(whole, from));
  if (!lean.lean) return false;
  // Lean only for a journal read to its end without a problem, from its last run on.
  expect(whole.problems.filter((p) => p.severity === 'error')).toEqual([]);
  const ts = whole.frames.ts;
  expect(ts[from - 1]).toBeGreaterThan(ts[from]);
  for (let i = from + 1; i < whole.frames.n; i++) expect(ts[i]).toBeGreaterThanOrEqual(ts[i - 1]);
  expect(lean.frames.before).toEqual({
    crcSums: sumCrcs(whole.frames.crc, 0, from),
    anyDelete: whole.frames.del.subarray(0, from).includes(1),
    maxTs: Math.max(...whole.frames.ts.subarray(0, from)),
  });
  return true;
}

describe('scanWrites', () => {
  // The property is about lean scans: enough of the journals must give one.
  it.each([
    { journals: 'any journal, damaged or not', frames: fc.array(frame, { maxLength: 40 }), minLean: 40 },
    { journals: 'journals of usual frames only', frames: fc.array(usualFrame, { maxLength: 60 }), minLean: 100 },
  ])('agrees with a whole reading on $journals', ({ frames, minLean }) => {
    let leanScans = 0;
    fc.assert(
      fc.property(frames, damage, (journal, flips) => {
        if (agreesWithWholeReading(journal, flips)) leanScans++;
      }),
      { numRuns: 400 },
    );
    expect(leanScans).toBeGreaterThan(minLean);
  });
});

describe('scanWrites on damage before the last run', () => {
  // Frames out of timestamp order (a restated prefix), then a run of writes.
  const prefix = [encodeFrame(2, 'b', 30, Uint8Array.of(0x08, 1)), encodeFrame(2, 'a', 10, Uint8Array.of(0x08, 2))];
  const writes = [encodeFrame(2, 'c', 40, Uint8Array.of(0x08, 3)), encodeFrame(1, 'a', 41, new Uint8Array(0))];
  const body = (...parts: (number[] | Buffer)[]) => frameAround(Buffer.concat(parts.map((p) => Buffer.from(p))));
  const cases: Record<string, Buffer> = {
    'a timestamp running into the CRC': body([2, 1], Buffer.from('k'), [0x80, 0x80]),
    'a key running past the CRC': body([2, 9], Buffer.from('k')),
    // No timestamp: the CRC follows the key ('b' gives it a first byte that ends a varint).
    'a key ending where the CRC begins': body([2, 1], Buffer.from('b')),
    'a key that is not UTF-8': body([2, 2, 0xc3, 0x28, 5]),
    'an unknown scope': body([9, 1], Buffer.from('k'), [5]),
    'a timestamp past 2^53 in 8 bytes': body([2, 1], Buffer.from('k'), bigVarint(2n ** 54n)),
    'a zero length byte': Buffer.from([0]),
    'a bad CRC': (() => {
      const f = encodeFrame(2, 'k', 20, Uint8Array.of(0x08, 9));
      f[f.length - 1] ^= 1;
      return f;
    })(),
  };
  it.each(Object.entries(cases))('reports %s as a whole reading does', (_, odd) => {
    const buf = journalOf([...prefix, odd, ...prefix, ...writes], 'v9', 0);
    const whole = scanJournal(Buffer.from(buf), { file: 'j' });
    const lean = scanWrites(Buffer.from(buf), { file: 'j' });
    expect(whole.problems.length).toBeGreaterThan(0);
    expect(lean.problems).toEqual(whole.problems);
    // A journal that stops at damage is read whole: its reading needs every frame.
    if (whole.stopped) expect(lean.lean).toBeUndefined();
    const from = lean.lean?.from ?? 0;
    expect([lean.frames.n, framesOf(lean, from)]).toEqual([whole.frames.n, framesOf(whole, from)]);
  });

  it('is lean on the same journal without the damage', () => {
    const lean = scanWrites(journalOf([...prefix, ...prefix, ...writes], 'v9', 0), { file: 'j' });
    expect([lean.lean?.from, lean.frames.n, lean.problems]).toEqual([3, 6, []]);
  });
});
