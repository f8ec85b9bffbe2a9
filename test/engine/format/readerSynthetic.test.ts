import { describe, expect, it } from 'vitest';
import { encodeFrame } from '../../../src/engine/format/frame';
import { encodePayload } from '../../../src/engine/format/payload';
import { JournalReader, readJournal } from '../../../src/engine/format/reader';
import { bigVarint, chunkOffsets, frameAround, journalOf } from './journalBytes';

const T = 1_704_067_200_000_000;
const good = (key: string, ts = T) => encodeFrame(2, key, ts, encodePayload('state-value', key, { kind: 'string', value: 'v' }));
const body = (...parts: (number[] | Uint8Array)[]) => Buffer.concat(parts.map((p) => Buffer.from(p)));

/** Reads a journal made of `chunks`; returns what was reported and which chunks were kept. */
function read(chunks: Uint8Array[]) {
  const contents = readJournal(journalOf(chunks), { file: 'synthetic' });
  const offsets = chunkOffsets(chunks);
  return {
    contents,
    problems: contents.problems.map((p) => ({ reason: p.reason, offset: p.offset, severity: p.severity })),
    keptChunks: contents.frames.map((f) => offsets.indexOf(f.offset)),
    offsets,
  };
}

describe('reader on synthetic damage', () => {
  it('stops at a key that is not UTF-8 although its CRC is valid, at the key offset', () => {
    const badKey = encodeFrame(2, Uint8Array.of(0x61, 0xc3, 0x28), T, new Uint8Array(0));
    const r = read([good('a'), badKey, good('b')]);
    // length (1 byte) + scope (1) + key length (1): the key starts 3 bytes into the frame.
    expect(r.problems).toEqual([{ reason: 'bad-utf8-key', offset: r.offsets[1] + 3, severity: 'error' }]);
    expect(r.keptChunks).toEqual([0]);
  });

  it('reads a valid multi-byte UTF-8 key', () => {
    const r = read([good('κλειδί ✓ 😀')]);
    expect(r.problems).toEqual([]);
    expect(r.contents.frames[0].key).toBe('κλειδί ✓ 😀');
  });

  it('stops at a frame length varint longer than 10 bytes', () => {
    const r = read([good('a'), body(Array(10).fill(0x80), [0x01])]);
    expect(r.problems).toEqual([{ reason: 'varint-too-long', offset: r.offsets[1], severity: 'error' }]);
    expect(r.keptChunks).toEqual([0]);
  });

  it('stops at a key length varint longer than 10 bytes with a valid CRC', () => {
    const r = read([good('a'), frameAround(body([2], Array(10).fill(0x80), [0x01], [0x00]))]);
    expect(r.problems).toEqual([{ reason: 'varint-too-long', offset: r.offsets[1] + 2, severity: 'error' }]);
  });

  it('reports a timestamp beyond 2^53 with a valid CRC instead of rounding it', () => {
    const frame = frameAround(body([2, 1], Buffer.from('k'), bigVarint(2n ** 60n)));
    const r = read([good('a'), frame, good('b')]);
    // length, scope, key length, key: the timestamp starts 4 bytes in.
    expect(r.problems).toEqual([{ reason: 'timestamp-too-large', offset: r.offsets[1] + 4, severity: 'error' }]);
    expect(r.keptChunks).toEqual([0]);
  });

  it('reads the largest representable timestamp, 2^53 - 1', () => {
    const r = read([encodeFrame(2, 'k', Number.MAX_SAFE_INTEGER, new Uint8Array(0))]);
    expect(r.problems).toEqual([]);
    expect(r.contents.frames[0].timestamp).toBe(Number.MAX_SAFE_INTEGER);
  });

  it('stops at a zero length byte before position (zeroed, not padding)', () => {
    const r = read([good('a'), Uint8Array.of(0, 0, 0), good('b')]);
    expect(r.problems).toEqual([{ reason: 'zero-length', offset: r.offsets[1], severity: 'error' }]);
    expect(r.keptChunks).toEqual([0]);
  });

  it('keeps frames of an unknown scope with a valid CRC, warning once per scope', () => {
    const scope9 = (key: string) => encodeFrame(9, key, T, encodePayload('state-value', key, { kind: 'bool', value: true }));
    const r = read([good('a'), scope9('x'), scope9('y'), good('b')]);
    expect(r.problems).toEqual([{ reason: 'unknown-scope', offset: r.offsets[1], severity: 'warning' }]);
    expect(r.keptChunks).toEqual([0, 1, 2, 3]);
    expect(r.contents.frames[1]).toMatchObject({ scope: 9, key: 'x', value: { kind: 'bool', value: true } });
  });

  it('stops at a frame too short to hold scope, key length, timestamp and CRC', () => {
    const r = read([good('a'), Uint8Array.of(3, 2, 0, 0)]);
    expect(r.problems).toEqual([{ reason: 'frame-too-short', offset: r.offsets[1], severity: 'error' }]);
  });

  it('stops at a key length that runs past its frame (valid CRC)', () => {
    const r = read([good('a'), frameAround(body([2, 50], Buffer.from('k'), [1]))]);
    expect(r.problems).toEqual([{ reason: 'malformed-frame', offset: r.offsets[1], severity: 'error' }]);
  });

  it('stops at a payload that is not protobuf (valid CRC), keeping what precedes it', () => {
    const frame = encodeFrame(2, 'k', T, Uint8Array.of(0x0a, 0x05, 0x61));
    const journal = journalOf([good('a'), frame, good('b')]);
    const r = read([good('a'), frame, good('b')]);
    expect(r.problems).toEqual([{ reason: 'bad-payload', offset: r.offsets[1], severity: 'error' }]);
    expect(r.keptChunks).toEqual([0]);
    expect(r.contents.goodEnd).toBe(r.offsets[1]);
    // The cursor agrees with readJournal on where the good prefix ends.
    const cursor = new JournalReader(journal, { file: 'synthetic', payloadLayout: 'state-value' });
    while (cursor.nextValue() !== undefined);
    expect([cursor.stopped, cursor.complete, cursor.goodEnd]).toEqual([true, false, r.offsets[1]]);
  });

  it('never reads past position, even when a valid frame follows it', () => {
    const journal = journalOf([good('a')], 'v17', 0);
    const withTrailingFrame = Buffer.concat([journal, good('beyond'), Buffer.alloc(8)]);
    const contents = readJournal(withTrailingFrame, { file: 'synthetic' });
    expect(contents.problems).toEqual([]);
    expect(contents.frames.map((f) => f.key)).toEqual(['a']);
  });

  it('tells a truncated file (truncated-frame) from a frame past position (length-past-end)', () => {
    const full = journalOf([good('a'), good('b')], 'v9', 0);
    const truncated = full.subarray(0, full.length - 3);
    expect(readJournal(truncated, { file: 't' }).problems.map((p) => p.reason)).toEqual(['position-out-of-range', 'truncated-frame']);
    const positionShort = Buffer.from(full);
    positionShort.writeBigUInt64LE(BigInt(full.length - 3), 1);
    expect(readJournal(positionShort, { file: 't' }).problems.map((p) => p.reason)).toEqual(['length-past-end']);
  });

  it('reads an empty journal (position = header size) without problems', () => {
    for (const variant of ['v17', 'v9'] as const) {
      const contents = readJournal(journalOf([], variant), { file: 'empty' });
      expect(contents).toMatchObject({ frames: [], problems: [], header: { variant } });
    }
  });
});
