import { errorMessage } from '../api/errors';
import type { HistoryResult, VersionRow } from '../api/types';
import { sequencer, type Load, type Slice } from './types';

/**
 * Versions of one key loaded at most (the key detail lists and draws far fewer): the first
 * ones, or, when T lies past them, half before T and half after.
 */
export const HISTORY_LIMIT = 50_000;

export interface KeyRef {
  scope: number;
  key: string;
}

/** Versions of the selected key, tombstones included, oldest first: all of them or a window. */
export interface KeyHistory extends HistoryResult {
  /** Whether the versions loaded begin with the key's first, and end with its last. */
  fromStart: boolean;
  toEnd: boolean;
}

/** Whether the loaded versions tell the version at t (none loaded is before or after it). */
export function coversTime(history: KeyHistory, t: number): boolean {
  const { versions, fromStart, toEnd } = history;
  const first = versions[0];
  const last = versions.at(-1);
  const afterStart = fromStart || (first !== undefined && t >= first.validFrom);
  const beforeEnd = toEnd || (last !== undefined && last.validTo !== null && t < last.validTo);
  return afterStart && beforeEnd;
}

export interface KeySlice {
  selectedKey: KeyRef | null;
  keyHistory: Load<KeyHistory>;
  selectKey(ref: KeyRef): void;
  closeKey(): void;
  loadKeyHistory(): Promise<void>;
  /** Loads the versions around t instead (a key with more than HISTORY_LIMIT). */
  loadKeyWindow(t: number): Promise<void>;
  resetKey(): void;
}

export const keySlice: Slice<KeySlice> = (set, get, { client }) => {
  const seq = sequencer();

  /** Runs one load of the selected key's history; only the latest one lands. */
  const load = async (fetch: (ref: KeyRef, storeId: string) => Promise<KeyHistory>) => {
    const { summary, selectedKey, keyHistory } = get();
    if (!summary || !selectedKey) return;
    const n = seq.next();
    if (keyHistory.status === 'ready') set({ keyHistory: { status: 'loading', previous: keyHistory.data } });
    try {
      const data = await fetch(selectedKey, summary.storeId);
      if (seq.isLatest(n)) set({ keyHistory: { status: 'ready', data } });
    } catch (err) {
      if (seq.isLatest(n)) set({ keyHistory: { status: 'error', error: errorMessage(err) } });
    }
  };

  const history = (ref: KeyRef, storeId: string, range: { from?: number; to?: number; order: 'asc' | 'desc'; limit: number }) =>
    client.api.history({ storeId, scope: ref.scope, key: ref.key, tombstones: true, ...range });

  return {
    selectedKey: null,
    keyHistory: { status: 'idle' },

    selectKey(ref) {
      const cur = get().selectedKey;
      if (cur && cur.scope === ref.scope && cur.key === ref.key) return;
      set({ selectedKey: ref, keyHistory: { status: 'loading' } });
      void get().loadKeyHistory();
    },

    closeKey() {
      seq.cancel();
      set({ selectedKey: null, keyHistory: { status: 'idle' } });
    },

    loadKeyHistory: () =>
      load(async (ref, storeId) => {
        const data = await history(ref, storeId, { order: 'asc', limit: HISTORY_LIMIT });
        return { ...data, fromStart: true, toEnd: data.versions.length >= data.total };
      }),

    loadKeyWindow: (t) =>
      load(async (ref, storeId) => {
        const half = HISTORY_LIMIT / 2;
        const [before, after] = await Promise.all([
          history(ref, storeId, { to: t, order: 'desc', limit: half }),
          history(ref, storeId, { from: t + 1, order: 'asc', limit: half }),
        ]);
        const older = [...before.versions].reverse();
        const lastOlder = older.at(-1);
        // The version in force at t is in both when it is still valid at t + 1.
        const newer = after.versions.filter((v) => lastOlder === undefined || v.validFrom > lastOlder.validFrom);
        const versions: VersionRow[] = [...older, ...newer];
        const both = after.versions.length > newer.length ? 1 : 0;
        return {
          versions,
          total: before.total + after.total - both,
          complete: before.complete && after.complete,
          incomplete: [...before.incomplete, ...after.incomplete.filter((r) => !before.incomplete.some((b) => b.from === r.from && b.to === r.to))],
          fromStart: before.versions.length >= before.total,
          toEnd: after.versions.length >= after.total,
        };
      }),

    resetKey() {
      seq.cancel();
      set({ selectedKey: null, keyHistory: { status: 'idle' } });
    },
  };
};
