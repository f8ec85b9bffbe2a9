import { errorMessage } from '../api/errors';
import type { DiffResult, StoreSummary } from '../api/types';
import { sequencer, type Load, type Slice } from './types';

export const DIFF_PAGE = 500;

export interface DiffSlice {
  diffA: number | null;
  diffB: number | null;
  diffIncludeRewritten: boolean;
  diff: Load<DiffResult>;
  diffLoadingMore: boolean;
  setDiffPoint(which: 'a' | 'b', t: number | null): void;
  setDiffIncludeRewritten(on: boolean): void;
  runDiff(): Promise<void>;
  loadMoreDiff(): Promise<void>;
  resetDiff(summary: StoreSummary): void;
}

export const diffSlice: Slice<DiffSlice> = (set, get, { client }) => {
  const seq = sequencer();

  const query = (offset: number) => {
    const { summary, diffA, diffB, diffIncludeRewritten } = get();
    if (!summary || diffA === null || diffB === null) return null;
    return client.api.diff({
      storeId: summary.storeId,
      from: Math.min(diffA, diffB),
      to: Math.max(diffA, diffB),
      includeRewritten: diffIncludeRewritten,
      offset,
      limit: DIFF_PAGE,
    });
  };

  return {
    diffA: null,
    diffB: null,
    diffIncludeRewritten: false,
    diff: { status: 'idle' },
    diffLoadingMore: false,

    setDiffPoint(which, t) {
      seq.cancel();
      set(which === 'a' ? { diffA: t, diff: { status: 'idle' } } : { diffB: t, diff: { status: 'idle' } });
    },

    setDiffIncludeRewritten(on) {
      seq.cancel();
      set({ diffIncludeRewritten: on, diff: { status: 'idle' } });
    },

    async runDiff() {
      const n = seq.next();
      const pending = query(0);
      if (!pending) return;
      set({ diff: { status: 'loading' }, diffLoadingMore: false });
      try {
        const data = await pending;
        if (seq.isLatest(n)) set({ diff: { status: 'ready', data } });
      } catch (err) {
        if (seq.isLatest(n)) set({ diff: { status: 'error', error: errorMessage(err) } });
      }
    },

    async loadMoreDiff() {
      const cur = get().diff;
      if (cur.status !== 'ready' || cur.data.entries.length >= cur.data.total || get().diffLoadingMore) return;
      const n = seq.next();
      const pending = query(cur.data.entries.length);
      if (!pending) return;
      set({ diffLoadingMore: true });
      try {
        const more = await pending;
        if (!seq.isLatest(n)) return;
        set({ diff: { status: 'ready', data: { ...more, entries: [...cur.data.entries, ...more.entries] } }, diffLoadingMore: false });
      } catch (err) {
        if (seq.isLatest(n)) set({ diff: { status: 'error', error: errorMessage(err) }, diffLoadingMore: false });
      }
    },

    resetDiff(summary) {
      seq.cancel();
      const first = summary.firstTimestamp;
      set({ diffA: first, diffB: summary.lastTimestamp, diff: { status: 'idle' }, diffLoadingMore: false, diffIncludeRewritten: false });
    },
  };
};
