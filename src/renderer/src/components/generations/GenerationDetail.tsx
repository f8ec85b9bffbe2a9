import type { Generation } from '../../api/types';
import { formatCount } from '../../format/size';
import { formatTime } from '../../format/time';
import { previewValue } from '../../format/value';
import { useApp } from '../../state/appStore';
import { IncompleteNote } from '../common/IncompleteNote';
import { Empty, ErrorBox, Loading } from '../common/StatusViews';

/** A generation's compacted state (at its start) and its own writes. */
export function GenerationDetail({ generation: g }: { generation: Generation }) {
  const detail = useApp((s) => s.generationDetail);
  const tz = useApp((s) => s.tz);
  const setAt = useApp((s) => s.setAt);
  if (detail.status === 'loading' || detail.status === 'idle') return <Loading>Loading generation {g.generation}…</Loading>;
  if (detail.status === 'error') return <ErrorBox message={detail.error} />;
  const { state, writes, startAt } = detail.data;
  const own = writes?.writes.filter((w) => w.generation === g.generation) ?? [];
  return (
    <div className="gen-detail" data-testid="generation-detail">
      {g.problems.length > 0 && (
        <div className="note note-bad">
          {g.problems.map((p, i) => (
            <div key={i}>
              {p.severity}: {p.message} (offset {p.offset})
            </div>
          ))}
        </div>
      )}
      <div className="gen-columns">
        <section>
          <h3>
            State at its start {startAt !== null && <span className="muted mono small-text">{formatTime(startAt, tz)}</span>}
          </h3>
          <p className="muted small-text">
            {g.restated > 0 ? `Compacted from the previous generation: ${formatCount(g.restated)} restated entries.` : 'No compacted prefix (a first generation).'}
          </p>
          {!state ? (
            <Empty>No entries.</Empty>
          ) : (
            <>
              {!state.complete && <IncompleteNote ranges={state.incomplete} />}
              <ul className="mini-list" data-testid="generation-state">
                {state.rows.map((r) => (
                  <li key={`${r.scope}/${r.key}`}>
                    <span className="mono">
                      {r.scope}/{r.key}
                    </span>{' '}
                    = <span className="mono">{previewValue(r.value, 50)}</span>
                  </li>
                ))}
              </ul>
              {state.total > state.rows.length && <div className="muted">…and {formatCount(state.total - state.rows.length)} more</div>}
              {state.total === 0 && <Empty>Empty state.</Empty>}
            </>
          )}
        </section>
        <section>
          <h3>Its own writes ({formatCount(g.writes)})</h3>
          {!writes ? (
            <Empty>No writes in this generation.</Empty>
          ) : (
            <>
              {!writes.complete && <IncompleteNote ranges={writes.incomplete} />}
              <ul className="mini-list" data-testid="generation-writes">
                {own.map((w, i) => (
                  <li key={i} className={w.superseded ? 'muted' : ''}>
                    <button type="button" className="link mono" onClick={() => setAt(w.timestamp)}>
                      {formatTime(w.timestamp, tz)}
                    </button>{' '}
                    <span className="mono">
                      {w.scope}/{w.key}
                    </span>{' '}
                    {w.value === null && !w.valueError ? <span className="chip chip-removed">delete</span> : <span className="mono">= {previewValue(w.value, 40)}</span>}
                    {w.superseded && <span className="muted"> (superseded)</span>}
                  </li>
                ))}
              </ul>
              {writes.total > writes.writes.length && <div className="muted">Showing the first {writes.writes.length} of {formatCount(writes.total)} writes in its span.</div>}
            </>
          )}
        </section>
      </div>
    </div>
  );
}
