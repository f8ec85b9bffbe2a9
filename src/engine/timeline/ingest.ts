import { JournalReader } from '../format/reader';
import { scanJournal, type FrameList, type ScannedJournal } from './scan';
import { isDeletePayload } from '../format/payloadKind';
import { decodePayload } from '../format/payload';
import { problem } from '../format/problems';
import { valuesEqual } from '../format/value';
import { HEADER_SIZE, type HeaderVariant } from '../format/header';
import type { PayloadLayout } from '../format/payload';
import type { GenerationSource } from './generations';
import type { IndexState } from './indexState';
import type { GenerationInfo, IncompleteReason } from './types';
import { DELETE, RESTATED, SYNTHETIC } from './versionLog';
import { testBit } from './liveSets';
import { sumCrcs } from './liveHash';

/** Where the index stands in one generation, so a follower can resume it. */
export interface GenerationCursor {
  info: GenerationInfo;
  source: GenerationSource;
  indexedEnd: number;
  /** A bad frame ended this generation: nothing after it is read. */
  damaged: boolean;
  /** Timestamp of the last good frame (for the incomplete range a damage opens). */
  lastGoodTs: number | null;
  headerVariant?: HeaderVariant;
  payloadLayout: PayloadLayout;
  /** The layout was read from frames or given; false while no frame has told (empty journal). */
  layoutSettled: boolean;
}

export interface IngestOptions {
  headerVariant?: HeaderVariant;
  payloadLayout?: PayloadLayout;
  /** Read past bad frames (see JournalReadOptions.salvage). */
  salvage?: boolean;
}

/** `needs-full`: the scan was lean (see ScannedJournal.lean) and this generation needs every byte. */
export type IngestResult = { status: 'indexed'; cursor: GenerationCursor } | { status: 'pending' } | { status: 'needs-full' };


/**
 * Adds one generation to the index. Each generation after the first begins with the compacted
 * live state of the one before (restated versions, original timestamps, hash-map order); those
 * frames are not new writes. When the previous generation is adjacent and was read whole, its
 * final live state is exactly what the prefix must restate, so the prefix is matched frame by
 * frame. Otherwise (the first generation we have, or after a gap or a damaged file) the prefix
 * is estimated, its versions are kept as first knowledge, keys it proves deleted get a
 * synthetic tombstone, and the unknown stretch is recorded as an incomplete range.
 */
export function ingestGeneration(
  state: IndexState,
  source: GenerationSource,
  scanned: ScannedJournal,
  compressedSize: number | null,
  previous: GenerationCursor | null,
  options: IngestOptions,
): IngestResult {
  const file = source.file.path;
  const bytes = scanned.bytes;
  // A journal whose frames do not tell its payload layout (none yet, say) takes the previous
  // generation's: a store keeps one layout.
  let reader = scanned;
  // A lean scan holds the bytes of frames [lean.from, n) only: fine when every frame before
  // them is a verified restatement, which is what the bytes are never read for.
  const leanFrom = scanned.lean?.from ?? 0;
  const layoutSettled = options.payloadLayout !== undefined || reader.layoutDetected;
  if (!layoutSettled && previous && previous.payloadLayout !== reader.payloadLayout) {
    if (scanned.lean) return { status: 'needs-full' };
    reader = scanJournal(bytes, { file, headerVariant: options.headerVariant, payloadLayout: previous.payloadLayout, salvage: options.salvage });
  }
  // The writer creates a generation with its header written last, so a newer journal whose
  // header is not there yet (an empty file, zeros) is a rotation in progress, not damage: the
  // writer's own recovery judges it the same way (storeOpen: never became active). Wait for it.
  if (reader.header === null && source.active && previous !== null && previous.source.generation === source.generation - 1 && headerNotWritten(bytes)) {
    return { status: 'pending' };
  }
  const frames = reader.frames;
  const n = frames.n;
  // Adjacent when the numbers say so and are certain (see GenerationSource.anchored): a
  // matching prefix alone cannot prove it, since a missing generation may only have added keys.
  const adjacent =
    previous !== null &&
    previous.source.anchored &&
    source.anchored &&
    previous.source.generation === source.generation - 1;
  const trusted = previous !== null && adjacent && !previous.damaged;

  let boundary: number;
  let verified = false;
  const hashVerified = trusted && prefixHashMatches(state, frames, state.live.liveCount);
  // Past this, a lean scan's frames are a verified restatement up to the boundary, and every
  // other path has all frames (frames.first = 0).
  if (hashVerified ? state.live.liveCount < leanFrom : leanFrom > 0) return { status: 'needs-full' };
  if (hashVerified) {
    boundary = state.live.liveCount;
    verified = true;
  } else if (trusted) {
    internRange(state, frames, bytes, 0, n);
    const expected = state.live.liveCount;
    const matched = matchRestatedPrefix(state, frames, bytes, expected, previous.payloadLayout, reader.payloadLayout);
    if (matched === expected) {
      boundary = expected;
      verified = true;
    } else if (matched === n && !reader.stopped && source.active) {
      // The writer is still copying the live state into this new generation: wait for it.
      return { status: 'pending' };
    } else {
      state.problems.push(
        problem(file, frames.n > matched ? frames.frameStart[matched] : -1, 'prefix-mismatch',
          `the start of generation ${source.generation} does not restate the live state at the end of generation ${previous.source.generation} (${matched} of ${expected} versions match): history between them is incomplete`,
          'warning'),
      );
      boundary = estimatedBoundary(frames);
    }
  } else if (previous === null && isGenerationZero(source)) {
    boundary = 0; // generation 0 starts empty: every frame is a write
  } else {
    internRange(state, frames, bytes, 0, n);
    boundary = estimatedBoundary(frames);
  }
  internRange(state, frames, bytes, boundary, n);

  const generation = state.generations.length;
  // An earlier stretch whose end was unknown ends where this generation's writes certainly begin.
  closeOpenRanges(state, verified ? (previous?.info.lastWrite ?? previous?.lastGoodTs ?? null) : knownFromBound(frames));
  if (!verified) {
    // A generation cut short inside what may be its prefix does not show the whole restated
    // state: it proves no deletion, and says nothing about when knowledge resumes.
    const cut = reader.skipped.length > 0 ? frames.firstAfterSkip : reader.stopped ? n : Infinity;
    const prefixWhole = boundary < cut;
    const knownFrom = prefixWhole ? knownFromBound(frames) : null;
    if (previous === null) {
      const fromStart = boundary === 0 && isGenerationZero(source);
      if (!fromStart) {
        pushRange(state, {
          from: null,
          to: knownFrom,
          reason: 'before-oldest-generation',
          detail: `history before ${source.file.relativePath} (generation ${source.generation}) is not available: its earlier generations are missing`,
        });
      }
    } else {
      // Inclusive: the clock is clamped, so a lost write may share the last timestamp read.
      const gapFrom = previous.damaged ? (previous.lastGoodTs ?? state.lastTimestamp()) : state.lastTimestamp();
      const [reason, detail] = gapCause(state, previous, source);
      pushRange(state, { from: Number.isFinite(gapFrom) ? gapFrom : null, to: knownFrom, reason, detail });
    }
    appendFirstKnowledge(state, frames, bytes, boundary, generation, file);
    if (previous !== null && prefixWhole) appendSyntheticTombstones(state, frames, boundary, knownFrom, generation);
  }

  const added = state.log.count;
  appendWrites(state, frames, bytes, boundary, generation, file);
  const firstWrite = state.log.count > added ? state.log.ts[added] : null;
  const lastWrite = state.log.count > added ? state.log.ts[state.log.count - 1] : null;

  const previousLast = previous ? previous.info.lastWrite ?? previous.info.rotatedAt : null;
  const info: GenerationInfo = {
    generation: source.generation,
    inferred: source.inferred,
    file,
    relativePath: source.file.relativePath,
    kind: source.file.kind,
    active: source.active,
    layout: {
      headerVariant: reader.header?.variant ?? null,
      payloadLayout: reader.payloadLayout,
      inSnapshots: source.file.inSnapshots,
    },
    compressedSize,
    rawSize: scanned.lean?.byteLength ?? bytes.length,
    position: reader.header?.position ?? null,
    frames: n,
    restated: boundary,
    writes: n - boundary,
    firstWrite,
    lastWrite,
    rotatedAt: verified ? previousLast : null,
    gapBefore: previous !== null && !verified,
    prefixVerified: verified,
    problems: reader.problems,
  };
  state.generations.push(info);
  state.problems.push(...reader.problems);
  // Damage (or bytes skipped by salvage) loses whatever stood there: knowledge of the state
  // ends at the last frame before it.
  const damaged = reader.stopped || reader.skipped.length > 0;
  const goodCount = reader.skipped.length > 0 ? frames.firstAfterSkip : n;
  const lastGoodTs = goodCount > 0 ? maxTimestamp(frames, goodCount) : null;
  return {
    status: 'indexed',
    cursor: {
      info,
      source,
      indexedEnd: reader.goodEnd,
      damaged,
      lastGoodTs,
      headerVariant: reader.header?.variant,
      payloadLayout: reader.payloadLayout,
      layoutSettled: layoutSettled || previous?.layoutSettled === true,
    },
  };
}

/**
 * Reads the frames a follower has not seen yet (a growing active journal). Every one of them
 * is a new write: the prefix was handled when the generation was first indexed.
 */
export function extendGeneration(state: IndexState, cursor: GenerationCursor, bytes: Buffer): number {
  if (cursor.damaged) return 0;
  const file = cursor.source.file.path;
  if (!cursor.layoutSettled) settleLayout(cursor, bytes);
  const reader = new JournalReader(bytes, { file, headerVariant: cursor.headerVariant, payloadLayout: cursor.payloadLayout });
  if (!reader.header) return 0;
  reader.seek(cursor.indexedEnd);
  const generation = state.generations.indexOf(cursor.info);
  let added = 0;
  while (reader.next()) {
    const key = state.internKeyBytes(reader.scope, reader.buffer, reader.keyStart, reader.keyLength);
    const del = isDeletePayload(reader.payloadLayout, reader.buffer, reader.payloadStart, reader.payloadEnd);
    const ts = orderedTimestamp(state, reader.timestamp, file, reader.frameStart);
    const crcAt = reader.payloadEnd;
    const b = reader.buffer;
    const crc = (b[crcAt] | (b[crcAt + 1] << 8) | (b[crcAt + 2] << 16) | (b[crcAt + 3] << 24)) >>> 0;
    state.append(key, ts, del ? DELETE : 0, generation, reader.frameStart, reader.buffer, reader.payloadStart, reader.payloadEnd, crc);
    cursor.info.firstWrite ??= ts;
    cursor.info.lastWrite = ts;
    cursor.info.writes++;
    cursor.info.frames++;
    cursor.lastGoodTs = ts;
    added++;
  }
  cursor.indexedEnd = reader.goodEnd;
  cursor.info.rawSize = bytes.length;
  cursor.info.position = reader.header.position;
  const fresh = reader.problems.filter((p) => p.reason !== 'unknown-scope');
  if (reader.stopped) {
    cursor.damaged = true;
    cursor.info.problems.push(...fresh);
    state.problems.push(...fresh);
  }
  return added;
}

/**
 * A journal indexed while it had no frame telling its payload layout decides it once frames
 * arrive. Versions already taken from it decode through the generation's layout, so they follow.
 */
function settleLayout(cursor: GenerationCursor, bytes: Buffer): void {
  const probe = new JournalReader(bytes, { file: cursor.source.file.path, headerVariant: cursor.headerVariant });
  if (!probe.payloadLayoutDetected) return;
  cursor.payloadLayout = probe.payloadLayout;
  cursor.info.layout.payloadLayout = probe.payloadLayout;
  cursor.layoutSettled = true;
}

/**
 * Appends frames [from, n) as new writes. A function of its own, like internRange, so that
 * the optimizing compiler takes the hot loop alone instead of all of ingestGeneration with it
 * (several times an open, for a function that runs once per generation).
 */
function appendWrites(state: IndexState, frames: FrameList, bytes: Buffer, from: number, generation: number, file: string): void {
  for (let i = from - frames.first; i < frames.n - frames.first; i++) {
    const ts = orderedTimestamp(state, frames.ts[i], file, frames.frameStart[i]);
    state.append(frames.key[i], ts, frames.del[i] ? DELETE : 0, generation, frames.frameStart[i], bytes, frames.payloadStart[i], frames.payloadEnd[i], frames.crc[i]);
  }
}

/** Interns the keys of frames [from, to) (frame numbers; from is at least frames.first). */
function internRange(state: IndexState, frames: FrameList, bytes: Buffer, from: number, to: number): void {
  // The first keys arrive before the code is warm: make room for them at once (see reserve).
  if (state.keys.size === 0) state.keys.reserve(to - from);
  for (let i = from - frames.first; i < to - frames.first; i++) {
    if (frames.key[i] < 0) frames.key[i] = state.internKeyBytes(frames.scope[i], bytes, frames.keyStart[i], frames.keyLength[i]);
  }
}

/**
 * Whether the first `count` frames are exactly the live state's frames, as a multiset: writers
 * restate a version with the same bytes (scope, key, timestamp, payload), hence the same CRC,
 * so comparing a multiset hash of CRCs verifies a prefix without looking up a single key. A
 * mismatch (another encoder, a gap) falls back to matching frame by frame.
 */
function prefixHashMatches(state: IndexState, frames: FrameList, count: number): boolean {
  const { first, before } = frames;
  if (count > frames.n || count < first || before?.anyDelete) return false;
  for (let i = 0; i < count - first; i++) if (frames.del[i]) return false;
  const sums = before ? { ...before.crcSums } : undefined;
  return state.liveHash.equals(sumCrcs(frames.crc, 0, count - first, sums));
}


/**
 * How many leading frames restate the known live state exactly (same key, timestamp and
 * value, each key once). Stops at the first frame that does not.
 */
function matchRestatedPrefix(
  state: IndexState,
  frames: FrameList,
  bytes: Buffer,
  expected: number,
  previousLayout: PayloadLayout,
  layout: PayloadLayout,
): number {
  const seen = state.scratchStamp();
  const stamp = seen.epoch;
  const limit = Math.min(expected, frames.n);
  for (let i = 0; i < limit; i++) {
    const key = frames.key[i];
    const v = state.latestVersion(key);
    if (v < 0 || seen.marks[key] === stamp || frames.del[i] || state.log.flags[v] & DELETE) return i;
    if (state.log.ts[v] !== frames.ts[i]) return i;
    if (!state.log.payloadEquals(v, bytes, frames.payloadStart[i], frames.payloadEnd[i])) {
      // Same value written differently (another encoder, or the other payload layout)?
      const a = decodePayload(previousLayout, state.log.payload(v));
      const b = decodePayload(layout, bytes.subarray(frames.payloadStart[i], frames.payloadEnd[i]));
      if (!a.ok || !b.ok || !valuesEqual(a.value, b.value)) return i;
    }
    seen.marks[key] = stamp;
  }
  return limit;
}

/**
 * The prefix length when it cannot be matched against a known previous generation. A prefix
 * holds values only, each key once, in hash-map order; the new writes after it are in
 * timestamp order and no older than anything restated. The longest split that fits is taken:
 * a new write taken for a restatement still yields the right versions (first knowledge), and
 * knowledge resumes no earlier than it should; the other way round would drop real versions.
 */
function estimatedBoundary(frames: FrameList): number {
  const { n, ts, key, del } = frames;
  if (n === 0) return 0;
  const seen = new Set<number>();
  let distinct = 0;
  while (distinct < n && !del[distinct] && !seen.has(key[distinct])) seen.add(key[distinct++]);
  let suffixStart = n - 1;
  while (suffixStart > 0 && ts[suffixStart - 1] <= ts[suffixStart]) suffixStart--;
  if (n === 1) suffixStart = distinct;
  let best = distinct;
  let max = -Infinity;
  for (let b = 0; b <= distinct; b++) {
    if (b >= suffixStart && (b === n || ts[b] >= max)) best = b;
    if (b < n) max = Math.max(max, ts[b]);
  }
  return best;
}

/**
 * From when state is surely complete again after an unknown stretch: the rotation that began
 * this generation happened no earlier than any restated version and no later than the first
 * new write. The true prefix has distinct keys, so it lies within the leading run of distinct
 * keys; the largest timestamp up to and including the frame that ends that run bounds the
 * rotation from above. null when every frame could still be a restatement (no frame is
 * certainly a new write): then the rotation time is not known at all.
 */
function knownFromBound(frames: FrameList): number | null {
  const { n, ts, key } = frames;
  const seen = new Set<number>();
  let max = -Infinity;
  for (let i = 0; i < n; i++) {
    if (ts[i] > max) max = ts[i];
    if (seen.has(key[i])) return max;
    seen.add(key[i]);
  }
  return null;
}

/** Prefix versions not already known become first knowledge (oldest first, to keep order). */
function appendFirstKnowledge(state: IndexState, frames: FrameList, bytes: Buffer, boundary: number, generation: number, file: string): void {
  const order = Array.from({ length: boundary }, (_, i) => i).sort((a, b) => frames.ts[a] - frames.ts[b] || a - b);
  for (const i of order) {
    const key = frames.key[i];
    const ts = frames.ts[i];
    const v = state.latestVersion(key);
    if (v >= 0 && state.log.ts[v] === ts && state.log.payloadEquals(v, bytes, frames.payloadStart[i], frames.payloadEnd[i])) continue;
    if (ts < state.lastTimestamp()) {
      state.problems.push(
        problem(file, frames.frameStart[i], 'timestamp-out-of-order',
          `restated version of "${state.keys.keyOf(key)}" at ${ts} is older than history already known; ignored`, 'warning'),
      );
      continue;
    }
    state.append(key, ts, RESTATED | (frames.del[i] ? DELETE : 0), generation, frames.frameStart[i], bytes, frames.payloadStart[i], frames.payloadEnd[i], frames.crc[i]);
  }
}

/** Keys live before a gap and absent from the state restated after it were deleted inside it. */
function appendSyntheticTombstones(state: IndexState, frames: FrameList, boundary: number, knownFrom: number | null, generation: number): void {
  // With no certain rotation time, end them at the latest restated version: after it the
  // range stays open (incomplete) until a later generation bounds it.
  const at = knownFrom ?? maxTimestamp(frames, boundary);
  const restated = new Set<number>();
  for (let i = 0; i < boundary; i++) restated.add(frames.key[i]);
  const bits = state.live.bits;
  const ended: number[] = [];
  for (let id = 0; id < state.keys.size; id++) if (testBit(bits, id) && !restated.has(id)) ended.push(id);
  const when = Math.max(at, state.lastTimestamp());
  for (const id of ended) state.append(id, when, DELETE | SYNTHETIC, generation, 0, bytes0, 0, 0, 0);
}

const bytes0 = Buffer.alloc(0);

function orderedTimestamp(state: IndexState, ts: number, file: string, offset: number): number {
  const last = state.lastTimestamp();
  if (ts >= last) return ts;
  state.problems.push(
    problem(file, offset, 'timestamp-out-of-order', `write at ${ts} is older than the write before it (${last}); ordered as ${last}`, 'warning'),
  );
  return last;
}

/** The latest timestamp of frames [0, count). */
function maxTimestamp(frames: FrameList, count: number): number {
  let max = frames.before?.maxTs ?? -Infinity;
  for (let i = 0; i < count - frames.first; i++) if (frames.ts[i] > max) max = frames.ts[i];
  return max;
}

/** Ranges recorded with an unknown end (`openEnded`) end at `at` once a later generation tells. */
function closeOpenRanges(state: IndexState, at: number | null): void {
  if (at === null) return;
  for (const range of state.incomplete) {
    if (range.to === null && state.openEnded.has(range)) {
      range.to = at;
      state.openEnded.delete(range);
    }
  }
}

function pushRange(state: IndexState, range: IndexState['incomplete'][number]): void {
  const covered = state.incomplete.some(
    (r) =>
      (r.from === null || (range.from !== null && r.from <= range.from)) &&
      (r.to === null ? !state.openEnded.has(r) : range.to !== null && r.to >= range.to),
  );
  if (covered && range.to !== null) return;
  state.incomplete.push(range);
  if (range.to === null) state.openEnded.add(range);
}

/** Zeros (or nothing) where every header variant has its version byte: the header was never written. */
function headerNotWritten(bytes: Buffer): boolean {
  const end = Math.min(bytes.length, HEADER_SIZE.v9);
  for (let i = 0; i < end; i++) if (bytes[i] !== 0) return false;
  return true;
}

function isGenerationZero(source: GenerationSource): boolean {
  return source.generation === 0 && source.anchored;
}

function gapCause(state: IndexState, previous: GenerationCursor, source: GenerationSource): [IncompleteReason, string] {
  const before = state.generations[state.generations.length - 1];
  if (before && before !== previous.info && before.frames === 0 && before.problems.length > 0) {
    return ['unreadable-file', `${before.relativePath} cannot be read (${before.problems[0].reason}): its generation is lost`];
  }
  if (previous.damaged) {
    return ['damaged-file', `${previous.source.file.relativePath} is damaged: writes after its last good frame are lost`];
  }
  if (!previous.source.anchored || !source.anchored) {
    return [
      'missing-generation',
      `generations may be missing before ${source.file.relativePath}: archives named without generation numbers, and fewer of them than generations`,
    ];
  }
  if (previous.source.generation !== source.generation - 1) {
    return ['missing-generation', `generations ${previous.source.generation + 1}..${source.generation - 1} are missing`];
  }
  return [
    'prefix-mismatch',
    `${source.file.relativePath} does not restate the live state at the end of ${previous.source.file.relativePath}`,
  ];
}

