import { deflateSync } from 'node:zlib';

// Every fuzz case replays from its seed.
export { prng } from '../../../src/main/demo/prng';

export type Rng = () => number;
const pick = <T>(rng: Rng, items: readonly T[]): T => items[Math.floor(rng() * items.length)];
const int = (rng: Rng, max: number) => Math.floor(rng() * max);

/** Byte-level mutations of one journal buffer (an active journal or an inflated archive). */
export const byteMutators = {
  bitFlip(b: Buffer, rng: Rng): Buffer {
    const out = Buffer.from(b);
    if (out.length) out[int(rng, out.length)] ^= 1 << int(rng, 8);
    return out;
  },
  byteRun(b: Buffer, rng: Rng): Buffer {
    const out = Buffer.from(b);
    const start = int(rng, Math.max(1, out.length));
    out.fill(pick(rng, [0x00, 0xff, 0x80, int(rng, 256)]), start, Math.min(out.length, start + 1 + int(rng, 64)));
    return out;
  },
  truncate(b: Buffer, rng: Rng): Buffer {
    return b.subarray(0, int(rng, b.length + 1));
  },
  extend(b: Buffer, rng: Rng): Buffer {
    const extra = Buffer.alloc(1 + int(rng, 4096));
    for (let i = 0; i < extra.length; i++) extra[i] = rng() < 0.5 ? 0 : int(rng, 256);
    return Buffer.concat([b, extra]);
  },
  headerRewrite(b: Buffer, rng: Rng): Buffer {
    const out = Buffer.from(b);
    if (out.length < 17) return out;
    const which = int(rng, 5);
    if (which === 0) out.writeBigUInt64LE(BigInt(int(rng, 4)), 0); // version
    else if (which === 1) out.writeBigUInt64LE(2n ** 60n, 8); // position far past the end
    else if (which === 2) out.writeBigUInt64LE(BigInt(int(rng, out.length * 2)), 8);
    else if (which === 3) out.writeBigUInt64LE(BigInt(int(rng, out.length)), 1); // as a 9-byte header
    else out[16] = int(rng, 256); // reserved
    return out;
  },
  /** A frame length that claims gigabytes: must cost nothing but a problem. */
  giantLength(b: Buffer, rng: Rng): Buffer {
    const out = Buffer.from(b);
    const at = 17 + int(rng, Math.max(1, out.length - 27));
    const giant = [0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f];
    for (let i = 0; i < giant.length && at + i < out.length; i++) out[at + i] = giant[i];
    return out;
  },
  /** A varint of 11+ continuation bytes. */
  varintOverflow(b: Buffer, rng: Rng): Buffer {
    const out = Buffer.from(b);
    const at = 17 + int(rng, Math.max(1, out.length - 30));
    for (let i = 0; i < 12 && at + i < out.length; i++) out[at + i] = 0x80 | int(rng, 128);
    return out;
  },
} satisfies Record<string, (b: Buffer, rng: Rng) => Buffer>;

export type ByteMutator = keyof typeof byteMutators;
export const BYTE_MUTATORS = Object.keys(byteMutators) as ByteMutator[];

export function mutateBytes(b: Buffer, rng: Rng, rounds = 1 + int(rng, 3)): { bytes: Buffer; applied: ByteMutator[] } {
  let bytes = b;
  const applied: ByteMutator[] = [];
  for (let i = 0; i < rounds; i++) {
    const m = pick(rng, BYTE_MUTATORS);
    applied.push(m);
    bytes = byteMutators[m](bytes, rng);
  }
  return { bytes, applied };
}

/** An archive that is a valid zlib stream inflating to `size` zero bytes (a zip bomb). */
export function zlibBomb(size: number): Buffer {
  let bomb = bombs.get(size);
  if (!bomb) bombs.set(size, (bomb = deflateSync(Buffer.alloc(size), { level: 9 })));
  return bomb;
}
const bombs = new Map<number, Buffer>();

export { pick, int };
