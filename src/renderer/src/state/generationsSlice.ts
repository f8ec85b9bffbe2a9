import { errorMessage } from '../api/errors';
import type { ChangesPage, Generation, StatePage, StoreSummary } from '../api/types';
import { sequencer, type Load, type Slice } from './types';

export const GEN_PAGE = 200;

export interface GenerationDetail {
  /** When its compacted state is taken: rotatedAt, else its first write. */
  startAt: number | null;
  state: StatePage | null;
  writes: ChangesPage | null;
}

export interface GenerationsSlice {
  generations: Generation[];
  generationsError: string | null;
  /** Index into `generations`. */
  selectedGeneration: number | null;
  generationDetail: Load<GenerationDetail>;
  loadGenerations(): Promise<void>;
  syncGenerations(list: Generation[]): void;
  selectGeneration(index: number | null): Promise<void>;
  resetGenerations(summary: StoreSummary): void;
}

/** A generation's own time span: from its rotation (or first write) to its last write. */
export function generationSpan(g: Generation): { from: number; to: number } | null {
  const from = g.rotatedAt ?? g.firstWrite;
  const to = g.lastWrite ?? g.rotatedAt;
  if (from === null || to === null) return null;
  return { from: Math.min(from, to), to: Math.max(from, to) };
}

export const generationsSlice: Slice<GenerationsSlice> = (set, get, { client }) => {
  const listSeq = sequencer();
  const detailSeq = sequencer();
  return {
    generations: [],
    generationsError: null,
    selectedGeneration: null,
    generationDetail: { status: 'idle' },

    async loadGenerations() {
      const summary = get().summary;
      if (!summary) return;
      const n = listSeq.next();
      try {
        const list = await client.api.generations({ storeId: summary.storeId });
        if (listSeq.isLatest(n)) set({ generations: list, generationsError: null });
      } catch (err) {
        if (listSeq.isLatest(n)) set({ generationsError: errorMessage(err) });
      }
    },

    syncGenerations(list) {
      set({ generations: list });
    },

    async selectGeneration(index) {
      const { summary, generations } = get();
      const n = detailSeq.next();
      if (!summary || index === null || !generations[index]) {
        set({ selectedGeneration: null, generationDetail: { status: 'idle' } });
        return;
      }
      const g = generations[index];
      set({ selectedGeneration: index, generationDetail: { status: 'loading' } });
      const span = generationSpan(g);
      if (span) {
        const pad = Math.max(1, Math.round((span.to - span.from) * 0.02));
        get().setView(span.from - pad, span.to + pad);
      }
      const startAt = g.rotatedAt ?? g.firstWrite;
      try {
        const [state, writes] = await Promise.all([
          startAt === null ? null : client.api.stateAt({ storeId: summary.storeId, at: startAt, limit: GEN_PAGE }),
          g.firstWrite === null || g.lastWrite === null
            ? null
            : client.api.changes({ storeId: summary.storeId, from: g.firstWrite, to: g.lastWrite, limit: GEN_PAGE }),
        ]);
        if (detailSeq.isLatest(n)) set({ generationDetail: { status: 'ready', data: { startAt, state, writes } } });
      } catch (err) {
        if (detailSeq.isLatest(n)) set({ generationDetail: { status: 'error', error: errorMessage(err) } });
      }
    },

    resetGenerations(summary) {
      listSeq.cancel();
      detailSeq.cancel();
      set({ generations: summary.generations, generationsError: null, selectedGeneration: null, generationDetail: { status: 'idle' } });
    },
  };
};
