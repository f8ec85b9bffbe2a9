import { isUtf8 } from 'node:buffer';
import { crc32 as crc32Imported } from './crc32';
import { FrameRunCrc } from './frameRunCrc';
import { CRC_SIZE as CRC_SIZE_IMPORTED, MIN_FRAME_BODY as MIN_FRAME_BODY_IMPORTED } from './frame';
import { readHeader, type HeaderVariant, type JournalHeader } from './header';
import { decodePayload, payloadLayoutHint, type PayloadDecode, type PayloadLayout } from './payload';
import { problem, type Problem } from './problems';
import type { StateValue } from './value';
import { isKnownScope as isKnownScopeImported } from './scopes';
import { readVarint as readVarintImported, type VarintRead } from './varint';

// Module-local bindings for what every frame uses: run from source (tests, benchmarks), an
// imported binding is a getter call on each use, which cost a tenth of the scan.
const crc32 = crc32Imported;
const readVarint = readVarintImported;
const CRC_SIZE = CRC_SIZE_IMPORTED;
const MIN_FRAME_BODY = MIN_FRAME_BODY_IMPORTED;
const isKnownScope = isKnownScopeImported;

export interface JournalReadOptions {
  /** Name used in problems (a path, usually). */
  file: string;
  /** Override header detection. */
  headerVariant?: HeaderVariant;
  /** Override payload layout detection. */
  payloadLayout?: PayloadLayout;
  /**
   * After a bad frame, scan forward for the next frame with a valid CRC and go on, reporting
   * each skipped byte range ('skipped-bytes'). Opt-in: what follows a damage is read but the
   * stretch it covers stays unknown, and callers must say so.
   */
  salvage?: boolean;
}

/** Bytes skipped by salvage: [from, to) in the file, between the frames that bound them. */
export interface SkippedRange {
  from: number;
  to: number;
}

/**
 * Frames are CRC-checked a run of about this many bytes at a time (see FrameRunCrc); a run
 * that fails is read again frame by frame, to find the bad frame.
 */
const CRC_RUN_BYTES = 64 * 1024;

/** How many frames the payload layout is decided from. */
const LAYOUT_SAMPLE_FRAMES = 64;
const utf8 = new TextDecoder('utf-8');

/**
 * A cursor over the frames of one journal buffer (active journal or inflated archive), from
 * the header to `position`. It allocates nothing per frame: after `next()` returns true the
 * current frame's fields are on the cursor, and the key and value are decoded only on demand.
 *
 * It stops at the first bad frame, keeps everything before it (`goodEnd`), and records why in
 * `problems`; it never throws on bad bytes. Unknown scopes with a valid CRC come from a newer
 * writer: the frame is kept and a warning is recorded once per scope.
 */
export class JournalReader {
  readonly file: string;
  readonly buffer: Buffer;
  readonly header: JournalHeader | null;
  readonly payloadLayout: PayloadLayout;
  /** Whether the layout was decided from frames (false when overridden or no frame decided it). */
  readonly payloadLayoutDetected: boolean;
  readonly problems: Problem[] = [];
  /** End of the data region: min(position, file length). */
  readonly end: number;
  /** Offset just past the last good frame read so far. */
  goodEnd: number;
  /** Whether reading stopped at a bad frame. */
  stopped = false;
  /** Ranges skipped in salvage mode, in file order. */
  readonly skipped: SkippedRange[] = [];
  /** Set by next() when the frame it returns follows a skipped range. */
  afterSkip = false;
  private readonly salvage: boolean;

  // Current frame (valid after next() returned true).
  frameStart = 0;
  frameEnd = 0;
  scope = 0;
  keyStart = 0;
  keyLength = 0;
  timestamp = 0;
  payloadStart = 0;
  payloadEnd = 0;
  /** Whether the current key is plain ASCII (then latin1 slicing equals UTF-8 decoding). */
  keyIsAscii = true;

  private offset: number;
  private readonly varint: VarintRead = { value: 0, length: 0 };
  private readonly runCrc = new FrameRunCrc();
  /** Frames from `runStart` whose end is at most `runEnd` were checked together and are good. */
  private runStart = 0;
  private runEnd = 0;
  /** The run up to here failed: its frames are checked one by one. */
  private strictUntil = 0;
  private readonly warnedScopes = new Set<number>();

  constructor(buffer: Uint8Array, options: JournalReadOptions) {
    this.file = options.file;
    this.salvage = options.salvage === true;
    this.buffer = Buffer.isBuffer(buffer) ? buffer : Buffer.from(buffer.buffer, buffer.byteOffset, buffer.byteLength);
    const { header, problems } = readHeader(this.buffer, this.file, options.headerVariant);
    this.header = header;
    this.problems.push(...problems);
    if (header) {
      this.end = Math.min(Math.max(header.position, header.size), this.buffer.length);
      this.offset = header.size;
    } else {
      this.end = 0;
      this.offset = 0;
      this.stopped = true;
    }
    this.goodEnd = this.offset;
    if (options.payloadLayout) {
      this.payloadLayout = options.payloadLayout;
      this.payloadLayoutDetected = false;
    } else {
      const detected = this.header ? this.detectLayout() : null;
      this.payloadLayout = detected ?? 'state-value';
      this.payloadLayoutDetected = detected !== null;
    }
  }

  /** Advances to the next good frame; false at the end of data or at a bad frame. */
  next(): boolean {
    this.afterSkip = false;
    if (this.stopped || this.offset >= this.end) return false;
    if (this.parseUsualFrameAt(this.offset)) {
      this.offset = this.frameEnd;
      this.goodEnd = this.frameEnd;
      return true;
    }
    const error = this.parseFrameAt(this.offset);
    if (error) {
      this.problems.push(error);
      if (!this.salvage || !this.resync(this.offset)) {
        this.stopped = true;
        return false;
      }
    }
    if (!isKnownScope(this.scope) && !this.warnedScopes.has(this.scope)) {
      this.warnedScopes.add(this.scope);
      this.problems.push(
        problem(this.file, this.frameStart, 'unknown-scope', `scope ${this.scope} is not known; written by a newer writer? Kept as scope ${this.scope}`, 'warning'),
      );
    }
    this.offset = this.frameEnd;
    this.goodEnd = this.frameEnd;
    return true;
  }

  /**
   * Salvage: finds the next offset after `from` where a whole frame with a valid CRC starts and
   * leaves it parsed as the current frame. Trailing zeros (the preallocated tail) end the search.
   */
  private resync(from: number): boolean {
    for (let at = from + 1; at < this.end; at++) {
      if (this.buffer[at] === 0) continue; // a frame never starts with a zero length byte
      if (this.parseFrameAt(at, true) === null) {
        this.skipped.push({ from, to: at });
        this.problems.push(
          problem(this.file, from, 'skipped-bytes', `salvage skipped bytes ${from}..${at} (${at - from} bytes) to the next frame with a valid CRC`),
        );
        this.afterSkip = true;
        return true;
      }
    }
    this.skipped.push({ from, to: this.end });
    this.problems.push(problem(this.file, from, 'skipped-bytes', `salvage found no valid frame in bytes ${from}..${this.end}`));
    return false;
  }

  /**
   * Continues reading at `offset`, which must be the end of a frame read before (a follower
   * resumes where it stopped instead of re-checking every frame).
   */
  seek(offset: number): void {
    if (!this.header || offset < this.header.size) return;
    this.offset = offset;
    this.goodEnd = offset;
    this.runStart = this.runEnd = this.strictUntil = 0;
  }

  /**
   * Advances to the next good frame and decodes its payload: the value, null for a DELETE, or
   * undefined at the end of data or at a bad frame. A payload that is not valid protobuf is a
   * bad frame like any other (reason `bad-payload`): the reader stops and keeps what precedes it,
   * so every consumer agrees on where a journal's good prefix ends.
   */
  nextValue(): StateValue | null | undefined {
    if (!this.next()) return undefined;
    const decoded = this.decodeValue();
    if (decoded.ok) return decoded.value;
    this.problems.push(
      problem(this.file, this.frameStart, 'bad-payload', `payload is not a valid protobuf ${this.payloadLayout}: ${decoded.error}`),
    );
    this.stopped = true;
    this.goodEnd = this.frameStart;
    return undefined;
  }

  /** The current frame's key. */
  get key(): string {
    return this.keyIsAscii
      ? this.buffer.toString('latin1', this.keyStart, this.keyStart + this.keyLength)
      : utf8.decode(this.buffer.subarray(this.keyStart, this.keyStart + this.keyLength));
  }

  /** The current frame's value (null = DELETE); malformed protobuf comes back as an error. */
  decodeValue(): PayloadDecode {
    return decodePayload(this.payloadLayout, this.buffer.subarray(this.payloadStart, this.payloadEnd));
  }

  /** Whether the data region holds only zeros from `goodEnd` on (nothing left unread). */
  get complete(): boolean {
    return !this.stopped && this.offset >= this.end;
  }

  /**
   * Parses the frame at `at` into the cursor fields; returns the problem if it is bad.
   * The order of checks decides which reason a damaged frame gets: framing first (can the
   * frame be delimited at all?), then the CRC, then the fields the CRC protects. A frame in a
   * run checked by `checkRunFrom` needs no CRC of its own; `strict` (salvage probing offsets
   * that may not be frame starts) always checks it.
   */
  private parseFrameAt(at: number, strict = false): Problem | null {
    const buf = this.buffer;
    const end = this.end;
    const v = this.varint;
    if (buf[at] === 0) {
      return problem(this.file, at, 'zero-length', 'frame length is 0 (zero bytes before position: the data was zeroed or never written)');
    }
    readVarint(buf, at, end, v);
    if (v.length === -1) return problem(this.file, at, 'varint-too-long', 'frame length varint is longer than 10 bytes');
    if (v.length === 0) return this.pastEnd(at, at + 10, 'the frame length varint');
    const bodyLength = v.value;
    const bodyStart = at + v.length;
    const frameEnd = bodyStart + bodyLength;
    if (bodyLength < MIN_FRAME_BODY) {
      return problem(this.file, at, 'frame-too-short', `frame length ${bodyLength} is below the ${MIN_FRAME_BODY}-byte minimum`);
    }
    if (frameEnd > end) return this.pastEnd(at, frameEnd, `the declared frame length ${bodyLength}`);
    const crcStart = frameEnd - CRC_SIZE;
    if (strict || at < this.runStart || frameEnd > this.runEnd) {
      const inNewRun = !strict && at >= this.strictUntil && this.checkRunFrom(at) && frameEnd <= this.runEnd;
      if (!inNewRun) {
        const stored = (buf[crcStart] | (buf[crcStart + 1] << 8) | (buf[crcStart + 2] << 16) | (buf[crcStart + 3] << 24)) >>> 0;
        const actual = crc32(buf, bodyStart, crcStart);
        if (stored !== actual) {
          return problem(
            this.file,
            at,
            'crc-mismatch',
            `CRC-32 stored ${hex(stored)}, computed ${hex(actual)} over bytes ${bodyStart}..${crcStart}`,
          );
        }
      }
    }
    const scope = buf[bodyStart];
    readVarint(buf, bodyStart + 1, crcStart, v);
    if (v.length === -1) return problem(this.file, bodyStart + 1, 'varint-too-long', 'key length varint is longer than 10 bytes');
    if (v.length === 0) return problem(this.file, at, 'malformed-frame', 'key length runs past the frame');
    const keyStart = bodyStart + 1 + v.length;
    const keyLength = v.value;
    if (keyStart + keyLength > crcStart) {
      return problem(this.file, at, 'malformed-frame', `key length ${keyLength} runs past the frame`);
    }
    const ascii = isAscii(buf, keyStart, keyStart + keyLength);
    if (!ascii && !isUtf8(buf.subarray(keyStart, keyStart + keyLength))) {
      return problem(this.file, keyStart, 'bad-utf8-key', 'key is not valid UTF-8');
    }
    const tsStart = keyStart + keyLength;
    readVarint(buf, tsStart, crcStart, v);
    if (v.length === -1) return problem(this.file, tsStart, 'varint-too-long', 'timestamp varint is longer than 10 bytes');
    if (v.length === 0) return problem(this.file, at, 'malformed-frame', 'timestamp runs past the frame');
    if (v.value > Number.MAX_SAFE_INTEGER) {
      return problem(this.file, tsStart, 'timestamp-too-large', 'timestamp is beyond 2^53 µs (after the year 2255); not representable');
    }
    this.setFrame(at, frameEnd, scope, keyStart, keyLength, ascii, v.value, tsStart + v.length);
    return null;
  }

  /** The cursor's fields for a good frame (its payload runs to its CRC). */
  private setFrame(at: number, frameEnd: number, scope: number, keyStart: number, keyLength: number, ascii: boolean, timestamp: number, payloadStart: number): void {
    this.frameStart = at;
    this.frameEnd = frameEnd;
    this.scope = scope;
    this.keyStart = keyStart;
    this.keyLength = keyLength;
    this.keyIsAscii = ascii;
    this.timestamp = timestamp;
    this.payloadStart = payloadStart;
    this.payloadEnd = frameEnd - CRC_SIZE;
  }

  /**
   * The common frame, read with fewer checks and no calls: one-byte frame and key lengths, a
   * known scope, an ASCII key, a CRC already checked in a run. Returns false, having changed
   * nothing that matters, for anything else; parseFrameAt then reads the frame with every check
   * (and may well find it good). Millions of frames a second pass through here.
   */
  private parseUsualFrameAt(at: number): boolean {
    const buf = this.buffer;
    const bodyLength = buf[at];
    const frameEnd = at + 1 + bodyLength;
    if (bodyLength >= 0x80 || bodyLength < MIN_FRAME_BODY || frameEnd > this.runEnd || at < this.runStart) return false;
    const scope = buf[at + 1];
    const keyLength = buf[at + 2];
    const keyStart = at + 3;
    const crcStart = frameEnd - CRC_SIZE;
    if (keyLength >= 0x80 || !isKnownScope(scope) || keyStart + keyLength >= crcStart) return false;
    const tsStart = keyStart + keyLength;
    if (!isAscii(buf, keyStart, tsStart)) return false;
    // At most 8 bytes (2^56), as readVarint does it; exact up to 2^53, and larger is refused.
    let timestamp = 0;
    let multiplier = 1;
    let pos = tsStart;
    for (;;) {
      const byte = buf[pos++];
      timestamp += (byte & 0x7f) * multiplier;
      if (byte < 0x80) break;
      if (pos - tsStart === 8 || pos >= crcStart) return false;
      multiplier *= 128;
    }
    if (timestamp > Number.MAX_SAFE_INTEGER) return false;
    this.setFrame(at, frameEnd, scope, keyStart, keyLength, true, timestamp, pos);
    return true;
  }

  /**
   * Checks the CRCs of the frames from `at` on, about CRC_RUN_BYTES of them, in one pass: only
   * their lengths are read here (framing), the rest is parseFrameAt's. Frames that cannot be
   * delimited end the run. When it fails (false), each of its frames is checked alone.
   */
  private checkRunFrom(at: number): boolean {
    const buf = this.buffer;
    const end = this.end;
    const v = this.varint;
    const run = this.runCrc;
    run.reset();
    const limit = Math.min(end, at + CRC_RUN_BYTES);
    let pos = at;
    while (pos < limit && buf[pos] !== 0) {
      let bodyLength = buf[pos];
      let lengthBytes = 1;
      if (bodyLength >= 0x80) {
        readVarint(buf, pos, end, v);
        if (v.length <= 0) break;
        bodyLength = v.value;
        lengthBytes = v.length;
      }
      const frameEnd = pos + lengthBytes + bodyLength;
      if (bodyLength < MIN_FRAME_BODY || frameEnd > end) break;
      run.add(bodyLength, frameEnd - pos);
      pos = frameEnd;
    }
    if (pos > at && run.matches(buf, at, pos)) {
      this.runStart = at;
      this.runEnd = pos;
      return true;
    }
    this.runStart = this.runEnd = 0;
    this.strictUntil = pos;
    return false;
  }

  /** A frame that runs past the data: cut off by a truncated file, or a length past `position`. */
  private pastEnd(at: number, wanted: number, what: string): Problem {
    const fileEnd = this.buffer.length;
    const position = this.header?.position ?? fileEnd;
    if (position > fileEnd && wanted > fileEnd) {
      return problem(this.file, at, 'truncated-frame', `${what} needs bytes up to ${wanted}, but the file ends at ${fileEnd}`);
    }
    return problem(this.file, at, 'length-past-end', `${what} needs bytes up to ${wanted}, past the journal position ${this.end}`);
  }

  /** Decides the payload layout from the first frames; null when none of them tells. */
  private detectLayout(): PayloadLayout | null {
    const probe = new JournalReader(this.buffer, {
      file: this.file,
      headerVariant: this.header?.variant,
      payloadLayout: 'state-value',
    });
    let pairVotes = 0;
    for (let i = 0; i < LAYOUT_SAMPLE_FRAMES && probe.next(); i++) {
      const hint = payloadLayoutHint(probe.buffer, probe.payloadStart, probe.payloadEnd, probe.keyStart, probe.keyLength);
      if (hint === 'state-value') return 'state-value';
      if (hint === 'key-value-pair') pairVotes++;
    }
    return pairVotes > 0 ? 'key-value-pair' : null;
  }
}

/** Whether buf[start, end) holds no byte with its high bit set; four bytes to a test. */
function isAscii(buf: Uint8Array, start: number, end: number): boolean {
  let high = 0;
  let i = start;
  for (; i + 4 <= end; i += 4) high |= buf[i] | buf[i + 1] | buf[i + 2] | buf[i + 3];
  for (; i < end; i++) high |= buf[i];
  return high < 0x80;
}

function hex(n: number): string {
  return `0x${n.toString(16).padStart(8, '0')}`;
}

/** One frame, materialized (for tests, tools and small journals; the index uses the cursor). */
export interface FrameRecord {
  offset: number;
  length: number;
  scope: number;
  key: string;
  timestamp: number;
  payload: Buffer;
  /** null = DELETE */
  value: StateValue | null;
}

export interface JournalContents {
  header: JournalHeader | null;
  payloadLayout: PayloadLayout;
  frames: FrameRecord[];
  problems: Problem[];
  /** Offset just past the last good frame. */
  goodEnd: number;
}

/** Reads every good frame of a journal, decoding values; bad payloads become problems. */
export function readJournal(buffer: Uint8Array, options: JournalReadOptions): JournalContents {
  const reader = new JournalReader(buffer, options);
  const frames: FrameRecord[] = [];
  for (let value = reader.nextValue(); value !== undefined; value = reader.nextValue()) {
    frames.push({
      offset: reader.frameStart,
      length: reader.frameEnd - reader.frameStart,
      scope: reader.scope,
      key: reader.key,
      timestamp: reader.timestamp,
      payload: reader.buffer.subarray(reader.payloadStart, reader.payloadEnd),
      value,
    });
  }
  return { header: reader.header, payloadLayout: reader.payloadLayout, frames, problems: reader.problems, goodEnd: reader.goodEnd };
}
