import { sealFrame } from '../format/frame';
import { encodePayload, type PayloadLayout } from '../format/payload';
import type { StateValue } from '../format/value';

/**
 * Encodes frames straight into the journal buffer, without per-write allocations for the
 * common value kinds (string, int, double, bool, delete). `measure()` computes the lengths and
 * keeps what `write()` needs on the encoder; `write()` must follow with the same arguments.
 * The bytes equal protobufjs's encoding of the same payload (tested), except that a string
 * with a lone surrogate is written as Buffer does (U+FFFD, valid UTF-8), like the frame key;
 * protobufjs would write invalid UTF-8 there. Bytes, lists and maps go through protobufjs.
 */
export class FrameEncoder {
  /** Results of the last measure(). */
  frameLength = 0;
  private keyLength = 0;
  private bodyLength = 0;
  private payloadLength = 0;
  /** Length of the encoded StateValue (payload minus the pair wrapper). */
  private valueLength = 0;
  private stringLength = 0;
  private intNumber = -1;
  private readonly intBytes = new Uint8Array(10);
  private intByteCount = 0;
  private encoded: Uint8Array | null = null;

  constructor(readonly payloadLayout: PayloadLayout) {}

  /** Measures a frame; `keyLength` is the key's UTF-8 length (callers cache it per key). */
  measure(key: string, keyLength: number, timestamp: number, value: StateValue | null): number {
    this.keyLength = keyLength;
    const valueLength = value === null ? 0 : this.measureValue(key, value);
    this.valueLength = valueLength;
    let payload: number;
    if (this.payloadLayout === 'state-value') payload = valueLength;
    else {
      // StateKeyValuePair: field 1 (omitted when empty, as proto3 does), then field 2 if set.
      payload = keyLength === 0 ? 0 : 1 + varintLength(keyLength) + keyLength;
      if (value !== null) payload += 1 + varintLength(valueLength) + valueLength;
    }
    this.payloadLength = payload;
    const body = 1 + varintLength(keyLength) + keyLength + varintLength(timestamp) + payload + 4;
    this.bodyLength = body;
    this.frameLength = varintLength(body) + body;
    return this.frameLength;
  }

  /** Writes the frame measured last at `offset`; returns its length. */
  write(buf: Buffer, offset: number, scope: number, key: string, timestamp: number, value: StateValue | null): number {
    let pos = writeVarint(buf, offset, this.bodyLength);
    const crcStart = pos;
    buf[pos++] = scope;
    pos = writeVarint(buf, pos, this.keyLength);
    const keyStart = pos;
    pos = writeString(buf, pos, key, this.keyLength);
    pos = writeVarint(buf, pos, timestamp);
    if (this.payloadLayout === 'key-value-pair') {
      if (this.keyLength > 0) {
        buf[pos++] = 0x0a;
        pos = writeVarint(buf, pos, this.keyLength);
        copyBytes(buf, keyStart, keyStart + this.keyLength, buf, pos);
        pos += this.keyLength;
      }
      if (value !== null) {
        buf[pos++] = 0x12;
        pos = writeVarint(buf, pos, this.valueLength);
      }
    }
    if (value !== null) pos = this.writeValue(buf, pos, value);
    return sealFrame(buf, crcStart, pos) - offset;
  }

  private measureValue(key: string, value: StateValue): number {
    this.encoded = null;
    switch (value.kind) {
      case 'string': {
        const n = utf8Length(value.value);
        this.stringLength = n;
        return 1 + varintLength(n) + n;
      }
      case 'int': {
        const v = value.value;
        if (v >= 0n && v <= MAX_SAFE) {
          this.intNumber = Number(v);
          return 1 + varintLength(this.intNumber);
        }
        // Negative or beyond 2^53: the two's-complement u64 varint (10 bytes when negative).
        this.intNumber = -1;
        let u = BigInt.asUintN(64, v);
        let n = 0;
        while (u >= 0x80n) {
          this.intBytes[n++] = Number(u & 0x7fn) | 0x80;
          u >>= 7n;
        }
        this.intBytes[n++] = Number(u);
        this.intByteCount = n;
        return 1 + n;
      }
      case 'double':
        return 9;
      case 'bool':
        return 2;
      default:
        this.encoded = encodePayload('state-value', key, value);
        return this.encoded.length;
    }
  }

  private writeValue(buf: Buffer, pos: number, value: StateValue): number {
    switch (value.kind) {
      case 'string':
        buf[pos++] = 0x0a;
        pos = writeVarint(buf, pos, this.stringLength);
        return writeString(buf, pos, value.value, this.stringLength);
      case 'int':
        buf[pos++] = 0x10;
        if (this.intNumber >= 0) return writeVarint(buf, pos, this.intNumber);
        buf.set(this.intBytes.subarray(0, this.intByteCount), pos);
        return pos + this.intByteCount;
      case 'double':
        buf[pos++] = 0x19;
        buf.writeDoubleLE(value.value, pos);
        return pos + 8;
      case 'bool':
        buf[pos++] = 0x20;
        buf[pos++] = value.value ? 1 : 0;
        return pos;
      default:
        buf.set(this.encoded!, pos);
        return pos + this.encoded!.length;
    }
  }
}

const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);

export function varintLength(n: number): number {
  if (n < 0x80) return 1;
  if (n < 0x4000) return 2;
  if (n < 0x200000) return 3;
  if (n < 0x10000000) return 4;
  let length = 4;
  let rest = Math.floor(n / 0x10000000);
  while (rest > 0) {
    length++;
    rest = Math.floor(rest / 0x80);
  }
  return length;
}

/** Writes a non-negative safe integer as LEB128; returns the position after it. */
export function writeVarint(buf: Uint8Array, pos: number, n: number): number {
  // Bit operations are exact only below 2^31: larger values (timestamps) write their low 28
  // bits with one division, then the rest (below 2^25 for a safe integer) with bit operations.
  if (n >= 0x10000000) {
    const high = Math.floor(n / 0x10000000);
    const low = n - high * 0x10000000;
    buf[pos++] = (low & 0x7f) | 0x80;
    buf[pos++] = ((low >>> 7) & 0x7f) | 0x80;
    buf[pos++] = ((low >>> 14) & 0x7f) | 0x80;
    buf[pos++] = ((low >>> 21) & 0x7f) | 0x80;
    n = high;
  }
  while (n >= 0x80) {
    buf[pos++] = (n & 0x7f) | 0x80;
    n >>>= 7;
  }
  buf[pos++] = n;
  return pos;
}

/** Copies source[start, end) to target at `at`; short ranges in JavaScript (a native call costs more). */
export function copyBytes(source: Buffer, start: number, end: number, target: Buffer, at: number): void {
  if (end - start > 96) {
    source.copy(target, at, start, end);
    return;
  }
  for (let i = start; i < end; i++) target[at++] = source[i];
}

/** UTF-8 length; short ASCII strings are counted in JavaScript (a native call costs more). */
export function utf8Length(s: string): number {
  const n = s.length;
  if (n > 64) return Buffer.byteLength(s, 'utf8');
  for (let i = 0; i < n; i++) if (s.charCodeAt(i) >= 0x80) return Buffer.byteLength(s, 'utf8');
  return n;
}

function writeString(buf: Buffer, pos: number, s: string, byteLength: number): number {
  if (byteLength === s.length && byteLength <= 64) {
    for (let i = 0; i < byteLength; i++) buf[pos + i] = s.charCodeAt(i);
    return pos + byteLength;
  }
  return pos + buf.write(s, pos, byteLength, 'utf8');
}
