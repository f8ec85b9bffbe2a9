import { decodePayload, type PayloadLayout } from './payload';

/** Field numbers of `StateValue` members this project knows (string 1 … map 7). */
const MAX_KNOWN_FIELD = 7;

/**
 * Whether a payload is a DELETE, without decoding the value: the index asks this of every
 * frame. A bare `StateValue` is a delete when it is empty; a `StateKeyValuePair` when field 2
 * is absent or empty. Anything unusual falls back to a full decode.
 */
export function isDeletePayload(layout: PayloadLayout, buf: Uint8Array, start: number, end: number): boolean {
  if (start === end) return true;
  if (layout === 'state-value') {
    const field = buf[start] >>> 3;
    if (buf[start] < 0x80 && field >= 1 && field <= MAX_KNOWN_FIELD) return false;
    return fallback(layout, buf, start, end);
  }
  let pos = start;
  while (pos < end) {
    const tag = buf[pos++];
    if (tag !== 0x0a && tag !== 0x12) return fallback(layout, buf, start, end);
    let length = 0;
    let multiplier = 1;
    for (let i = 0; i < 5; i++) {
      if (pos >= end) return fallback(layout, buf, start, end);
      const b = buf[pos++];
      length += (b & 0x7f) * multiplier;
      if (b < 0x80) break;
      multiplier *= 128;
    }
    if (tag === 0x12) {
      if (length === 0) return true;
      const field = buf[pos] >>> 3;
      if (buf[pos] < 0x80 && field >= 1 && field <= MAX_KNOWN_FIELD) return false;
      return fallback(layout, buf, start, end);
    }
    pos += length;
  }
  return true;
}

function fallback(layout: PayloadLayout, buf: Uint8Array, start: number, end: number): boolean {
  const decoded = decodePayload(layout, buf.subarray(start, end));
  return decoded.ok ? decoded.value === null : false;
}

/**
 * The tag byte of the value inside a payload (0x0a string … 0x3a map), or 0 when there is no
 * value or the payload is unusual. Lets callers tell lists and maps (whose encodings are not
 * unique) from scalars (whose encodings are) without decoding.
 */
export function valueTag(layout: PayloadLayout, buf: Uint8Array, start: number, end: number): number {
  if (start >= end) return 0;
  if (layout === 'state-value') return buf[start];
  let pos = start;
  while (pos < end) {
    const tag = buf[pos++];
    let length = 0;
    let multiplier = 1;
    for (let i = 0; i < 5 && pos < end; i++) {
      const b = buf[pos++];
      length += (b & 0x7f) * multiplier;
      if (b < 0x80) break;
      multiplier *= 128;
    }
    if (tag === 0x12) return length > 0 && pos < end ? buf[pos] : 0;
    if (tag !== 0x0a) return 0;
    pos += length;
  }
  return 0;
}
