import { decodePayload } from '../format/payload';
import { valuesEqual } from '../format/value';
import type { ScannedGeneration } from './scanGeneration';

/**
 * Each generation after the first starts with its compacted prefix: the live state at rotation,
 * one frame per live (scope, key), each with its ORIGINAL timestamp, in hash-map order (so
 * unsorted). These frames restate versions; they are not new writes. The prefix length is
 * stored nowhere, so it is found by one of two rules.
 *
 * Rule 1 (`matchRestatement`), when the previous generation was read whole: the prefix must
 * restate exactly its final live state. The leading frames are matched against it, each entry
 * at most once, by (scope, key, timestamp, value). A write that crossed the rotation mark is in
 * the previous generation's final state, so it is restated too (it appears in both files).
 */
export type RestatementMatch =
  /** All `restated` entries of the previous final state were restated, in `restated` frames. */
  | { outcome: 'complete'; restated: number }
  /** Every frame matched, but the file ended before all entries were restated. */
  | { outcome: 'cut-short'; restated: number }
  /** Frame `restated` restates nothing of the previous state: a generation lies between. */
  | { outcome: 'mismatch'; restated: number };

export function matchRestatement(previous: ScannedGeneration, current: ScannedGeneration): RestatementMatch {
  const expected = previous.finalLive;
  const seen = new Set<number>();
  for (let i = 0; i < expected.size; i++) {
    if (i >= current.keyIds.length) return { outcome: 'cut-short', restated: i };
    const id = current.keyIds[i];
    const j = expected.get(id);
    if (j === undefined || seen.has(id) || !sameVersion(previous, j, current, i)) return { outcome: 'mismatch', restated: i };
    seen.add(id);
  }
  return { outcome: 'complete', restated: expected.size };
}

/** Same timestamp and value; bytes first (the writer re-encodes identically), values if not. */
function sameVersion(a: ScannedGeneration, i: number, b: ScannedGeneration, j: number): boolean {
  if (a.timestamps[i] !== b.timestamps[j] || a.tombstones[i] || b.tombstones[j]) return false;
  const x = a.bytes.subarray(a.payloadStarts[i], a.payloadEnds[i]);
  const y = b.bytes.subarray(b.payloadStarts[j], b.payloadEnds[j]);
  if (a.payloadLayout === b.payloadLayout && x.equals(y)) return true;
  const u = decodePayload(a.payloadLayout!, x);
  const v = decodePayload(b.payloadLayout!, y);
  return u.ok && v.ok && valuesEqual(u.value, v.value);
}

/**
 * Rule 2 (`estimateCompactedPrefix`), when the previous generation is missing, damaged or does
 * not connect. What the writer guarantees:
 *   (a) the prefix holds values only (a deleted key is not live), each (scope, key) once;
 *   (b) new writes follow it with non-decreasing timestamps, none older than any restated one
 *       (the clock is clamped, and a restated version was written before the rotation).
 * Every boundary p satisfying (a) and (b) is possible, and the true one is among them. The
 * LARGEST is taken: calling a new write "restated" only delays the point from which the state
 * is claimed complete, whereas the opposite error would claim knowledge we do not have. State
 * answers do not depend on the choice (a restated version equals the write it restates).
 * Returns the frame count when no boundary fits (not a writer's file): nothing is certain.
 */
export function estimateCompactedPrefix(gen: ScannedGeneration): number {
  const { keyIds, timestamps, tombstones } = gen;
  const n = keyIds.length;
  const seen = new Set<number>();
  let bound = 0;
  while (bound < n && !tombstones[bound] && !seen.has(keyIds[bound])) seen.add(keyIds[bound++]);
  // sortedFrom: the first index from which timestamps never decrease.
  let sortedFrom = n === 0 ? 0 : n - 1;
  while (sortedFrom > 0 && timestamps[sortedFrom - 1] <= timestamps[sortedFrom]) sortedFrom--;
  let prefixMax = -Infinity;
  const maxBefore: number[] = [];
  for (let i = 0; i < bound; i++) {
    maxBefore.push(prefixMax);
    prefixMax = Math.max(prefixMax, timestamps[i]);
  }
  maxBefore.push(prefixMax);
  for (let p = bound; p >= sortedFrom; p--) {
    if (p === n || timestamps[p] >= maxBefore[p]) return p;
  }
  return n;
}

/** The (scope, key) ids restated by the first `length` frames. */
export function prefixKeys(gen: ScannedGeneration, length: number): Set<number> {
  return new Set(gen.keyIds.slice(0, length));
}
