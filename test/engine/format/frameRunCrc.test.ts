import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { FrameRunCrc } from '../../../src/engine/format/frameRunCrc';
import { frameAround } from './journalBytes';

/**
 * Bodies of every size class: one-byte lengths, two-byte lengths, and past the tabled sizes
 * (where lengths 256 apart share a cache place).
 */
const body = fc.oneof(
  fc.uint8Array({ minLength: 3, maxLength: 120 }),
  fc.uint8Array({ minLength: 124, maxLength: 400 }),
  fc.uint8Array({ minLength: 2040, maxLength: 2100 }),
  fc.constantFrom(2300, 2556, 2812).map((n) => new Uint8Array(n).fill(n & 0xff)),
);

function runOf(frames: Buffer[]): { bytes: Buffer; run: FrameRunCrc } {
  const run = new FrameRunCrc();
  for (const f of frames) {
    const bodyLength = lengthOf(f);
    run.add(bodyLength, f.length);
  }
  return { bytes: Buffer.concat(frames), run };
}

/** The frame's length varint. */
function lengthOf(frame: Buffer): number {
  let value = 0;
  for (let i = 0, m = 1; ; i++, m *= 128) {
    value += (frame[i] & 0x7f) * m;
    if (frame[i] < 0x80) return value;
  }
}

describe('FrameRunCrc', () => {
  it('accepts any run of frames whose CRCs are right', () => {
    fc.assert(
      fc.property(fc.array(body, { minLength: 1, maxLength: 30 }), (bodies) => {
        const { bytes, run } = runOf(bodies.map(frameAround));
        expect(run.matches(bytes, 0, bytes.length)).toBe(true);
      }),
    );
  });

  it('rejects a run in which any one frame has damaged bytes', () => {
    fc.assert(
      fc.property(
        fc.array(body, { minLength: 1, maxLength: 30 }),
        fc.nat(),
        fc.nat(),
        fc.integer({ min: 1, max: 255 }),
        (bodies, whichFrame, whichByte, flip) => {
          const frames = bodies.map(frameAround);
          const f = whichFrame % frames.length;
          const lengthBytes = frames[f].length - lengthOf(frames[f]);
          // Anything after the length varint: scope, key, timestamp, payload or the stored CRC.
          const at = lengthBytes + (whichByte % (frames[f].length - lengthBytes));
          const { bytes, run } = runOf(frames);
          const offset = frames.slice(0, f).reduce((n, x) => n + x.length, 0) + at;
          bytes[offset] ^= flip;
          expect(run.matches(bytes, 0, bytes.length)).toBe(false);
        },
      ),
    );
  });

  it('starts over after reset', () => {
    const a = frameAround(Buffer.from('first frame'));
    const b = frameAround(Buffer.from('second'));
    const run = new FrameRunCrc();
    run.add(lengthOf(a), a.length);
    run.reset();
    run.add(lengthOf(b), b.length);
    expect(run.matches(b, 0, b.length)).toBe(true);
    expect(run.matches(Buffer.concat([a, b]), 0, a.length + b.length)).toBe(false);
  });
});
