export * from './timelineIndex';
export * from './types';
export { QueryError } from './queries/errors';
export type { StateQuery, StatePage, StateSort } from './queries/stateAt';
export type { AsOf, History, HistoryQuery } from './queries/versions';
export type { DiffEntry, DiffKind, DiffQuery, DiffResult } from './queries/diff';
export type { ChangesPage, ChangesQuery, HistogramBin, WriteEntry } from './queries/changes';
export type { KeyFilter } from './queries/keyFilter';
export { toJson } from './toJson';
