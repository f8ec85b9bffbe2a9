import type { Generation, StoreSummary } from '../../api/types';
import { formatCount } from '../../format/size';
import { useApp } from '../../state/appStore';
import { TimeText } from '../common/TimeText';
import { FollowToggle } from './FollowToggle';
import { IntegrityBadge } from './IntegrityBadge';

/** How the store's files are laid out, from its newest readable generation. */
export function layoutText(generations: Generation[]): string {
  const g = [...generations].reverse().find((x) => x.layout.headerVariant !== null) ?? generations[generations.length - 1];
  if (!g) return 'no files';
  const header = g.layout.headerVariant === 'v17' ? '17-byte header' : g.layout.headerVariant === 'v9' ? '9-byte header' : 'unreadable header';
  const payload = g.layout.payloadLayout === 'key-value-pair' ? 'key-value payload' : 'StateValue payload';
  const archives = generations.some((x) => x.kind === 'archive') ? (generations.some((x) => x.layout.inSnapshots) ? 'archives in snapshots/' : 'archives beside') : 'no archives';
  return `${header} · ${payload} · ${archives}`;
}

export function StoreHeader({ canClose = true }: { canClose?: boolean }) {
  const summary = useApp((s) => s.summary) as StoreSummary;
  const closeStore = useApp((s) => s.closeStore);
  return (
    <header className="store-header" data-testid="store-header">
      <div className="store-title">
        <span className="store-name" data-testid="store-name">
          {summary.store}
          {summary.isDemo && <span className="tag">demo</span>}
        </span>
        <span className="store-dir" title={summary.dir}>
          {summary.dir}
        </span>
      </div>
      <div className="store-facts">
        <div data-testid="known-history">
          <span className="fact-label">Known history</span>
          {summary.firstTimestamp === null ? (
            'no writes yet'
          ) : (
            <>
              <TimeText us={summary.knownFrom ?? summary.firstTimestamp} /> → <TimeText us={summary.lastTimestamp} />
            </>
          )}
        </div>
        <div className="fact-line" title={layoutText(summary.generations)}>
          <strong data-testid="generation-count">{summary.generations.length}</strong> generation{summary.generations.length === 1 ? '' : 's'} ·{' '}
          <strong>{formatCount(summary.keys)}</strong> keys · <strong>{formatCount(summary.versions)}</strong> versions · {layoutText(summary.generations)}
        </div>
      </div>
      <div className="store-actions">
        <FollowToggle />
        <IntegrityBadge />
        {canClose && (
          <button type="button" className="link" onClick={() => void closeStore()} data-testid="close-store">
            Close
          </button>
        )}
      </div>
    </header>
  );
}
