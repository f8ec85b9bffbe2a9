import { errorMessage } from '../api/errors';
import type { HistoryResult } from '../api/types';
import { sequencer, type Load, type Slice } from './types';

/** Versions of one key loaded at most (the key detail lists and draws far fewer). */
export const HISTORY_LIMIT = 50_000;

export interface KeyRef {
  scope: number;
  key: string;
}

export interface KeySlice {
  selectedKey: KeyRef | null;
  /** Every version of the selected key, tombstones included, oldest first. */
  keyHistory: Load<HistoryResult>;
  selectKey(ref: KeyRef): void;
  closeKey(): void;
  loadKeyHistory(): Promise<void>;
  resetKey(): void;
}

export const keySlice: Slice<KeySlice> = (set, get, { client }) => {
  const seq = sequencer();
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

    async loadKeyHistory() {
      const { summary, selectedKey, keyHistory } = get();
      if (!summary || !selectedKey) return;
      const n = seq.next();
      if (keyHistory.status === 'ready') set({ keyHistory: { status: 'loading', previous: keyHistory.data } });
      try {
        const data = await client.api.history({
          storeId: summary.storeId,
          scope: selectedKey.scope,
          key: selectedKey.key,
          tombstones: true,
          order: 'asc',
          limit: HISTORY_LIMIT,
        });
        if (seq.isLatest(n)) set({ keyHistory: { status: 'ready', data } });
      } catch (err) {
        if (seq.isLatest(n)) set({ keyHistory: { status: 'error', error: errorMessage(err) } });
      }
    },

    resetKey() {
      seq.cancel();
      set({ selectedKey: null, keyHistory: { status: 'idle' } });
    },
  };
};
