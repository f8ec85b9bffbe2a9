import { useEffect, useState } from 'react';
import type { DiffEntry, VersionRow } from '../../api/types';
import { formatCount } from '../../format/size';
import { formatTime, type TimeZoneMode } from '../../format/time';
import { previewValue } from '../../format/value';
import { useApp } from '../../state/appStore';
import { IncompleteNote } from '../common/IncompleteNote';
import { Empty, ErrorBox, Loading } from '../common/StatusViews';
import { DiffPointField } from './DiffPointField';

type KindFilter = 'all' | DiffEntry['kind'];

function Side({ v, tz }: { v: VersionRow | null; tz: TimeZoneMode }) {
  if (!v) return <span className="muted">—</span>;
  return (
    <span className="diff-side">
      <span className="mono">{v.valueError ? 'damaged value' : previewValue(v.value, 80)}</span>
      <span className="muted mono small-text">since {formatTime(v.validFrom, tz)}</span>
    </span>
  );
}

/** What changed between A and B: added, removed, changed (and rewritten, on request). */
export function DiffView() {
  const a = useApp((s) => s.diffA);
  const b = useApp((s) => s.diffB);
  const includeRewritten = useApp((s) => s.diffIncludeRewritten);
  const setInclude = useApp((s) => s.setDiffIncludeRewritten);
  const diff = useApp((s) => s.diff);
  const run = useApp((s) => s.runDiff);
  const more = useApp((s) => s.loadMoreDiff);
  const loadingMore = useApp((s) => s.diffLoadingMore);
  const selectKey = useApp((s) => s.selectKey);
  const tz = useApp((s) => s.tz);
  const [kind, setKind] = useState<KindFilter>('all');

  useEffect(() => {
    if (diff.status === 'idle' && a !== null && b !== null) void run();
  }, [diff.status, a, b, run]);

  const data = diff.status === 'ready' ? diff.data : null;
  const entries = data ? (kind === 'all' ? data.entries : data.entries.filter((e) => e.kind === kind)) : [];

  return (
    <section className="diff-view" data-testid="diff-view">
      <div className="toolbar">
        <DiffPointField which="a" />
        <span aria-hidden="true">→</span>
        <DiffPointField which="b" />
        <label>
          <input type="checkbox" checked={includeRewritten} onChange={(e) => setInclude(e.target.checked)} data-testid="diff-rewritten" /> include rewritten
        </label>
        <button type="button" onClick={() => void run()} disabled={a === null || b === null} data-testid="diff-run">
          Compare
        </button>
      </div>
      {a !== null && b !== null && a > b && <p className="muted">A is after B: showing what changed from the earlier to the later point.</p>}
      {(a === null || b === null) && <Empty>Mark A and B on the timeline (or type them above) to compare two moments.</Empty>}
      {diff.status === 'loading' && <Loading>Comparing…</Loading>}
      {diff.status === 'error' && <ErrorBox message={diff.error} onRetry={() => void run()} />}
      {data && (
        <>
          {!data.complete && <IncompleteNote ranges={data.incomplete} what="This comparison may be wrong: history is not fully known between A and B." />}
          <div className="diff-counts" data-testid="diff-counts">
            {(['all', 'added', 'removed', 'changed', ...(includeRewritten ? ['rewritten'] : [])] as KindFilter[]).map((k) => (
              <button key={k} type="button" className={`chip chip-${k} ${kind === k ? 'on' : ''}`} onClick={() => setKind(k)} data-testid={`diff-count-${k}`}>
                {k === 'all' ? `all ${formatCount(data.total)}` : `${k} ${formatCount(data.counts[k as keyof typeof data.counts])}`}
              </button>
            ))}
          </div>
          {data.total === 0 ? (
            <Empty testId="diff-empty">No differences between A and B.</Empty>
          ) : (
            <div className="scroll-table">
              <table className="grid" data-testid="diff-table">
                <thead>
                  <tr>
                    <th>Change</th>
                    <th>Scope</th>
                    <th>Key</th>
                    <th>At A</th>
                    <th>At B</th>
                  </tr>
                </thead>
                <tbody>
                  {entries.map((e) => (
                    <tr key={`${e.scope}/${e.key}`} className={`diff-${e.kind}`} data-testid="diff-row" data-kind={e.kind} data-key={e.key} data-scope={e.scope} onClick={() => selectKey({ scope: e.scope, key: e.key })}>
                      <td>
                        <span className={`chip chip-${e.kind}`}>{e.kind}</span>
                      </td>
                      <td>{e.scope}</td>
                      <td className="mono">{e.key}</td>
                      <td data-testid="diff-before">
                        <Side v={e.before} tz={tz} />
                      </td>
                      <td data-testid="diff-after">
                        <Side v={e.after} tz={tz} />
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
              {data.entries.length < data.total && (
                <button type="button" onClick={() => void more()} disabled={loadingMore}>
                  {loadingMore ? 'Loading…' : `Show more (${formatCount(data.total - data.entries.length)} left)`}
                </button>
              )}
            </div>
          )}
        </>
      )}
    </section>
  );
}
