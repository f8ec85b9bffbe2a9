import type { IndexState } from '../indexState';
import type { Completeness, VersionRow } from '../types';
import { DELETE } from '../versionLog';
import { checkCount, checkTimestamp } from './errors';
import { checkFilter, matches, type KeyFilter } from './keyFilter';
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

/**
 * What changed between T1 and T2: only keys with a version in (T1, T2] can differ, so only
 * those are looked at, in key order. Works in either direction (T1 > T2 swaps the roles).
 */
export function diff(state: IndexState, t1: number, t2: number, query: DiffQuery = {}): DiffResult {
  checkTimestamp('from', t1);
  checkTimestamp('to', t2);
  checkFilter(query);
  const offset = checkCount('offset', query.offset, 0, Number.MAX_SAFE_INTEGER);
  const limit = checkCount('limit', query.limit, 100, 10_000);
  const chains = state.ensureChains();
  const { log, keys } = state;
  const lo = Math.min(t1, t2);
  const hi = Math.max(t1, t2);
  // Keys with a version in (lo, hi], gathered by rank so the answer comes out in key order.
  const marks = state.scratchStamp();
  const ranks = keys.rankOf();
  const sorted = keys.sortedIds();
  // Per key: the chain position of its first and last version in the range; the version in
  // force at lo is the one before the first, at hi the last one.
  const first = state.scratchPositions(0);
  const last = state.scratchPositions(1);
  let picked = new Uint32Array(1024);
  let n = 0;
  for (let i = log.upperBound(lo); i < log.count && log.ts[i] <= hi; i++) {
    const id = log.key[i];
    last[id] = chains.position[i];
    if (marks.marks[id] === marks.epoch) continue;
    marks.marks[id] = marks.epoch;
    first[id] = chains.position[i];
    if (n === picked.length) {
      const next = new Uint32Array(n * 2);
      next.set(picked);
      picked = next;
    }
    picked[n++] = ranks[id];
  }
  const byRank = picked.subarray(0, n).sort();
  const filtered = filterActive(query);
  const ids: number[] = [];
  for (let j = 0; j < n; j++) {
    const id = sorted[byRank[j]];
    if (!filtered || matches(keys, id, query)) ids.push(id);
  }

  const counts: Record<DiffKind, number> = { added: 0, removed: 0, changed: 0, rewritten: 0 };
  const entries: DiffEntry[] = [];
  let index = 0;
  for (const id of ids) {
    // Position -1 (nothing before the first version) is begin - 1.
    const atLo = first[id] === chains.begin(id) ? -1 : first[id] - 1;
    const atHi = last[id];
    const p1 = t1 <= t2 ? atLo : atHi;
    const p2 = t1 <= t2 ? atHi : atLo;
    if (p1 === p2) continue;
    const live1 = p1 >= 0 && !(log.flags[chains.versions[p1]] & DELETE);
    const live2 = p2 >= 0 && !(log.flags[chains.versions[p2]] & DELETE);
    if (!live1 && !live2) continue;
    let kind: DiffKind;
    if (!live1) kind = 'added';
    else if (!live2) kind = 'removed';
    else kind = sameValue(state, chains.versions[p1], chains.versions[p2]) ? 'rewritten' : 'changed';
    if (kind === 'rewritten' && !query.includeRewritten) continue;
    counts[kind]++;
    if (index++ >= offset && entries.length < limit) {
      const before = live1 ? versionRow(state, id, p1) : null;
      const after = live2 ? versionRow(state, id, p2) : null;
      entries.push({ kind, scope: keys.scopeOf(id), key: keys.keyOf(id), before, after });
    }
  }
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

function filterActive(filter: KeyFilter): boolean {
  return filter.scope !== undefined || !!filter.keyPrefix || !!filter.keySubstring;
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
