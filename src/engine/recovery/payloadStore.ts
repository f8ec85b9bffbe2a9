import { decodePayload, type PayloadLayout } from '../format/payload';
import type { StateValue } from '../format/value';

/**
 * The bytes that versions' payloads live in, one source per journal. A journal buffer is
 * mostly restated frames and a zero-filled tail; once its restated frames have been matched,
 * only the region holding kept versions is copied and the rest is let go (`retain`).
 */
export class PayloadStore {
  private readonly sources: { bytes: Buffer; base: number; layout: PayloadLayout }[] = [];

  add(bytes: Buffer, layout: PayloadLayout): number {
    this.sources.push({ bytes, base: 0, layout });
    return this.sources.length - 1;
  }

  /** Keeps a copy of bytes [from, to) of the source (offsets stay absolute) and drops the rest. */
  retain(source: number, from: number, to: number): void {
    const s = this.sources[source];
    s.bytes = from < to ? Buffer.from(s.bytes.subarray(from - s.base, to - s.base)) : Buffer.alloc(0);
    s.base = from;
  }

  /** A payload the scan already decoded once, so it cannot fail here. */
  decode(source: number, start: number, end: number): StateValue | null {
    const s = this.sources[source];
    const decoded = decodePayload(s.layout, s.bytes.subarray(start - s.base, end - s.base));
    if (!decoded.ok) throw new Error(`payload at ${start} no longer decodes: ${decoded.error}`);
    return decoded.value;
  }
}
