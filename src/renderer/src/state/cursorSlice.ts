import type { StoreSummary } from '../api/types';
import type { TimeZoneMode } from '../format/time';
import type { Slice } from './types';

export interface CursorSlice {
  /** The cursor T (µs); null when no store is open or it has no writes. */
  at: number | null;
  tz: TimeZoneMode;
  stepError: string | null;

  setAt(t: number): void;
  /** ←/→: the previous/next time the state changes (asks the API; presses queue up). */
  stepChange(direction: 'prev' | 'next'): Promise<void>;
  /** Shift+←/→: one histogram bin. */
  stepBin(direction: 'prev' | 'next'): void;
  goStart(): void;
  goEnd(): void;
  setTz(tz: TimeZoneMode): void;
  resetCursor(summary: StoreSummary): void;
}

export const cursorSlice: Slice<CursorSlice> = (set, get, { client }) => {
  let queue: Promise<void> = Promise.resolve();
  let epoch = 0;

  return {
    at: null,
    tz: 'utc',
    stepError: null,

    setAt(t) {
      if (!Number.isFinite(t)) return;
      const at = Math.min(Number.MAX_SAFE_INTEGER, Math.max(0, Math.round(t)));
      if (at === get().at) return;
      set({ at, stepError: null });
      get().cursorMoved();
    },

    stepChange(direction) {
      const myEpoch = epoch;
      queue = queue.then(async () => {
        const { summary, at } = get();
        if (!summary || at === null || myEpoch !== epoch) return;
        try {
          const args = { storeId: summary.storeId, at };
          const t = direction === 'next' ? await client.api.nextChange(args) : await client.api.prevChange(args);
          if (myEpoch !== epoch || get().summary?.storeId !== summary.storeId) return;
          if (t !== null) get().setAt(t);
        } catch (err) {
          set({ stepError: err instanceof Error ? err.message : String(err) });
        }
      });
      return queue;
    },

    stepBin(direction) {
      const { at, view, bins } = get();
      if (at === null || !view) return;
      const width = Math.max(1, Math.round((view.to - view.from) / bins));
      get().setAt(at + (direction === 'next' ? width : -width));
    },

    goStart() {
      const s = get().summary;
      if (s?.firstTimestamp != null) get().setAt(s.firstTimestamp);
    },

    goEnd() {
      const s = get().summary;
      if (s?.lastTimestamp != null) get().setAt(s.lastTimestamp);
    },

    setTz: (tz) => set({ tz }),

    resetCursor(summary) {
      epoch++;
      set({ at: summary.lastTimestamp, stepError: null });
    },
  };
};
