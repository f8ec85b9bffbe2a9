import type { IndexState } from '../indexState';
import type { Completeness, VersionRow } from '../types';
import { DELETE } from '../versionLog';
import { checkCount, checkTimestamp } from './errors';
import { checkFilter, type KeyFilter, type KeyFilterCache } from './keyFilter';
import { popcount32, testBit } from '../liveSets';
import { completenessAt, versionRow } from './rows';
import { valuesEqual } from '../../format/value';
import { decodePayload, type PayloadLayout } from '../../format/payload';
import { valueTag } from '../../format/payloadKind';

export type DiffKind = 'added' | 'removed' | 'changed' | 'rewritten';

export interface DiffEntry {
  kind: DiffKind;
  scope: number;
  key: string;
  /** The version at T1 (null when absent). */
  before: VersionRow | null;
  /** The version at T2 (null when absent). */
  after: VersionRow | null;
}

export interface DiffQuery extends KeyFilter {
  /** Also report keys rewritten with an identical value. */
  includeRewritten?: boolean;
  offset?: number;
  limit?: number;
}

export interface DiffResult {
  from: number;
  to: number;
  total: number;
  counts: Record<DiffKind, number>;
  entries: DiffEntry[];
  complete: boolean;
  incomplete: Completeness['incomplete'];
}

const NONE = 0xffffffff;
const KINDS: readonly DiffKind[] = ['added', 'removed', 'changed', 'rewritten'];
const [ADDED, REMOVED, CHANGED, REWRITTEN] = [0, 1, 2, 3];
const UNCHANGED = 4;

/**
 * What changed between T1 and T2: only keys with a version in (T1, T2] can differ, so only
 * those are looked at. Works in either direction (T1 > T2 swaps the roles).
 *
 * Bound by memory, not arithmetic: a 10% diff of a big store classifies tens of thousands of
 * keys, each a few cache misses. So keys are classified in log order, where the misses of one
 * key do not wait on another's, and only the page is put in key order, through a bitset of
 * ranks rather than a sort.
 */
export function diff(state: IndexState, filters: KeyFilterCache, t1: number, t2: number, query: DiffQuery = {}): DiffResult {
  checkTimestamp('from', t1);
  checkTimestamp('to', t2);
  checkFilter(query);
  const offset = checkCount('offset', query.offset, 0, Number.MAX_SAFE_INTEGER);
  const limit = checkCount('limit', query.limit, 100, 10_000);
  const chains = state.ensureChains();
  const { keys } = state;
  const touched = keysWithVersionsIn(state, Math.min(t1, t2), Math.max(t1, t2));
  const [at1, at2] = t1 <= t2 ? [touched.before, touched.after] : [touched.after, touched.before];

  const filterBits = filters.bits(keys, query);
  const ranks = keys.rankOf();
  const listed = new Uint32Array((keys.size >>> 5) + 1);
  const kindOf = new Uint8Array(keys.size);
  const counts: Record<DiffKind, number> = { added: 0, removed: 0, changed: 0, rewritten: 0 };
  for (let j = 0; j < touched.count; j++) {
    const id = touched.ids[j];
    if (filterBits && !testBit(filterBits, id)) continue;
    const kind = classify(state, at1[id], at2[id]);
    if (kind === UNCHANGED || (kind === REWRITTEN && !query.includeRewritten)) continue;
    counts[KINDS[kind]]++;
    kindOf[id] = kind;
    listed[ranks[id] >>> 5] |= 1 << (ranks[id] & 31);
  }

  const sorted = keys.sortedIds();
  const entries = pageOfBits(listed, offset, limit).map((rank): DiffEntry => {
    const id = sorted[rank];
    const row = (v: number) => (v === NONE || state.log.flags[v] & DELETE ? null : versionRow(state, id, chains.position[v]));
    return { kind: KINDS[kindOf[id]], scope: keys.scopeOf(id), key: keys.keyOf(id), before: row(at1[id]), after: row(at2[id]) };
  });
  const c1 = completenessAt(state, t1);
  const c2 = completenessAt(state, t2);
  const incomplete = [...new Set([...c1.incomplete, ...c2.incomplete])];
  return {
    from: t1,
    to: t2,
    total: counts.added + counts.removed + counts.changed + counts.rewritten,
    counts,
    entries,
    complete: incomplete.length === 0,
    incomplete,
  };
}

/**
 * The keys with a version in (lo, hi], in the order of their first one, with (by key id) the
 * version in force at lo (NONE before the key's first) and at hi, as log indices. The last
 * version of a key in the range is never superseded: what supersedes it is in the range too.
 */
function keysWithVersionsIn(state: IndexState, lo: number, hi: number) {
  const { log, chains } = state;
  const { marks, epoch } = state.scratchStamp();
  const before = state.scratchPositions(0);
  const after = state.scratchPositions(1);
  const { key } = log;
  const { position, versions, start } = chains;
  let ids = new Uint32Array(1024);
  let count = 0;
  for (let i = log.upperBound(lo), end = log.upperBound(hi); i < end; i++) {
    const id = key[i];
    after[id] = i;
    if (marks[id] === epoch) continue;
    marks[id] = epoch;
    const p = position[i];
    before[id] = p === start[id] ? NONE : versions[p - 1];
    if (count === ids.length) {
      const next = new Uint32Array(count * 2);
      next.set(ids);
      ids = next;
    }
    ids[count++] = id;
  }
  return { ids, count, before, after };
}

function classify(state: IndexState, v1: number, v2: number): number {
  const { flags } = state.log;
  const live1 = v1 !== NONE && !(flags[v1] & DELETE);
  const live2 = v2 !== NONE && !(flags[v2] & DELETE);
  if (!live1) return live2 ? ADDED : UNCHANGED;
  if (!live2) return REMOVED;
  return sameValue(state, v1, v2) ? REWRITTEN : CHANGED;
}

/** The set bits of `bits` from the `offset`-th on, at most `limit` of them, in order. */
function pageOfBits(bits: Uint32Array, offset: number, limit: number): number[] {
  const out: number[] = [];
  let skip = offset;
  for (let w = 0; w < bits.length && out.length < limit; w++) {
    let word = bits[w];
    if (!word) continue;
    const n = popcount32(word);
    if (skip >= n) {
      skip -= n;
      continue;
    }
    for (; word && out.length < limit; word &= word - 1) {
      if (skip > 0) skip--;
      else out.push(w * 32 + 31 - Math.clz32(word & -word));
    }
  }
  return out;
}

/** Equal payload bytes in one layout mean equal values; otherwise decode and compare. */
function sameValue(state: IndexState, a: number, b: number): boolean {
  const { log } = state;
  const layoutA = state.payloadLayoutOf(a);
  const layoutB = state.payloadLayoutOf(b);
  if (layoutA === layoutB) {
    if (log.payloadEquals(a, log.arena, log.payloadStart[b], log.payloadStart[b] + log.payloadLength[b])) return true;
    // Protobuf encodes scalars one way only, so different bytes are different values; a map's
    // entries may come in any order, so lists and maps are compared decoded.
    if (!isListOrMap(log, a, layoutA) && !isListOrMap(log, b, layoutB)) return false;
  }
  const va = decodePayload(layoutA, log.payload(a));
  const vb = decodePayload(layoutB, log.payload(b));
  return va.ok && vb.ok && valuesEqual(va.value, vb.value);
}

function isListOrMap(log: IndexState['log'], v: number, layout: PayloadLayout): boolean {
  const tag = valueTag(layout, log.arena, log.payloadStart[v], log.payloadStart[v] + log.payloadLength[v]);
  return tag === LIST_TAG || tag === MAP_TAG || tag === 0;
}

const LIST_TAG = 0x32;
const MAP_TAG = 0x3a;
