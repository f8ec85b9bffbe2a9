// Baseline: native zlib.crc32 throughput, the checksum every journal frame is verified with.
// Informational (no target); the engine's read throughput is bounded by it.
import { crc32 } from 'node:zlib';
import { bestOf, result, type Result } from '../types';

const SIZE = 64 * 1024 * 1024;

export async function run(): Promise<Result[]> {
  const buf = Buffer.alloc(SIZE);
  for (let i = 0; i < SIZE; i += 4096) buf[i] = i & 0xff;
  const ms = await bestOf(3, () => crc32(buf));
  return [result('zlib.crc32 over 64 MiB', Math.round((SIZE / 1024 / 1024 / (ms / 1000)) * 10) / 10, 'MiB/s')];
}
