import { useEffect, useState } from 'react';
import { useDebounced } from '../../hooks/useDebounced';
import { ScopeOptions } from '../common/ScopeOptions';
import { useApp } from '../../state/appStore';

/** Filter by scope, search keys (contains / starts with), sort. */
export function StateToolbar() {
  const filter = useApp((s) => s.tableFilter);
  const sort = useApp((s) => s.tableSort);
  const setFilter = useApp((s) => s.setTableFilter);
  const setSort = useApp((s) => s.setTableSort);
  const [search, setSearch] = useState(filter.search);
  const debounced = useDebounced(search, 150);

  useEffect(() => {
    if (debounced !== filter.search) setFilter({ search: debounced });
    // filter.search is read, not tracked: typing drives the filter, not the other way round.
  }, [debounced, setFilter]);

  return (
    <div className="toolbar" data-testid="state-toolbar">
      <label>
        Scope{' '}
        <select
          value={filter.scope === null ? '' : String(filter.scope)}
          onChange={(e) => setFilter({ scope: e.target.value === '' ? null : Number(e.target.value) })}
          data-testid="scope-filter"
        >
          <ScopeOptions />
        </select>
      </label>
      <label className="search">
        Key{' '}
        <select value={filter.searchMode} onChange={(e) => setFilter({ searchMode: e.target.value as 'substring' | 'prefix' })} aria-label="Match" data-testid="search-mode">
          <option value="substring">contains</option>
          <option value="prefix">starts with</option>
        </select>
        <input type="search" placeholder="search keys (case-sensitive)" value={search} onChange={(e) => setSearch(e.target.value)} data-testid="key-search" />
      </label>
      <label>
        Sort{' '}
        <select
          value={`${sort.by}:${sort.order}`}
          onChange={(e) => {
            const [by, order] = e.target.value.split(':') as ['key' | 'validFrom', 'asc' | 'desc'];
            setSort({ by, order });
          }}
          data-testid="sort"
        >
          <option value="key:asc">scope, key ↑</option>
          <option value="key:desc">scope, key ↓</option>
          <option value="validFrom:desc">valid since, newest first</option>
          <option value="validFrom:asc">valid since, oldest first</option>
        </select>
      </label>
    </div>
  );
}
