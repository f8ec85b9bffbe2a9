import { errorMessage } from '../api/errors';
import type { HistogramBin, StoreSummary } from '../api/types';
import { sequencer, type Slice } from './types';

export interface TimeRange {
  from: number;
  to: number;
}

export interface TimelineSlice {
  /** The zoomed range shown by the main chart. */
  view: TimeRange | null;
  bins: number;
  histogram: { range: TimeRange; bins: HistogramBin[] } | null;
  histogramLoading: boolean;
  histogramError: string | null;
  /** The whole store at coarse resolution, under the brush. */
  overview: { range: TimeRange; bins: HistogramBin[] } | null;

  fullRange(): TimeRange | null;
  setView(from: number, to: number): void;
  zoomAll(): void;
  /** factor < 1 zooms in around `center` (default: the cursor). */
  zoomBy(factor: number, center?: number): void;
  loadHistogram(): Promise<void>;
  loadOverview(): Promise<void>;
  extendViewAfterAppend(oldLast: number | null): void;
  resetTimeline(summary: StoreSummary): void;
}

const MAIN_BINS = 160;
const OVERVIEW_BINS = 120;
const MIN_SPAN = 10;

/** The store's time span with a little room on both sides (never before the epoch). */
export function paddedRange(summary: StoreSummary): TimeRange | null {
  if (summary.firstTimestamp === null || summary.lastTimestamp === null) return null;
  const first = Math.min(summary.firstTimestamp, summary.knownFrom ?? summary.firstTimestamp);
  const last = summary.lastTimestamp;
  const span = last - first;
  const pad = span > 0 ? Math.max(1, Math.round(span * 0.03)) : 1_000_000;
  return { from: Math.max(0, first - pad), to: last + pad };
}

export const timelineSlice: Slice<TimelineSlice> = (set, get, { client }) => {
  const mainSeq = sequencer();
  const overviewSeq = sequencer();

  const fetchBins = (summary: StoreSummary, range: TimeRange, bins: number) =>
    client.api.histogram({
      storeId: summary.storeId,
      from: Math.floor(range.from),
      to: Math.ceil(range.to),
      bins: Math.max(1, Math.min(bins, Math.ceil(range.to) - Math.floor(range.from) + 1)),
    });

  return {
    view: null,
    bins: MAIN_BINS,
    histogram: null,
    histogramLoading: false,
    histogramError: null,
    overview: null,

    fullRange() {
      const s = get().summary;
      return s ? paddedRange(s) : null;
    },

    setView(from, to) {
      const full = get().fullRange();
      if (!full) return;
      let lo = Math.max(0, Math.round(Math.min(from, to)));
      let hi = Math.round(Math.max(from, to));
      if (hi - lo < MIN_SPAN) {
        const mid = (lo + hi) / 2;
        lo = Math.max(0, Math.round(mid - MIN_SPAN / 2));
        hi = lo + MIN_SPAN;
      }
      const view = get().view;
      if (view && view.from === lo && view.to === hi) return;
      set({ view: { from: lo, to: hi } });
      void get().loadHistogram();
    },

    zoomAll() {
      const full = get().fullRange();
      if (full) get().setView(full.from, full.to);
    },

    zoomBy(factor, center) {
      const view = get().view;
      if (!view) return;
      const c = center ?? get().at ?? (view.from + view.to) / 2;
      const span = (view.to - view.from) * factor;
      const ratio = (c - view.from) / (view.to - view.from || 1);
      get().setView(c - span * ratio, c + span * (1 - ratio));
    },

    async loadHistogram() {
      const { summary, view, bins } = get();
      if (!summary || !view) return;
      const n = mainSeq.next();
      set({ histogramLoading: true, histogramError: null });
      try {
        const result = await fetchBins(summary, view, bins);
        if (!mainSeq.isLatest(n)) return;
        set({ histogram: { range: view, bins: result }, histogramLoading: false });
      } catch (err) {
        if (mainSeq.isLatest(n)) set({ histogramLoading: false, histogramError: errorMessage(err) });
      }
    },

    async loadOverview() {
      const summary = get().summary;
      const full = get().fullRange();
      if (!summary || !full) return;
      const n = overviewSeq.next();
      try {
        const result = await fetchBins(summary, full, OVERVIEW_BINS);
        if (overviewSeq.isLatest(n)) set({ overview: { range: full, bins: result } });
      } catch {
        // the overview is a convenience; the main chart reports errors
      }
    },

    extendViewAfterAppend(oldLast) {
      const { view } = get();
      const full = get().fullRange();
      if (!full) return;
      if (!view) set({ view: full });
      else if (oldLast === null || view.to >= oldLast) set({ view: { from: view.from, to: Math.max(full.to, view.to) } });
      void get().loadHistogram();
      void get().loadOverview();
    },

    resetTimeline(summary) {
      mainSeq.cancel();
      overviewSeq.cancel();
      const full = paddedRange(summary);
      set({ view: full, histogram: null, histogramLoading: false, histogramError: null, overview: null });
      if (full) {
        void get().loadHistogram();
        void get().loadOverview();
      }
    },
  };
};
