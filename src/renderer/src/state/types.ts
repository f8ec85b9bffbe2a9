import type { StoreApi } from 'zustand/vanilla';
import type { ApiClient } from '../api/types';
import type { CursorSlice } from './cursorSlice';
import type { DiffSlice } from './diffSlice';
import type { ExportSlice } from './exportSlice';
import type { GenerationsSlice } from './generationsSlice';
import type { IntegritySlice } from './integritySlice';
import type { KeySlice } from './keySlice';
import type { SessionSlice } from './sessionSlice';
import type { TableSlice } from './tableSlice';
import type { TimelineSlice } from './timelineSlice';
import type { UiSlice } from './uiSlice';

export type AppState = SessionSlice &
  CursorSlice &
  TimelineSlice &
  TableSlice &
  KeySlice &
  DiffSlice &
  GenerationsSlice &
  IntegritySlice &
  ExportSlice &
  UiSlice;

export interface Deps {
  client: ApiClient;
}

export type SetState = StoreApi<AppState>['setState'];
export type GetState = StoreApi<AppState>['getState'];
export type Slice<T> = (set: SetState, get: GetState, deps: Deps) => T;

/** A request's lifecycle as the UI shows it. */
export type Load<T> =
  | { status: 'idle' }
  | { status: 'loading'; previous?: T }
  | { status: 'ready'; data: T }
  | { status: 'error'; error: string };

/** Counts requests so that an answer to an older one is dropped (latest wins). */
export function sequencer() {
  let seq = 0;
  return {
    next: () => ++seq,
    isLatest: (n: number) => n === seq,
    cancel: () => void ++seq,
  };
}
