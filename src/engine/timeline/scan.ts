import { isDeletePayload as isDeletePayloadImported } from '../format/payloadKind';
import { JournalReader, type JournalReadOptions, type SkippedRange } from '../format/reader';
import type { JournalHeader } from '../format/header';
import type { PayloadLayout } from '../format/payload';
import type { Problem } from '../format/problems';

// Called for every frame: a module-local binding, not a getter call per use when run from source.
const isDeletePayload = isDeletePayloadImported;

/**
 * A journal read into plain typed arrays: every good frame's fields, no key looked up and no
 * value decoded. This is the part of indexing that needs no index state, so it can run on
 * another thread (scanWorker.ts) while the index takes in the previous generation.
 */
export interface ScannedJournal {
  bytes: Buffer;
  header: JournalHeader | null;
  payloadLayout: PayloadLayout;
  /** The layout was decided from frames (not overridden, not a default). */
  layoutDetected: boolean;
  problems: Problem[];
  /** Reading stopped at a bad frame. */
  stopped: boolean;
  skipped: SkippedRange[];
  /** Offset just past the last good frame. */
  goodEnd: number;
  frames: FrameList;
  /**
   * Set when only the bytes from frame `from` on were kept (a scan worker trims what it sends
   * back): `bytes` then starts at file offset `base`, and keyStart, payloadStart and payloadEnd
   * of frames from `from` on are relative to it (frameStart stays a file offset). The frames
   * before `from` have crc, del, ts and frameStart only.
   */
  lean?: { from: number; base: number; byteLength: number };
}

export interface FrameList {
  n: number;
  /** Key id, or -1 until interned (restated frames of a verified prefix never need it). */
  key: Int32Array;
  scope: Uint8Array;
  keyStart: Uint32Array;
  keyLength: Uint32Array;
  ts: Float64Array;
  frameStart: Uint32Array;
  payloadStart: Uint32Array;
  payloadEnd: Uint32Array;
  crc: Uint32Array;
  del: Uint8Array;
  /** Index of the first frame read after bytes skipped by salvage (n when none were). */
  firstAfterSkip: number;
}

export function scanJournal(bytes: Buffer, options: JournalReadOptions): ScannedJournal {
  const reader = new JournalReader(bytes, options);
  const frames = collectFrames(reader);
  return {
    bytes: reader.buffer,
    header: reader.header,
    payloadLayout: reader.payloadLayout,
    layoutDetected: reader.payloadLayoutDetected,
    problems: reader.problems,
    stopped: reader.stopped,
    skipped: reader.skipped,
    goodEnd: reader.goodEnd,
    frames,
  };
}

/** A guess at the average frame size, to size the arrays once instead of doubling them. */
const TYPICAL_FRAME_BYTES = 48;

/**
 * Keeps only the bytes a generation's new writes can be in: from the first frame of the
 * longest run of non-decreasing timestamps at the end (new writes are in clock order, and no
 * older than what is restated before them, so they all lie in that run). For a big archive
 * that is a fraction of it: the rest restates the previous generation, which the index checks
 * from CRCs alone. Not for damaged journals: their reading needs every byte.
 */
export function trimToWrites(scanned: ScannedJournal): ScannedJournal {
  const { frames, bytes } = scanned;
  if (scanned.stopped || scanned.skipped.length > 0 || !scanned.header) return scanned;
  let from = frames.n;
  while (from > 0 && (from === frames.n || frames.ts[from - 1] <= frames.ts[from])) from--;
  if (from === 0) return scanned;
  const base = from < frames.n ? frames.frameStart[from] : scanned.goodEnd;
  // Memory of its own (transferable), not a view of the inflated journal.
  const kept = Buffer.allocUnsafeSlow(scanned.goodEnd - base);
  bytes.copy(kept, 0, base, scanned.goodEnd);
  for (let i = from; i < frames.n; i++) {
    frames.keyStart[i] -= base;
    frames.payloadStart[i] -= base;
    frames.payloadEnd[i] -= base;
  }
  return { ...scanned, bytes: kept, lean: { from, base, byteLength: bytes.length } };
}

function collectFrames(reader: JournalReader): FrameList {
  let cap = Math.max(1024, Math.ceil(reader.end / TYPICAL_FRAME_BYTES));
  let list: FrameList = allocFrames(cap);
  let n = 0;
  const buf = reader.buffer;
  while (reader.next()) {
    if (n === cap) {
      cap *= 2;
      list = reallocFrames(list, cap);
    }
    const crcAt = reader.payloadEnd;
    list.scope[n] = reader.scope;
    list.keyStart[n] = reader.keyStart;
    list.keyLength[n] = reader.keyLength;
    list.ts[n] = reader.timestamp;
    list.frameStart[n] = reader.frameStart;
    list.payloadStart[n] = reader.payloadStart;
    list.payloadEnd[n] = reader.payloadEnd;
    list.crc[n] = (buf[crcAt] | (buf[crcAt + 1] << 8) | (buf[crcAt + 2] << 16) | (buf[crcAt + 3] << 24)) >>> 0;
    list.del[n] = isDeletePayload(reader.payloadLayout, buf, reader.payloadStart, reader.payloadEnd) ? 1 : 0;
    if (reader.afterSkip && list.firstAfterSkip < 0) list.firstAfterSkip = n;
    n++;
  }
  list.key.fill(-1, 0, n);
  list.n = n;
  if (list.firstAfterSkip < 0) list.firstAfterSkip = n;
  return list;
}

function allocFrames(cap: number): FrameList {
  return {
    n: 0,
    key: new Int32Array(cap),
    scope: new Uint8Array(cap),
    keyStart: new Uint32Array(cap),
    keyLength: new Uint32Array(cap),
    ts: new Float64Array(cap),
    crc: new Uint32Array(cap),
    frameStart: new Uint32Array(cap),
    payloadStart: new Uint32Array(cap),
    payloadEnd: new Uint32Array(cap),
    del: new Uint8Array(cap),
    firstAfterSkip: -1,
  };
}

function reallocFrames(old: FrameList, cap: number): FrameList {
  const next = allocFrames(cap);
  next.key.set(old.key);
  next.scope.set(old.scope);
  next.keyStart.set(old.keyStart);
  next.keyLength.set(old.keyLength);
  next.ts.set(old.ts);
  next.crc.set(old.crc);
  next.frameStart.set(old.frameStart);
  next.payloadStart.set(old.payloadStart);
  next.payloadEnd.set(old.payloadEnd);
  next.del.set(old.del);
  next.firstAfterSkip = old.firstAfterSkip;
  return next;
}
