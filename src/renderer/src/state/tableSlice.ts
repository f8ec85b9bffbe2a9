import { errorMessage } from '../api/errors';
import {
  PageCache,
  PAGE_SIZE,
  filterKey,
  pagesFor,
  queryKey,
  type PageEntry,
  type StateQuery,
  type TableFilter,
  type TableSort,
} from './pageCache';
import type { Slice } from './types';

/** Concurrent stateAt requests; while they run, newer cursor positions wait (latest wins). */
const MAX_IN_FLIGHT = 2;

export interface DisplayedTable {
  entry: PageEntry;
  /** The rows are from an earlier cursor position while the current one loads. */
  stale: boolean;
}

export interface TableSlice {
  tableFilter: TableFilter;
  tableSort: TableSort;
  /** Bumped whenever cached pages change, so views re-read the cache. */
  tableVersion: number;
  /** The cache entry on screen (may trail the cursor while the current one loads). */
  shownKey: string | null;

  currentQuery(): StateQuery | null;
  displayedTable(): DisplayedTable | null;
  setTableFilter(patch: Partial<TableFilter>): void;
  setTableSort(sort: TableSort): void;
  /** The rows the table has on screen [start, end); fetches pages missing there. */
  setVisibleRows(start: number, end: number): void;
  pumpTable(): void;
  /** Starts loading the state at t (same filter) before the cursor gets there. */
  prefetchAt(t: number): void;
  /** Called when the cursor moved. */
  cursorMoved(): void;
  invalidateTableFrom(t: number): void;
  /** Forgets failed answers and asks again. */
  retryTable(): void;
  resetTable(): void;
}

export const DEFAULT_FILTER: TableFilter = { scope: null, search: '', searchMode: 'substring' };
export const DEFAULT_SORT: TableSort = { by: 'key', order: 'asc' };

export const tableSlice: Slice<TableSlice> = (set, get, { client }) => {
  const cache = new PageCache();
  let visible = { start: 0, end: 60 };
  let inFlight = 0;
  let seq = 0;
  let shownSeq = 0;
  let shown: PageEntry | null = null;
  let epoch = 0;
  /** Where the dragged pointer is (prefetchAt), until the cursor gets there. */
  let pendingAt: number | null = null;

  const currentKey = () => {
    const q = get().currentQuery();
    return q ? queryKey(q) : null;
  };

  const show = (entry: PageEntry, n: number) => {
    shown = entry;
    shownSeq = n;
    if (get().shownKey !== entry.key) set({ shownKey: entry.key });
  };

  /** Shows an answer if it is the current query's, or newer than what is on screen. */
  const promote = (entry: PageEntry, n: number) => {
    const cur = currentKey();
    if (entry.total === null) return;
    if (entry.key === cur) {
      if (shown !== entry) show(entry, Math.max(n, shownSeq));
      return;
    }
    const shownIsCurrent = shown !== null && shown.key === cur;
    const q = get().currentQuery();
    const sameFilter = q !== null && entry.filterKey === filterKey(q.filter, q.sort);
    if (!shownIsCurrent && sameFilter && n > shownSeq) show(entry, n);
  };

  const bump = () => set((s) => ({ tableVersion: s.tableVersion + 1 }));

  const fetchPage = (entry: PageEntry, page: number) => {
    const summary = get().summary;
    if (!summary) return;
    const n = ++seq;
    const myEpoch = epoch;
    inFlight++;
    entry.loading.add(page);
    const { filter, sort, at } = entry.query;
    const search = filter.search === '' ? {} : filter.searchMode === 'prefix' ? { keyPrefix: filter.search } : { keySubstring: filter.search };
    client.api
      .stateAt({
        storeId: summary.storeId,
        at,
        ...(filter.scope === null ? {} : { scope: filter.scope }),
        ...search,
        sort: sort.by,
        order: sort.order,
        offset: page * PAGE_SIZE,
        limit: PAGE_SIZE,
      })
      .then(
        (res) => {
          entry.pages.set(page, res.rows);
          entry.total = res.total;
          entry.complete = res.complete;
          entry.incomplete = res.incomplete;
          entry.error = null;
          entry.answeredSeq = Math.max(entry.answeredSeq, n);
        },
        (err: unknown) => {
          entry.error = errorMessage(err);
          if (entry.total === null) entry.total = 0;
        },
      )
      .finally(() => {
        entry.loading.delete(page);
        if (myEpoch !== epoch) return;
        inFlight--;
        // The answer for where the pointer is: move the cursor now rather than at the frame's
        // pointermove (which then finds the cursor already there).
        if (pendingAt !== null && entry.query.at === pendingAt && entry.total !== null) {
          const q = get().currentQuery();
          const t = pendingAt;
          pendingAt = null;
          if (q && q.at !== t && entry.filterKey === filterKey(q.filter, q.sort)) get().setAt(t);
        }
        promote(entry, n);
        bump();
        get().pumpTable();
      });
  };

  /** Asks for the pages of `q` on screen that are neither loaded nor loading. */
  const load = (q: StateQuery) => {
    const entry = cache.ensure(q);
    if (entry.error) return;
    // Until the first answer gives the total, ask for one page only.
    if (entry.total === null && entry.loading.size > 0) return;
    const wanted = pagesFor(visible.start, visible.end, entry.total).filter((p) => !entry.pages.has(p) && !entry.loading.has(p));
    for (const page of entry.total === null ? wanted.slice(0, 1) : wanted) {
      if (inFlight >= MAX_IN_FLIGHT) break;
      fetchPage(entry, page);
    }
  };

  return {
    tableFilter: DEFAULT_FILTER,
    tableSort: DEFAULT_SORT,
    tableVersion: 0,
    shownKey: null,

    currentQuery() {
      const { at, summary, tableFilter, tableSort } = get();
      if (!summary || at === null) return null;
      return { at, filter: tableFilter, sort: tableSort };
    },

    displayedTable() {
      const q = get().currentQuery();
      if (!q) return null;
      const cur = cache.get(queryKey(q));
      if (cur && cur.total !== null) return { entry: cur, stale: false };
      if (shown && shown.filterKey === filterKey(q.filter, q.sort)) return { entry: shown, stale: true };
      return null;
    },

    setTableFilter(patch) {
      set((s) => ({ tableFilter: { ...s.tableFilter, ...patch } }));
      get().cursorMoved();
    },

    setTableSort(sort) {
      set({ tableSort: sort });
      get().cursorMoved();
    },

    setVisibleRows(start, end) {
      if (start === visible.start && end === visible.end) return;
      visible = { start, end };
      get().pumpTable();
    },

    pumpTable() {
      const q = get().currentQuery();
      if (q) load(q);
    },

    prefetchAt(t) {
      const q = get().currentQuery();
      const at = Math.min(Number.MAX_SAFE_INTEGER, Math.max(0, Math.round(t)));
      if (!q || q.at === at) return;
      pendingAt = at;
      const entry = cache.get(queryKey({ ...q, at }));
      if (entry && entry.total !== null) {
        pendingAt = null;
        get().setAt(at);
      } else load({ ...q, at });
    },

    cursorMoved() {
      const q = get().currentQuery();
      if (!q) return;
      // Moved somewhere else (keys, typing): the pointer's pending position no longer counts.
      if (pendingAt !== null && q.at !== pendingAt) pendingAt = null;
      const entry = cache.get(queryKey(q));
      if (entry && entry.total !== null) show(entry, seq + 1);
      get().pumpTable();
    },

    invalidateTableFrom(t) {
      // Drop the answers that appended writes can change; keep what is on screen until
      // its replacement arrives.
      cache.dropWhere((e) => e.query.at >= t);
      bump();
    },

    retryTable() {
      cache.dropWhere((e) => e.error !== null);
      if (shown?.error) {
        shown = null;
        set({ shownKey: null });
      }
      bump();
      get().pumpTable();
    },

    resetTable() {
      epoch++;
      pendingAt = null;
      inFlight = 0;
      cache.clear();
      shown = null;
      shownSeq = 0;
      visible = { start: 0, end: 60 };
      set({ tableFilter: DEFAULT_FILTER, tableSort: DEFAULT_SORT, shownKey: null, tableVersion: 0 });
      get().pumpTable();
    },
  };
};
