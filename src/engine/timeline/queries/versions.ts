import type { IndexState } from '../indexState';
import type { Completeness, VersionRow } from '../types';
import { DELETE } from '../versionLog';
import { checkKey, checkOptionalTimestamp, checkScope, checkTimestamp, QueryError } from './errors';
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
}

export interface History extends Completeness {
  versions: VersionRow[];
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
  const completeness = completenessOver(state, from, to);
  const id = state.keys.find(scope, key);
  if (id === undefined) return { versions: [], ...completeness };
  const chains = state.ensureChains();
  const { log } = state;
  // First candidate: the version in force at `from` (it overlaps if it is still valid then).
  let begin = chains.begin(id);
  if (from !== null) begin = Math.max(begin, chains.at(log, id, from));
  const end = to === null ? chains.end(id) : chains.after(log, id, to);
  const versions: VersionRow[] = [];
  for (let pos = begin; pos < end; pos++) {
    const v = chains.versions[pos];
    if (!query.tombstones && log.flags[v] & DELETE) continue;
    const row = versionRow(state, id, pos);
    if (from !== null && row.validTo !== null && row.validTo <= from) continue;
    versions.push(row);
  }
  if (query.order === 'desc') versions.reverse();
  return { versions, ...completeness };
}
