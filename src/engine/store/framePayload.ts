import { CRC_SIZE } from '../format/frame';
import { decodePayload, type PayloadLayout } from '../format/payload';
import type { StateValue } from '../format/value';

/** Reads a LEB128 varint at `pos` into `out` (value, next position); throws past `end`. */
function readVarintAt(buf: Uint8Array, pos: number, end: number, out: { value: number; next: number }): void {
  let value = 0;
  let multiplier = 1;
  for (let i = 0; i < 10 && pos < end; i++) {
    const b = buf[pos++];
    value += (b & 0x7f) * multiplier;
    if (b < 0x80) {
      out.value = value;
      out.next = pos;
      return;
    }
    multiplier *= 128;
  }
  throw new Error(`malformed varint before offset ${pos}`);
}

const scratch = { value: 0, next: 0 };

/** Decodes the value of a frame this store wrote (or validated on open) at `offset`. */
export function decodeFrameValue(buf: Buffer, offset: number, length: number, layout: PayloadLayout): StateValue | null {
  const end = Math.min(offset + length, buf.length);
  readVarintAt(buf, offset, end, scratch); // frame length
  readVarintAt(buf, scratch.next + 1, end, scratch); // after the scope: key length
  readVarintAt(buf, scratch.next + scratch.value, end, scratch); // after the key: timestamp
  const decoded = decodePayload(layout, buf.subarray(scratch.next, offset + length - CRC_SIZE));
  if (!decoded.ok) throw new Error(`frame at offset ${offset} has a bad payload: ${decoded.error}`);
  return decoded.value;
}
