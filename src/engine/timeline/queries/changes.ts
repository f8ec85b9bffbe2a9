import type { IndexState } from '../indexState';
import { DELETE, RESTATED, SUPERSEDED, SYNTHETIC } from '../versionLog';
import type { StateValue } from '../../format/value';
import { checkCount, checkKey, checkOptionalTimestamp, checkScope, checkTimestamp, QueryError } from './errors';
import { completenessOver } from './rows';
import type { Completeness } from '../types';

export interface WriteEntry {
  scope: number;
  key: string;
  timestamp: number;
  /** null = DELETE. */
  value: StateValue | null;
  valueError?: string;
  /** A later write of the same key has the same timestamp: this one never answers a read. */
  superseded: boolean;
  generation: number;
  /** Frame offset in its generation's file (inflated bytes for an archive). */
  fileOffset: number;
}

export interface ChangesQuery {
  offset?: number;
  limit?: number;
}

export interface ChangesPage extends Completeness {
  total: number;
  offset: number;
  writes: WriteEntry[];
}

/** Restated and synthetic versions are knowledge, not writes: the write log leaves them out. */
const NOT_A_WRITE = RESTATED | SYNTHETIC;

/** The write log between from and to (inclusive), each write once, in journal order. */
export function changes(state: IndexState, from: number | null, to: number | null, query: ChangesQuery = {}): ChangesPage {
  const lo = checkOptionalTimestamp('from', from);
  const hi = checkOptionalTimestamp('to', to);
  if (lo !== null && hi !== null && lo > hi) throw new QueryError(`from (${lo}) is after to (${hi})`);
  const offset = checkCount('offset', query.offset, 0, Number.MAX_SAFE_INTEGER);
  const limit = checkCount('limit', query.limit, 100, 10_000);
  const { log, keys } = state;
  const start = lo === null ? 0 : log.lowerBound(lo);
  const end = hi === null ? log.count : log.upperBound(hi);
  const writes: WriteEntry[] = [];
  let total = 0;
  for (let i = start; i < end; i++) {
    if (log.flags[i] & NOT_A_WRITE) continue;
    if (total++ < offset || writes.length >= limit) continue;
    const generation = log.generation[i];
    const entry: WriteEntry = {
      scope: keys.scopeOf(log.key[i]),
      key: keys.keyOf(log.key[i]),
      timestamp: log.ts[i],
      value: null,
      superseded: (log.flags[i] & SUPERSEDED) !== 0,
      generation: state.generations[generation]?.generation ?? generation,
      fileOffset: log.fileOffset[i],
    };
    if (!(log.flags[i] & DELETE)) {
      const decoded = state.decodeVersion(i);
      if (decoded.ok) entry.value = decoded.value;
      else entry.valueError = decoded.error;
    }
    writes.push(entry);
  }
  return { total, offset, writes, ...completenessOver(state, lo, hi) };
}

export interface HistogramBin {
  from: number;
  /** Exclusive, except for the last bin, which includes `to`. */
  to: number;
  writes: number;
  deletes: number;
  /** Live keys at the end of the bin. */
  liveAtEnd: number;
}

/** Writes and deletes per time bin, and live keys at each bin's end. */
export function histogram(
  state: IndexState,
  liveCountAfter: (versions: number) => number,
  from: number,
  to: number,
  bins: number,
): HistogramBin[] {
  checkTimestamp('from', from);
  checkTimestamp('to', to);
  if (from > to) throw new QueryError(`from (${from}) is after to (${to})`);
  const n = checkCount('bins', bins, 100, 10_000);
  if (n < 1) throw new QueryError('bins must be at least 1');
  const { log } = state;
  const width = Math.max(1, (to - from + 1) / n);
  const out: HistogramBin[] = [];
  let i = log.lowerBound(from);
  for (let b = 0; b < n; b++) {
    const binFrom = from + Math.floor(b * width);
    const binTo = b === n - 1 ? to + 1 : from + Math.floor((b + 1) * width);
    let writes = 0;
    let deletes = 0;
    for (; i < log.count && log.ts[i] < binTo; i++) {
      const f = log.flags[i];
      if (f & NOT_A_WRITE) continue;
      if (f & DELETE) deletes++;
      else writes++;
    }
    out.push({ from: binFrom, to: b === n - 1 ? to : binTo, writes, deletes, liveAtEnd: liveCountAfter(i) });
  }
  return out;
}

/**
 * The next (or previous) timestamp after (before) t at which the state changes, for the whole
 * store or for one key; null when there is none.
 */
export function stepChange(
  state: IndexState,
  t: number,
  direction: 'next' | 'prev',
  target?: { scope: number; key: string },
): number | null {
  checkTimestamp('at', t);
  const { log } = state;
  if (target) {
    checkScope(target.scope);
    checkKey(target.key);
    const id = state.keys.find(target.scope, target.key);
    if (id === undefined) return null;
    const chains = state.ensureChains();
    if (direction === 'next') {
      const pos = chains.after(log, id, t);
      return pos < chains.end(id) ? log.ts[chains.versions[pos]] : null;
    }
    const pos = chains.at(log, id, t - 1);
    return pos >= 0 ? log.ts[chains.versions[pos]] : null;
  }
  if (direction === 'next') {
    const i = log.upperBound(t);
    return i < log.count ? log.ts[i] : null;
  }
  const i = log.lowerBound(t) - 1;
  return i >= 0 ? log.ts[i] : null;
}
