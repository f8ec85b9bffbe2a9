import type { IndexState } from '../indexState';
import type { Completeness, VersionRow } from '../types';
import { DELETE } from '../versionLog';

/** The row of the version at chain position `pos` (value decoded now, validTo from the next version). */
export function versionRow(state: IndexState, keyId: number, pos: number): VersionRow {
  const { log, chains, keys } = state;
  const v = chains.versions[pos];
  const next = pos + 1 < chains.end(keyId) ? chains.versions[pos + 1] : -1;
  const row: VersionRow = {
    scope: keys.scopeOf(keyId),
    key: keys.keyOf(keyId),
    value: null,
    validFrom: log.ts[v],
    validTo: next >= 0 ? log.ts[next] : null,
  };
  if (!(log.flags[v] & DELETE)) {
    const decoded = state.decodeVersion(v);
    if (decoded.ok) row.value = decoded.value;
    else row.valueError = decoded.error;
  }
  return row;
}

/** Whether answers at t are fully known, with the ranges that make them not. */
export function completenessAt(state: IndexState, t: number): Completeness {
  const incomplete = state.incomplete.filter((r) => (r.from === null || t >= r.from) && (r.to === null || t < r.to));
  return { complete: incomplete.length === 0, incomplete };
}

/** Completeness of a whole range [from, to] (either bound open). */
export function completenessOver(state: IndexState, from: number | null, to: number | null): Completeness {
  const incomplete = state.incomplete.filter(
    (r) => (r.from === null || to === null || r.from <= to) && (r.to === null || from === null || r.to > from),
  );
  return { complete: incomplete.length === 0, incomplete };
}
