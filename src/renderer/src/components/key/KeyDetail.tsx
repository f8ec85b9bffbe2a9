import { useEffect, useRef } from 'react';
import type { VersionRow } from '../../api/types';
import { rangesAt } from '../../format/completeness';
import { formatDuration } from '../../format/duration';
import { scopeName } from '../../format/scope';
import { formatTime } from '../../format/time';
import { previewValue } from '../../format/value';
import { useApp } from '../../state/appStore';
import { IncompleteNote } from '../common/IncompleteNote';
import { ErrorBox, Loading } from '../common/StatusViews';
import { TimeText } from '../common/TimeText';
import { ValueView } from './ValueView';
import { coversTime } from '../../state/keySlice';
import { versionAt } from './versionAt';
import { VersionGantt } from './VersionGantt';

const MAX_LIST = 500;

/** The selected key: its value at T, and every version with its validity. */
export function KeyDetail() {
  const selected = useApp((s) => s.selectedKey);
  const history = useApp((s) => s.keyHistory);
  const at = useApp((s) => s.at);
  const tz = useApp((s) => s.tz);
  const last = useApp((s) => s.summary?.lastTimestamp ?? 0);
  const storeIncomplete = useApp((s) => s.summary?.incomplete);
  const setAt = useApp((s) => s.setAt);
  const close = useApp((s) => s.closeKey);
  const reload = useApp((s) => s.loadKeyHistory);
  const loadWindow = useApp((s) => s.loadKeyWindow);
  const listRef = useRef<HTMLOListElement>(null);

  const data = history.status === 'ready' ? history.data : history.status === 'loading' ? history.previous : undefined;
  const versions = data?.versions ?? [];
  // A key with very many versions has only some loaded: outside them the version at T is not
  // known here (and must not be taken for the nearest one loaded), so the ones around T load.
  const partial = data !== undefined && !(data.fromStart && data.toEnd);
  const outside = data !== undefined && at !== null && !coversTime(data, at);
  const current = at === null || outside ? null : versionAt(versions, at);

  // Once per T: a window that somehow did not cover T must not be asked for again and again.
  const windowAsked = useRef<number | null>(null);
  useEffect(() => {
    if (history.status !== 'ready' || at === null || coversTime(history.data, at) || windowAsked.current === at) return;
    windowAsked.current = at;
    void loadWindow(at);
  }, [history, at, loadWindow]);

  useEffect(() => {
    listRef.current?.querySelector('.current')?.scrollIntoView?.({ block: 'nearest' });
  }, [current]);

  if (!selected) return null;
  const currentIndex = current ? versions.indexOf(current) : -1;
  const start = Math.max(0, Math.min(currentIndex - MAX_LIST / 2, versions.length - MAX_LIST));
  const listed = versions.slice(start, start + MAX_LIST);

  return (
    <aside className="key-detail" data-testid="key-detail" aria-label={`Key ${selected.key}`}>
      <div className="panel-head">
        <div>
          <div className="muted">
            scope {selected.scope} · {scopeName(selected.scope)}
          </div>
          <h2 className="mono key-title" data-testid="key-title">
            {selected.key}
          </h2>
        </div>
        <button type="button" className="link" onClick={close} aria-label="Close key detail" data-testid="close-key">
          ✕
        </button>
      </div>

      {history.status === 'loading' && !data && <Loading>Loading history…</Loading>}
      {history.status === 'error' && <ErrorBox message={history.error} onRetry={() => void reload()} />}

      {data && (
        <>
          {!data.complete && <IncompleteNote ranges={data.incomplete} what="Some versions of this key may be missing." />}
          <section className="key-section" data-testid="value-at-t">
            <h3>At T</h3>
            {at !== null && storeIncomplete && rangesAt(storeIncomplete, at).length > 0 && (
              <IncompleteNote ranges={rangesAt(storeIncomplete, at)} what="This key's value at T is not known for sure." />
            )}
            {at === null ? null : outside ? (
              <p className="muted" data-testid="key-loading-window">
                Loading the versions of this key around T ({data.total.toLocaleString()} in all)…
              </p>
            ) : current === null ? (
              <p className="muted" data-testid="key-absent">
                No version at this time
                {versions[0] ? (
                  <>
                    {' '}
                    — first written <TimeText us={versions[0].validFrom} />
                  </>
                ) : null}
                .
              </p>
            ) : current.value === null && !current.valueError ? (
              <p className="muted" data-testid="key-deleted">
                Deleted at <TimeText us={current.validFrom} />
                {current.validTo !== null && (
                  <>
                    {' '}
                    until <TimeText us={current.validTo} />
                  </>
                )}
                .
              </p>
            ) : (
              <>
                <p className="validity">
                  valid <TimeText us={current.validFrom} /> → {current.validTo === null ? 'now' : <TimeText us={current.validTo} />}
                  <span className="muted"> · for {formatDuration(at - current.validFrom)} at T</span>
                </p>
                {current.valueError ? <ErrorBox message={`The value cannot be decoded: ${current.valueError}`} /> : current.value && <ValueView value={current.value} />}
              </>
            )}
          </section>

          <section className="key-section">
            <h3 data-testid="version-count">
              {data.total} version{data.total === 1 ? '' : 's'}
              <span className="muted">
                {' '}
                (deletes included{partial ? `; ${versions.length.toLocaleString()} loaded, ${data.fromStart ? 'the first ones' : 'around T'}` : ''})
              </span>
            </h3>
            <VersionGantt versions={versions} end={last} at={at} tz={tz} onPick={setAt} />
            <ol className="version-list" ref={listRef} data-testid="version-list">
              {listed.map((v: VersionRow, i) => {
                const isCurrent = v === current;
                const tomb = v.value === null && !v.valueError;
                return (
                  <li key={start + i} className={`${isCurrent ? 'current' : ''} ${tomb ? 'tomb' : ''}`}>
                    <button type="button" onClick={() => setAt(v.validFrom)} data-testid="version-item" data-from={v.validFrom} data-tombstone={tomb}>
                      <span className="mono v-time">{formatTime(v.validFrom, tz)}</span>
                      <span className="mono v-value">{tomb ? 'deleted' : v.valueError ? 'damaged value' : previewValue(v.value, 60)}</span>
                      <span className="muted v-dur">{v.validTo === null ? 'current' : formatDuration(v.validTo - v.validFrom)}</span>
                    </button>
                  </li>
                );
              })}
            </ol>
            {listed.length < versions.length && (
              <div className="muted">
                Listing {listed.length} of {versions.length} versions around T.
              </div>
            )}
          </section>
        </>
      )}
    </aside>
  );
}
