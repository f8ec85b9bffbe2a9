import { isDeletePayload as isDeletePayloadImported } from '../format/payloadKind';
import { JournalReader, type JournalReadOptions, type SkippedRange } from '../format/reader';
import type { JournalHeader } from '../format/header';
import type { PayloadLayout } from '../format/payload';
import type { Problem } from '../format/problems';
import { sumCrcs, type CrcSums } from './liveHash';

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
   * Set when only the frames from `from` on were kept (see scanWrites): `frames` holds them
   * from array index 0 (`frames.first` = from, and `frames.before` sums up the others),
   * `bytes` starts at file offset `base`, and keyStart, payloadStart and payloadEnd are
   * relative to it (frameStart stays a file offset).
   */
  lean?: { from: number; base: number; byteLength: number };
}

/** What the index needs to know of the frames a lean scan did not keep. */
export interface FramesBefore {
  /** Multiset hash sums of their CRCs (see liveHash.ts). */
  crcSums: CrcSums;
  /** Whether any of them is a DELETE. */
  anyDelete: boolean;
  maxTs: number;
}

/**
 * The good frames of a journal as parallel arrays. Frame number i (counting every good frame
 * of the journal) is at array index i - first; frames before `first` are known only by `before`.
 */
export interface FrameList {
  /** Frames in the journal, kept or not. */
  n: number;
  first: number;
  before: FramesBefore | null;
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
 * Scans a journal keeping only the frames a generation's new writes can be in: those of the
 * longest run of non-decreasing timestamps at the end (new writes are in clock order, and no
 * older than what is restated before them, so they all lie in that run), and only those bytes.
 * For a big archive that is a fraction of it: the rest restates the previous generation, and
 * the index checks that from a hash of CRCs alone (`frames.before`). Frames are dropped as the
 * scan goes, whenever a timestamp goes back, so the arrays stay small. A journal that turns out
 * damaged is scanned again whole: its reading needs every frame.
 */
export function scanWrites(bytes: Buffer, options: JournalReadOptions): ScannedJournal {
  const reader = new JournalReader(bytes, options);
  const buf = reader.buffer;
  let list = allocFrames(1024);
  let held = 0;
  let first = 0;
  const before: FramesBefore = { crcSums: { a: 0, b: 0 }, anyDelete: false, maxTs: -Infinity };
  let lastTs = -Infinity;
  while (reader.next()) {
    const ts = reader.timestamp;
    if (ts < lastTs) {
      // The run ends: what it held can only be restated frames.
      sumCrcs(list.crc, 0, held, before.crcSums);
      for (let i = 0; i < held; i++) {
        if (list.del[i]) before.anyDelete = true;
        if (list.ts[i] > before.maxTs) before.maxTs = list.ts[i];
      }
      first += held;
      held = 0;
    }
    lastTs = ts;
    if (held === list.key.length) list = reallocFrames(list, held * 2);
    storeFrame(list, held++, reader, buf);
  }
  if (reader.stopped || reader.skipped.length > 0 || !reader.header) return scanJournal(bytes, options);
  list.n = first + held;
  list.firstAfterSkip = list.n;
  list.key.fill(-1, 0, held);
  const scanned: ScannedJournal = {
    bytes: reader.buffer,
    header: reader.header,
    payloadLayout: reader.payloadLayout,
    layoutDetected: reader.payloadLayoutDetected,
    problems: reader.problems,
    stopped: false,
    skipped: [],
    goodEnd: reader.goodEnd,
    frames: list,
  };
  if (first === 0) return scanned;
  const base = held > 0 ? list.frameStart[0] : reader.goodEnd;
  for (let i = 0; i < held; i++) {
    list.keyStart[i] -= base;
    list.payloadStart[i] -= base;
    list.payloadEnd[i] -= base;
  }
  list.first = first;
  list.before = before;
  // Memory of its own (transferable), not a view of the inflated journal.
  const kept = Buffer.allocUnsafeSlow(reader.goodEnd - base);
  buf.copy(kept, 0, base, reader.goodEnd);
  return { ...scanned, bytes: kept, lean: { from: first, base, byteLength: buf.length } };
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
    storeFrame(list, n, reader, buf);
    if (reader.afterSkip && list.firstAfterSkip < 0) list.firstAfterSkip = n;
    n++;
  }
  list.key.fill(-1, 0, n);
  list.n = n;
  if (list.firstAfterSkip < 0) list.firstAfterSkip = n;
  return list;
}

/** Stores the reader's current frame at array index i. */
function storeFrame(list: FrameList, i: number, reader: JournalReader, buf: Buffer): void {
  const crcAt = reader.payloadEnd;
  list.scope[i] = reader.scope;
  list.keyStart[i] = reader.keyStart;
  list.keyLength[i] = reader.keyLength;
  list.ts[i] = reader.timestamp;
  list.frameStart[i] = reader.frameStart;
  list.payloadStart[i] = reader.payloadStart;
  list.payloadEnd[i] = reader.payloadEnd;
  list.crc[i] = (buf[crcAt] | (buf[crcAt + 1] << 8) | (buf[crcAt + 2] << 16) | (buf[crcAt + 3] << 24)) >>> 0;
  list.del[i] = isDeletePayload(reader.payloadLayout, buf, reader.payloadStart, reader.payloadEnd) ? 1 : 0;
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
    first: 0,
    before: null,
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
