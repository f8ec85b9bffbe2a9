import type { IndexState } from '../indexState';
import type { Completeness, VersionRow } from '../types';
import { DELETE } from '../versionLog';
import { checkCount, checkKey, checkOptionalTimestamp, checkScope, checkTimestamp, QueryError } from './errors';
import { completenessAt, completenessOver, versionRow } from './rows';

export interface AsOf extends Completeness {
  /** The version in force at T, or null when there is none or it is a tombstone. */
  version: VersionRow | null;
}

/** as-of: the version with the largest timestamp <= t (inclusive), unless it is a tombstone. */
export function getAt(state: IndexState, scope: number, key: string, t: number): AsOf {
  checkScope(scope);
  checkKey(key);
  checkTimestamp('at', t);
  const completeness = completenessAt(state, t);
  const id = state.keys.find(scope, key);
  if (id === undefined) return { version: null, ...completeness };
  const chains = state.ensureChains();
  const pos = chains.at(state.log, id, t);
  if (pos < 0 || state.log.flags[chains.versions[pos]] & DELETE) return { version: null, ...completeness };
  return { version: versionRow(state, id, pos), ...completeness };
}

/** The latest version, unless it is a tombstone. Always complete: the active journal says it. */
export function latest(state: IndexState, scope: number, key: string): AsOf {
  checkScope(scope);
  checkKey(key);
  const id = state.keys.find(scope, key);
  if (id === undefined) return { version: null, complete: true, incomplete: [] };
  const chains = state.ensureChains();
  const end = chains.end(id);
  if (end === chains.begin(id)) return { version: null, complete: true, incomplete: [] };
  const pos = end - 1;
  if (state.log.flags[chains.versions[pos]] & DELETE) return { version: null, complete: true, incomplete: [] };
  return { version: versionRow(state, id, pos), complete: true, incomplete: [] };
}

export interface HistoryQuery {
  from?: number | null;
  to?: number | null;
  order?: 'asc' | 'desc';
  /** Also list deletes, as versions whose value is null. */
  tombstones?: boolean;
  /** At most this many versions, the first ones in `order` (default: all). */
  limit?: number;
}

export interface History extends Completeness {
  versions: VersionRow[];
  /** Versions in the range, however many `limit` let through. */
  total: number;
}

/**
 * KIP-968 history: every version whose validity [validFrom, validTo) overlaps the closed range
 * [from, to]; tombstones only when asked.
 */
export function history(state: IndexState, scope: number, key: string, query: HistoryQuery = {}): History {
  checkScope(scope);
  checkKey(key);
  const from = checkOptionalTimestamp('from', query.from);
  const to = checkOptionalTimestamp('to', query.to);
  if (from !== null && to !== null && from > to) throw new QueryError(`from (${from}) is after to (${to})`);
  if (query.order !== undefined && query.order !== 'asc' && query.order !== 'desc') {
    throw new QueryError(`order must be "asc" or "desc", got ${String(query.order)}`);
  }
  const limit = checkCount('limit', query.limit ?? undefined, Number.MAX_SAFE_INTEGER, Number.MAX_SAFE_INTEGER);
  const completeness = completenessOver(state, from, to);
  const id = state.keys.find(scope, key);
  if (id === undefined) return { versions: [], total: 0, ...completeness };
  const chains = state.ensureChains();
  const { log } = state;
  // First candidate: the version in force at `from` (it overlaps if it is still valid then).
  let begin = chains.begin(id);
  if (from !== null) begin = Math.max(begin, chains.at(log, id, from));
  const end = to === null ? chains.end(id) : chains.after(log, id, to);
  // Only the first candidate can end before `from` (it is the one in force at `from`).
  if (begin < end && from !== null) {
    const validTo = versionRow(state, id, begin).validTo;
    if (validTo !== null && validTo <= from) begin++;
  }
  const desc = query.order === 'desc';
  const versions: VersionRow[] = [];
  let total = 0;
  for (let i = 0; i < end - begin; i++) {
    const pos = desc ? end - 1 - i : begin + i;
    if (!query.tombstones && log.flags[chains.versions[pos]] & DELETE) continue;
    // Rows are decoded only for the versions returned; the rest are counted.
    if (total++ < limit) versions.push(versionRow(state, id, pos));
  }
  return { versions, total, ...completeness };
}
