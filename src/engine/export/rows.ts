import type { IndexState } from '../timeline/indexState';
import { keyMatcher, type KeyFilter } from '../timeline/queries/keyFilter';
import { decodePayload } from '../format/payload';
import type { VersionRow } from '../timeline/types';
import { DELETE } from '../timeline/versionLog';

/**
 * Row sources for exports: they walk the index's typed arrays directly, in key order (scope,
 * then key), and hand out rows in batches, so an export holds one batch of decoded rows at a
 * time however big the store. A source is a snapshot: it keeps the key chains as they were when
 * it was made (a refresh of the index rebuilds them as new arrays and only appends versions;
 * a full rebuild replaces the state object), so what it walks stays consistent.
 */
export interface RowSource {
  /** Rows this source will produce. */
  readonly total: number;
  /** Distinct keys among them. */
  readonly keys: number;
  /** Fills `out` (cleared first) with up to `max` rows; returns false when nothing is left. */
  next(max: number, out: VersionRow[]): boolean;
}

/** The row of the version at chain position `pos` of a key whose chain ends at `end`. */
function rowAt(state: IndexState, keyId: number, versions: Uint32Array, pos: number, end: number): VersionRow {
  const { log, keys } = state;
  const v = versions[pos];
  const row: VersionRow = {
    scope: keys.scopeOf(keyId),
    key: keys.keyOf(keyId),
    value: null,
    validFrom: log.ts[v],
    validTo: pos + 1 < end ? log.ts[versions[pos + 1]] : null,
  };
  if (!(log.flags[v] & DELETE)) {
    const decoded = decodePayload(state.generations[log.generation[v]]?.layout.payloadLayout ?? 'state-value', log.payload(v));
    if (decoded.ok) row.value = decoded.value;
    else row.valueError = decoded.error;
  }
  return row;
}

/** Key ids passing the filter, in sorted order. */
function filteredIds(state: IndexState, filter: KeyFilter): Uint32Array {
  const sorted = state.keys.sortedIds();
  if (filter.scope === undefined && !filter.keyPrefix && !filter.keySubstring) return sorted;
  const ids = new Uint32Array(sorted.length);
  let n = 0;
  const matches = keyMatcher(state.keys, filter);
  for (let r = 0; r < sorted.length; r++) if (matches(sorted[r])) ids[n++] = sorted[r];
  return ids.subarray(0, n);
}

/** The state at t: each key's version in force at t, when it is a value. */
export function stateRows(state: IndexState, t: number, filter: KeyFilter = {}): RowSource {
  const chains = state.ensureChains();
  const { start, versions } = chains;
  const { log } = state;
  const ids = filteredIds(state, filter);
  // Chain positions of the live keys, found in one pass (no rows made yet).
  const positions = new Int32Array(ids.length);
  const liveIds = new Uint32Array(ids.length);
  let n = 0;
  for (let r = 0; r < ids.length; r++) {
    const id = ids[r];
    const pos = chains.at(log, id, t);
    if (pos < 0 || log.flags[versions[pos]] & DELETE) continue;
    positions[n] = pos;
    liveIds[n++] = id;
  }
  let cursor = 0;
  return {
    total: n,
    keys: n,
    next(max, out) {
      out.length = 0;
      while (cursor < n && out.length < max) {
        const id = liveIds[cursor];
        out.push(rowAt(state, id, versions, positions[cursor], start[id + 1]));
        cursor++;
      }
      return out.length > 0;
    },
  };
}

/**
 * Every version of every key (superseded same-timestamp writes excluded, as they never answer
 * a read), tombstones as rows with a null value, in key order then validFrom.
 */
export function historyRows(state: IndexState, filter: KeyFilter = {}): RowSource {
  const { start, versions } = state.ensureChains();
  const ids = filteredIds(state, filter);
  let total = 0;
  let keys = 0;
  for (let r = 0; r < ids.length; r++) {
    const length = start[ids[r] + 1] - start[ids[r]];
    total += length;
    if (length) keys++;
  }
  let r = 0;
  let pos = ids.length ? start[ids[0]] : 0;
  return {
    total,
    keys,
    next(max, out) {
      out.length = 0;
      while (r < ids.length && out.length < max) {
        const id = ids[r];
        const end = start[id + 1];
        if (pos >= end) {
          r++;
          if (r < ids.length) pos = start[ids[r]];
          continue;
        }
        out.push(rowAt(state, id, versions, pos++, end));
      }
      return out.length > 0;
    },
  };
}
