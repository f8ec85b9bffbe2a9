import { useVirtualizer } from '@tanstack/react-virtual';
import { useCallback, useEffect, useRef } from 'react';
import type { VersionRow } from '../../api/types';
import { formatCount } from '../../format/size';
import { formatTime } from '../../format/time';
import { useApp } from '../../state/appStore';
import { filterKey, rowAt } from '../../state/pageCache';
import { IncompleteNote } from '../common/IncompleteNote';
import { Empty, ErrorBox, Loading } from '../common/StatusViews';
import { StateRow } from './StateRow';

const ROW_HEIGHT = 28;

/**
 * Every live key at T, virtualized: only the rows on screen are fetched (page by page, cached
 * per T and filter). While a new T loads, the previous answer stays, marked as such.
 */
export function StateTable({ initialHeight = 480 }: { initialHeight?: number }) {
  useApp((s) => s.tableVersion);
  useApp((s) => s.shownKey);
  const at = useApp((s) => s.at);
  const tz = useApp((s) => s.tz);
  const filter = useApp((s) => s.tableFilter);
  const sort = useApp((s) => s.tableSort);
  const selected = useApp((s) => s.selectedKey);
  const displayedTable = useApp((s) => s.displayedTable);
  const setVisibleRows = useApp((s) => s.setVisibleRows);
  const selectKey = useApp((s) => s.selectKey);
  const setSort = useApp((s) => s.setTableSort);
  const retry = useApp((s) => s.retryTable);
  const shown = displayedTable();
  const entry = shown?.entry;
  const total = entry?.total ?? 0;

  const scrollRef = useRef<HTMLDivElement>(null);
  const virtualizer = useVirtualizer({
    count: total,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 12,
    initialRect: { width: 1000, height: initialHeight },
  });
  const items = virtualizer.getVirtualItems();
  const first = items[0]?.index ?? 0;
  const last = items.length ? items[items.length - 1].index + 1 : 0;

  useEffect(() => {
    setVisibleRows(first, Math.max(last, first + 1));
  }, [first, last, setVisibleRows]);

  const fk = filterKey(filter, sort);
  useEffect(() => {
    scrollRef.current?.scrollTo?.({ top: 0 });
  }, [fk]);

  const onSelect = useCallback((row: VersionRow) => selectKey({ scope: row.scope, key: row.key }), [selectKey]);

  const sortBy = (by: 'key' | 'validFrom') =>
    setSort({ by, order: sort.by === by ? (sort.order === 'asc' ? 'desc' : 'asc') : by === 'validFrom' ? 'desc' : 'asc' });
  const arrow = (by: 'key' | 'validFrom') => (sort.by === by ? (sort.order === 'asc' ? ' ↑' : ' ↓') : '');

  const stale = shown?.stale ?? false;
  const loading = !shown || stale || (entry?.loading.size ?? 0) > 0;
  const filtered = filter.scope !== null || filter.search !== '';

  return (
    <div
      className={`state-table ${stale ? 'stale' : ''}`}
      data-testid="state-table"
      data-at={entry?.query.at}
      data-total={entry?.total ?? undefined}
      data-stale={stale}
      data-loading={loading}
      data-complete={entry ? entry.complete : undefined}
      role="table"
      aria-busy={loading}
    >
      <div className="table-caption" data-testid="state-caption">
        {entry ? (
          <>
            <strong data-testid="state-count">{formatCount(entry.total ?? 0)}</strong> live key{entry.total === 1 ? '' : 's'}
            {filtered ? ' matching the filter' : ''} at <span className="mono">{formatTime(entry.query.at, tz)}</span>
            {stale && at !== null && (
              <span className="stale-note" data-testid="stale-note">
                {' '}
                — loading {formatTime(at, tz)}…
              </span>
            )}
          </>
        ) : at !== null ? (
          <span>State at {formatTime(at, tz)}</span>
        ) : null}
      </div>
      {entry && !entry.complete && <IncompleteNote ranges={entry.incomplete} what="This state may be wrong: history is not fully known at this time." />}
      <div className="thead" role="row">
        <span className="cell c-scope" role="columnheader">
          Scope
        </span>
        <button type="button" className="cell c-key sortable" role="columnheader" onClick={() => sortBy('key')} data-testid="sort-key">
          Key{arrow('key')}
        </button>
        <span className="cell c-type" role="columnheader">
          Type
        </span>
        <span className="cell c-value" role="columnheader">
          Value
        </span>
        <button type="button" className="cell c-since sortable" role="columnheader" onClick={() => sortBy('validFrom')} data-testid="sort-since">
          Valid since{arrow('validFrom')}
        </button>
        <span className="cell c-age" role="columnheader">
          Valid for
        </span>
      </div>
      <div className="tbody" ref={scrollRef} data-testid="state-scroll">
        {!shown && at !== null && <Loading testId="state-loading">Loading the state…</Loading>}
        {entry?.error && <ErrorBox message={entry.error} onRetry={retry} testId="state-error" />}
        {entry && !entry.error && entry.total === 0 && (
          <Empty testId="state-empty">
            {!entry.complete
              ? 'No key is known to be live here — but history is incomplete, so this state is unknown.'
              : filtered
                ? 'No live key matches the filter at this time.'
                : 'No live keys at this time.'}
          </Empty>
        )}
        <div className="tbody-inner" style={{ height: virtualizer.getTotalSize() }}>
          {entry &&
            items.map((item) => {
              const row = rowAt(entry, item.index);
              return (
                <StateRow
                  key={item.key}
                  row={row}
                  index={item.index}
                  at={entry.query.at}
                  tz={tz}
                  top={item.start}
                  height={item.size}
                  selected={!!row && !!selected && selected.scope === row.scope && selected.key === row.key}
                  onSelect={onSelect}
                />
              );
            })}
        </div>
      </div>
    </div>
  );
}
