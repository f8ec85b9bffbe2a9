import { problem, type Problem } from './problems';

/**
 * Two header variants exist: the design document's 17 bytes (u64 LE version = 1, u64 LE
 * position, u8 reserved) and current upstream's 9 bytes (u8 version = 1, u64 LE position).
 * `position` is the absolute offset where the next frame goes: the only end-of-data marker.
 */
export type HeaderVariant = 'v17' | 'v9';

export const HEADER_SIZE: Record<HeaderVariant, number> = { v17: 17, v9: 9 };
export const FORMAT_VERSION = 1;

export interface JournalHeader {
  variant: HeaderVariant;
  size: number;
  version: number;
  /** As stored; may exceed the file when the file was truncated (see `problems`). */
  position: number;
}

export function writeHeader(buf: Uint8Array, variant: HeaderVariant, position: number): void {
  const view = Buffer.from(buf.buffer, buf.byteOffset, buf.byteLength);
  if (variant === 'v17') {
    view.writeBigUInt64LE(BigInt(FORMAT_VERSION), 0);
    view.writeBigUInt64LE(BigInt(position), 8);
    view[16] = 0;
  } else {
    view[0] = FORMAT_VERSION;
    view.writeBigUInt64LE(BigInt(position), 1);
  }
}

/** Offset of the u64 position field, so a writer can update it in place. */
export function positionFieldOffset(variant: HeaderVariant): number {
  return variant === 'v17' ? 8 : 1;
}

export interface HeaderRead {
  header: JournalHeader | null;
  problems: Problem[];
}

/**
 * Reads and checks a header. The variant is unambiguous: a v17 header has the u64 at offset 0
 * equal to 1, which as a v9 header would need a position that is a multiple of 2^56.
 * A position past the end of the file is reported, and the header still returned, so the
 * frames the file does hold can be read.
 */
export function readHeader(buf: Uint8Array, file: string, forced?: HeaderVariant): HeaderRead {
  const view = Buffer.from(buf.buffer, buf.byteOffset, buf.byteLength);
  const length = view.length;
  if (length < HEADER_SIZE.v9) {
    return {
      header: null,
      problems: [problem(file, 0, 'truncated-header', `file is ${length} bytes, shorter than any journal header`)],
    };
  }
  const wide = length >= HEADER_SIZE.v17 ? view.readBigUInt64LE(0) : -1n;
  const variant: HeaderVariant | null = forced ?? (wide === 1n ? 'v17' : view[0] === FORMAT_VERSION ? 'v9' : null);
  if (variant === null) {
    const declared = wide >= 0n && wide < 0x100n ? wide : BigInt(view[0]);
    return {
      header: null,
      problems: [problem(file, 0, 'unknown-version', `format version ${declared} is not one this tool reads (expected 1)`)],
    };
  }
  const size = HEADER_SIZE[variant];
  if (length < size) {
    return {
      header: null,
      problems: [problem(file, 0, 'truncated-header', `file is ${length} bytes, shorter than the ${size}-byte header`)],
    };
  }
  const version = variant === 'v17' ? Number(wide) : view[0];
  if (version !== FORMAT_VERSION) {
    return {
      header: null,
      problems: [problem(file, 0, 'unknown-version', `format version ${version} is not one this tool reads (expected 1)`)],
    };
  }
  const rawPosition = view.readBigUInt64LE(positionFieldOffset(variant));
  const position = rawPosition > BigInt(Number.MAX_SAFE_INTEGER) ? Number.MAX_SAFE_INTEGER : Number(rawPosition);
  const header: JournalHeader = { variant, size, version, position };
  const problems: Problem[] = [];
  if (rawPosition < BigInt(size)) {
    problems.push(
      problem(file, positionFieldOffset(variant), 'position-out-of-range', `position ${rawPosition} is inside the ${size}-byte header`),
    );
  } else if (rawPosition > BigInt(length)) {
    problems.push(
      problem(
        file,
        positionFieldOffset(variant),
        'position-out-of-range',
        `position ${rawPosition} is past the end of the file (${length} bytes): the file was truncated`,
      ),
    );
  }
  return { header, problems };
}
