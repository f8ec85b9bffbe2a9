import type { IndexState } from '../indexState';
import { countAnd, testBit } from '../liveSets';
import type { Completeness, VersionRow } from '../types';
import { checkCount, checkTimestamp, QueryError } from './errors';
import { checkFilter, type KeyFilter, type KeyFilterCache } from './keyFilter';
import type { LiveViewBuilder } from './liveAt';
import { completenessAt, versionRow } from './rows';

export type StateSort = 'key' | 'validFrom';

export interface StateQuery extends KeyFilter {
  sort?: StateSort;
  order?: 'asc' | 'desc';
  offset?: number;
  limit?: number;
}

export interface StatePage extends Completeness {
  at: number;
  /** Live keys at `at` that pass the filter. */
  total: number;
  offset: number;
  rows: VersionRow[];
}

export const MAX_PAGE = 10_000;

/**
 * One page of the state at T: every (scope, key) whose as-of answer at T is a value, sorted
 * by scope then key (or by validFrom), with the total. The cost is one snapshot interval of
 * versions plus a walk over keys in order, independent of how long the history is.
 */
export function stateAt(
  state: IndexState,
  views: LiveViewBuilder,
  filters: KeyFilterCache,
  t: number,
  query: StateQuery = {},
): StatePage {
  checkTimestamp('at', t);
  checkFilter(query);
  const offset = checkCount('offset', query.offset, 0, Number.MAX_SAFE_INTEGER);
  const limit = checkCount('limit', query.limit, 100, MAX_PAGE);
  const sort = query.sort ?? 'key';
  if (sort !== 'key' && sort !== 'validFrom') throw new QueryError(`sort must be "key" or "validFrom", got ${String(sort)}`);
  const descending = query.order === 'desc';
  if (query.order !== undefined && query.order !== 'asc' && query.order !== 'desc') {
    throw new QueryError(`order must be "asc" or "desc", got ${String(query.order)}`);
  }

  const chains = state.ensureChains();
  const versions = state.log.upperBound(t);
  const view = views.build(state, versions);
  const filterBits = filters.bits(state.keys, query);
  let total = countAnd(view.base, filterBits);
  for (const flip of view.flips) {
    if (filterBits && !testBit(filterBits, flip.id)) continue;
    total += flip.live ? 1 : -1;
  }

  const ids: number[] = [];
  if (sort === 'key') {
    const sorted = state.keys.sortedIds();
    let skipped = 0;
    for (let r = 0; r < sorted.length && ids.length < limit; r++) {
      const id = sorted[descending ? sorted.length - 1 - r : r];
      if (filterBits && !testBit(filterBits, id)) continue;
      if (!view.isLive(id)) continue;
      if (skipped++ < offset) continue;
      ids.push(id);
    }
  } else {
    const live: { id: number; from: number; rank: number }[] = [];
    const ranks = state.keys.rankOf();
    for (let id = 0; id < state.keys.size; id++) {
      if ((filterBits && !testBit(filterBits, id)) || !view.isLive(id)) continue;
      live.push({ id, from: state.log.ts[chains.versions[chains.at(state.log, id, t)]], rank: ranks[id] });
    }
    live.sort((a, b) => (descending ? b.from - a.from : a.from - b.from) || a.rank - b.rank);
    for (const entry of live.slice(offset, offset + limit)) ids.push(entry.id);
  }
  const rows = ids.map((id) => versionRow(state, id, chains.at(state.log, id, t)));
  return { at: t, total, offset, rows, ...completenessAt(state, t) };
}
