import { crc32 } from './crc32';
import { varintLength, writeVarint } from './varint';

/**
 * A frame: `varint length | u8 scope | varint key length | key | varint timestamp µs |
 * payload | u32 LE CRC-32`. The length counts everything after itself, CRC included; the CRC
 * covers scope through payload.
 */
export const CRC_SIZE = 4;
/** scope + a one-byte key length + a one-byte timestamp + CRC. */
export const MIN_FRAME_BODY = 1 + 1 + 1 + CRC_SIZE;

export function frameBodyLength(keyLength: number, timestamp: number, payloadLength: number): number {
  return 1 + varintLength(keyLength) + keyLength + varintLength(timestamp) + payloadLength + CRC_SIZE;
}

export function frameLength(keyLength: number, timestamp: number, payloadLength: number): number {
  const body = frameBodyLength(keyLength, timestamp, payloadLength);
  return varintLength(body) + body;
}

/** Writes a whole frame at `offset`; returns its length in bytes. The caller checks room. */
export function writeFrame(
  buf: Uint8Array,
  offset: number,
  scope: number,
  key: Uint8Array,
  timestamp: number,
  payload: Uint8Array,
): number {
  const body = frameBodyLength(key.length, timestamp, payload.length);
  let pos = offset + writeVarint(buf, offset, body);
  const crcStart = pos;
  buf[pos++] = scope;
  pos += writeVarint(buf, pos, key.length);
  buf.set(key, pos);
  pos += key.length;
  pos += writeVarint(buf, pos, timestamp);
  buf.set(payload, pos);
  pos += payload.length;
  return sealFrame(buf, crcStart, pos) - offset;
}

/**
 * Appends the CRC-32 of buf[crcStart, end) (the frame body: scope through payload), little
 * endian, and returns the frame's new end.
 */
export function sealFrame(buf: Uint8Array, crcStart: number, end: number): number {
  const crc = crc32(buf, crcStart, end);
  buf[end] = crc & 0xff;
  buf[end + 1] = (crc >>> 8) & 0xff;
  buf[end + 2] = (crc >>> 16) & 0xff;
  buf[end + 3] = crc >>> 24;
  return end + CRC_SIZE;
}

export function encodeFrame(scope: number, key: string | Uint8Array, timestamp: number, payload: Uint8Array): Buffer {
  const keyBytes = typeof key === 'string' ? Buffer.from(key, 'utf8') : key;
  const buf = Buffer.alloc(frameLength(keyBytes.length, timestamp, payload.length));
  writeFrame(buf, 0, scope, keyBytes, timestamp, payload);
  return buf;
}
