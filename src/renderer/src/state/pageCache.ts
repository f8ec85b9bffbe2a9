import type { IncompleteRange, VersionRow } from '../api/types';

/** Rows per stateAt request. */
export const PAGE_SIZE = 100;
/** (T, filter) answers kept; older ones are dropped first. */
export const MAX_ENTRIES = 64;

export interface TableFilter {
  scope: number | null;
  search: string;
  searchMode: 'substring' | 'prefix';
}

export interface TableSort {
  by: 'key' | 'validFrom';
  order: 'asc' | 'desc';
}

export interface StateQuery {
  at: number;
  filter: TableFilter;
  sort: TableSort;
}

export function filterKey(filter: TableFilter, sort: TableSort): string {
  return JSON.stringify([filter.scope, filter.searchMode, filter.search, sort.by, sort.order]);
}

export function queryKey(q: StateQuery): string {
  return `${q.at}|${filterKey(q.filter, q.sort)}`;
}

/** One (T, filter, sort) answer, filled page by page. */
export interface PageEntry {
  key: string;
  filterKey: string;
  query: StateQuery;
  /** null until the first page arrives. */
  total: number | null;
  complete: boolean;
  incomplete: IncompleteRange[];
  pages: Map<number, VersionRow[]>;
  loading: Set<number>;
  error: string | null;
  /** Sequence number of the request that last answered into this entry. */
  answeredSeq: number;
}

/** An LRU of page entries keyed by (T, filter, sort). */
export class PageCache {
  private readonly entries = new Map<string, PageEntry>();

  constructor(private readonly max = MAX_ENTRIES) {}

  get(key: string | null): PageEntry | undefined {
    return key === null ? undefined : this.entries.get(key);
  }

  /** The entry for `q`, created empty if new; marks it most recently used. */
  ensure(q: StateQuery): PageEntry {
    const key = queryKey(q);
    let entry = this.entries.get(key);
    if (entry) {
      this.entries.delete(key);
    } else {
      entry = {
        key,
        filterKey: filterKey(q.filter, q.sort),
        query: q,
        total: null,
        complete: true,
        incomplete: [],
        pages: new Map(),
        loading: new Set(),
        error: null,
        answeredSeq: 0,
      };
    }
    this.entries.set(key, entry);
    this.evict();
    return entry;
  }

  dropWhere(pred: (entry: PageEntry) => boolean): void {
    for (const [key, entry] of this.entries) if (pred(entry)) this.entries.delete(key);
  }

  clear(): void {
    this.entries.clear();
  }

  get size(): number {
    return this.entries.size;
  }

  private evict(): void {
    while (this.entries.size > this.max) {
      const oldest = this.entries.keys().next().value as string;
      this.entries.delete(oldest);
    }
  }
}

/** Pages that hold rows [start, end) (end exclusive), clipped to `total` when known. */
export function pagesFor(start: number, end: number, total: number | null): number[] {
  const last = total === null ? end : Math.min(end, total);
  const first = Math.max(0, Math.floor(start / PAGE_SIZE));
  const out: number[] = [];
  for (let p = first; p * PAGE_SIZE < Math.max(last, 1); p++) out.push(p);
  return out.length ? out : [0];
}

/** The row at `index` if its page is loaded. */
export function rowAt(entry: PageEntry, index: number): VersionRow | undefined {
  return entry.pages.get(Math.floor(index / PAGE_SIZE))?.[index % PAGE_SIZE];
}
